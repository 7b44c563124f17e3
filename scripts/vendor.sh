#!/usr/bin/env bash
# scripts/vendor.sh [--test]: install what the project takes from npm, pinned with their integrity hashes in
# package-lock.json, into node_modules/, quickly when it is there already. scripts/setup.sh runs it.
#
# - reveal.js, which the slide deck vendors: `python -m lecture slides` copies what a deck needs from
#   node_modules/reveal.js/dist/ into every deck, so a deck works opened from disk with no network;
# - with --test, also the developer tools of package.json's devDependencies (ESLint, with its recommended
#   rules and the browsers' globals), which `make test` runs on the JavaScript of the page and the deck
#   (eslint.config.mjs); axe-core, which the page tests run in the browser for WCAG 2.1 A/AA violations;
#   scorm-again, an LMS's SCORM 1.2 runtime that the package test hands the packaged page; gift-pegjs,
#   the GIFT parser the tests read the written questions back with. `make lecture` never installs them.
#
# npm fetches from the package registry only here, at set-up; without npm it is installed with apt-get when run
# as root, otherwise one line names what to install, exit 2.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

stamp=node_modules/.vendor-stamp   # the lock's digest and what was installed: "runtime" or "test" (both)
lock="$(sha256sum package-lock.json | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
if [ -f node_modules/reveal.js/dist/reveal.js ]; then
    if [ "$have" = "$lock test" ]; then exit 0; fi
    if [ "$want_test" = 0 ] && [ "$have" = "$lock runtime" ]; then exit 0; fi
fi
if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "vendor: installing npm"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends npm >/dev/null
    else
        echo "vendor: npm is missing (the slide deck vendors reveal.js with it, the tests ESLint); run: sudo apt-get install npm" >&2
        exit 2
    fi
fi
if [ "$want_test" = 1 ]; then
    what="reveal.js and the developer tools (ESLint, axe-core, scorm-again, gift-pegjs)"; omit=(); mode=test
else
    what="reveal.js"; omit=(--omit=dev); mode=runtime
fi
echo "vendor: installing $what into node_modules/ (npm ci, from package-lock.json)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! npm ci "${omit[@]}" --ignore-scripts --no-audit --no-fund --loglevel=error > "$log" 2>&1; then
    cat "$log" >&2
    echo "vendor: npm ci failed (log above)" >&2
    exit 1
fi
echo "$lock $mode" > "$stamp"
