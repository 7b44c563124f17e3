#!/usr/bin/env bash
# scripts/lock.sh [uv pip compile options]: write requirements.lock and requirements-dev.lock from pyproject.toml.
#
#   make lock                                   # after editing pyproject.toml: keeps every pin it can
#   make lock ARGS="--upgrade-package manim"    # move one package (and what it needs) to its newest allowed
#   make lock ARGS=--upgrade                    # move everything to the newest allowed
#
# One resolution for Linux x86_64 and aarch64 and every Python from 3.11 (pyproject.toml's
# [tool.uv] environments and requires-python), with the fewest versions of each package, so that
# every machine installs the same versions; every file of those versions is listed by its SHA-256,
# and scripts/setup.sh installs them with pip --require-hashes. requirements-dev.lock holds the
# developer tools (the dev dependency group) resolved against requirements.lock: only `make test`
# installs it; requirements-cluster.lock the optional extra `cluster` (Dask's distributed, for
# `lecture build --cluster`) resolved the same way: `make setup-cluster` and `make test` install it.
# uv comes from PyPI into build/lock-tools the first time (or set UV=path/to/uv).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
uv=${UV:-}
if [ -z "$uv" ]; then
    uv=build/lock-tools/bin/uv
    if [ "$("$uv" --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
        echo "lock: installing uv $UV_VERSION into build/lock-tools"
        "${PYTHON:-python3}" -m venv build/lock-tools
        build/lock-tools/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
    fi
fi

common=(--universal --fork-strategy fewest --python-version 3.11 --generate-hashes --no-progress --quiet
        --custom-compile-command "make lock")
"$uv" pip compile "${common[@]}" "$@" pyproject.toml -o requirements.lock
"$uv" pip compile "${common[@]}" "$@" --group dev -c requirements.lock -o requirements-dev.lock
"$uv" pip compile "${common[@]}" "$@" --extra cluster -c requirements.lock pyproject.toml -o requirements-cluster.lock
echo "lock: wrote requirements.lock ($(grep -c '^[a-z0-9]' requirements.lock) packages), requirements-dev.lock ($(grep -c '^[a-z0-9]' requirements-dev.lock)) and requirements-cluster.lock ($(grep -c '^[a-z0-9]' requirements-cluster.lock))"
