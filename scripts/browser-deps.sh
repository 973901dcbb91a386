#!/usr/bin/env bash
# Installs what the inspector's browser test (InspectorBrowserEndToEndTest) needs, idempotently:
#   - Debian's chromium (/usr/bin/chromium), with apt-get (as root, or through sudo), when it is missing;
#   - Node.js and npm from Debian, when node is missing;
#   - the npm package playwright-core (no browser download) from memsync-cli/src/test/browser/package-lock.json.
# .ci/run calls it before ./test.sh; run it once by hand before ./test.sh on a new machine.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "browser-deps: installing ${missing[*]} with apt-get" >&2
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
cd memsync-cli/src/test/browser
if [ ! -f node_modules/playwright-core/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "browser-deps: npm ci in $(pwd)" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
echo "browser-deps: $(/usr/bin/chromium --version 2>/dev/null | head -n 1), node $(node --version), playwright-core $(node -p "require('./node_modules/playwright-core/package.json').version")" >&2
