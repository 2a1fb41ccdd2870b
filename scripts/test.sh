#!/usr/bin/env bash
# The whole test suite: unit tests, a fresh build, then Playwright against the built server.
# Usable on a fresh clone: installs npm dependencies and Debian's Chromium when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASTRO_TELEMETRY_DISABLED=1

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    for attempt in 1 2 3 4 5; do
      if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then break; fi
      echo "apt-get failed (attempt $attempt), retrying in 10 s…"; sleep 10
    done
  fi
  if [ ! -x /usr/bin/chromium ]; then
    echo "Chromium is missing: install it with 'sudo apt-get install -y chromium' and run the tests again." >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npx astro check --minimumSeverity warning
node --import tsx scripts/check-floating-promises.ts
npm run test:unit
# The same unit and service tests on PostgreSQL (a fresh database per test).
bash scripts/ensure-postgres.sh
npm run test:unit:postgres
npx astro build
npx playwright test --config e2e/playwright.config.ts
