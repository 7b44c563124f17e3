#!/usr/bin/env bash
# scripts/vendor.sh: install the JavaScript the slide deck vendors (reveal.js, pinned with its integrity hash in
# package-lock.json) into node_modules/, quickly when it is there already. scripts/setup.sh runs it.
#
# `python -m lecture slides` copies what a deck needs from node_modules/reveal.js/dist/ into every deck, so a deck
# works opened from disk with no network. npm fetches from the package registry only here, at set-up; without npm
# it is installed with apt-get when run as root, otherwise one line names what to install, exit 2.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.vendor-stamp
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -f node_modules/reveal.js/dist/reveal.js ]; then
    exit 0
fi
if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "vendor: installing npm"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends npm >/dev/null
    else
        echo "vendor: npm is missing (the slide deck vendors reveal.js with it); run: sudo apt-get install npm" >&2
        exit 2
    fi
fi
echo "vendor: installing reveal.js into node_modules/ (npm ci, from package-lock.json)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! npm ci --ignore-scripts --no-audit --no-fund --loglevel=error > "$log" 2>&1; then
    cat "$log" >&2
    echo "vendor: npm ci failed (log above)" >&2
    exit 1
fi
echo "$want" > "$stamp"
