#!/usr/bin/env bash
# scripts/setup.sh [--test|--cluster]: install what the project needs, quickly when it is all there already.
#
# 1. System packages Manim needs (Cairo and Pango headers to build pycairo and manimpango; TeX with
#    standalone.cls and dvisvgm for MathTex; with --test also Chromium for the page test): installed
#    with apt-get when run as root, otherwise one line naming what to install, exit 2.
# 2. A virtual environment .venv with the exact Python packages of requirements.lock, checked
#    against its hashes (pip --require-hashes), then the project itself, editable and without
#    dependencies; with --test also the developer tools of requirements-dev.lock, with --test or
#    --cluster the optional extra `cluster` of requirements-cluster.lock (Dask's distributed, for
#    `lecture build --cluster` and on the machines that run its workers). Re-installed only
#    when a lock file, pyproject.toml or the list of top-level packages changed (make lock writes
#    the lock files, see the README).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_cluster=0
[ "${1:-}" = "--test" ] && want_test=1 && want_cluster=1
[ "${1:-}" = "--cluster" ] && want_cluster=1

# --- system packages -------------------------------------------------------------------------
pkgs=(libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-recommended
      texlive-latex-extra texlive-fonts-recommended dvisvgm)
[ "$want_test" = 1 ] && pkgs+=(chromium)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "setup: missing system packages; run: sudo apt-get install ${missing[*]}" >&2
        exit 2
    fi
fi

# --- Python virtual environment --------------------------------------------------------------
PY=${PYTHON:-python3}
stamp=.venv/.setup-stamp          # what the runtime install was made from
dev_stamp=.venv/.setup-dev-stamp  # what the developer tools were installed from
# The editable install maps the top-level packages that exist when it runs: re-install when the
# lock, pyproject.toml or that list changes.
want="$( { cat requirements.lock pyproject.toml; ls -d -- */__init__.py 2>/dev/null; } | sha256sum | cut -d' ' -f1)"
want_dev="$(cat requirements.lock requirements-dev.lock | sha256sum | cut -d' ' -f1)"
want_cluster_lock="$(cat requirements.lock requirements-cluster.lock | sha256sum | cut -d' ' -f1)"
cluster_stamp=.venv/.setup-cluster-stamp  # what the cluster extra was installed from

pip_install() {  # pip install ARGS..., its output kept in .venv/setup.log and shown only on failure
    if ! .venv/bin/python -m pip install -q --disable-pip-version-check "$@" >> .venv/setup.log 2>&1; then
        cat .venv/setup.log >&2
        echo "setup: pip install failed (log above, also in .venv/setup.log)" >&2
        exit 1
    fi
}

if [ ! -x .venv/bin/python ]; then
    if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "setup: Python 3.11 or newer is needed ($PY is $("$PY" -V 2>&1 || echo missing)); set PYTHON=python3.11 or newer" >&2
        exit 2
    fi
    echo "setup: creating .venv"
    "$PY" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing the locked Python packages into .venv (pycairo and manimpango build from source: a minute or two)"
    : > .venv/setup.log
    locks=(-r requirements.lock)
    [ "$want_test" = 1 ] && locks+=(-r requirements-dev.lock)
    pip_install --require-hashes "${locks[@]}"
    pip_install --no-deps -e .
    echo "$want" > "$stamp"
    if [ "$want_test" = 1 ]; then echo "$want_dev" > "$dev_stamp"; fi
fi
if [ "$want_test" = 1 ] && [ "$(cat "$dev_stamp" 2>/dev/null)" != "$want_dev" ]; then
    echo "setup: installing the locked developer tools into .venv"
    : > .venv/setup.log
    pip_install --require-hashes -r requirements.lock -r requirements-dev.lock
    echo "$want_dev" > "$dev_stamp"
fi
if [ "$want_cluster" = 1 ] && [ "$(cat "$cluster_stamp" 2>/dev/null)" != "$want_cluster_lock" ]; then
    echo "setup: installing the locked cluster extra (Dask's distributed) into .venv"
    : > .venv/setup.log
    pip_install --require-hashes -r requirements-cluster.lock
    echo "$want_cluster_lock" > "$cluster_stamp"
fi
# reveal.js for the slide deck (and, with --test, ESLint), from npm (package-lock.json) into node_modules/
if [ "$want_test" = 1 ]; then bash scripts/vendor.sh --test; else bash scripts/vendor.sh; fi
