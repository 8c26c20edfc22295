#!/usr/bin/env bash
# The README's test command: build, unit/CLI/property tests, then the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests…"
    (apt-get install -y chromium || (apt-get update && apt-get install -y chromium)) >/dev/null
  else
    echo "error: /usr/bin/chromium is missing; install it with: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

npm run build --silent
npm run typecheck --silent   # the tests too: vitest itself does not type-check
npm run lint --silent        # the layering of SPEC §10
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
npx playwright test
node scripts/tally.mjs
