#!/usr/bin/env bash
# scripts/setup.sh [--test]: install what the project needs, quickly when it is all there already.
#
# 1. System packages Manim needs (Cairo and Pango headers to build pycairo and manimpango; TeX with
#    standalone.cls and dvisvgm for MathTex; with --test also Chromium for the page test): installed
#    with apt-get when run as root, otherwise one line naming what to install, exit 2.
# 2. A virtual environment .venv with the project and its pinned dependencies (pyproject.toml),
#    re-installed only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

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
stamp=.venv/.setup-stamp
# The editable install maps the top-level packages that exist when it runs: re-install when
# pyproject.toml or that list changes.
want="$( { cat pyproject.toml; ls -d -- */__init__.py 2>/dev/null; } | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PY" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing Python dependencies into .venv (pycairo and manimpango build from source: a minute or two)"
    if ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]" > .venv/setup.log 2>&1; then
        cat .venv/setup.log >&2
        echo "setup: pip install failed (log above, also in .venv/setup.log)" >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi
