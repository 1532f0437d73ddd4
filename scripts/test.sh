#!/usr/bin/env bash
# `npm test`: set up a fresh machine if needed, then format check, lint,
# typecheck + build (the web console too), unit tests, and integration tests
# against real servers (nats-server, redis-server, the MongoDB-wire server)
# started for this run, the web console's in headless chromium among them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

step "format"
npx prettier --check . --log-level warn
step "lint"
npx nx show projects >/dev/null # computes the project graph the module-boundary rule reads
npx eslint . --max-warnings 0
step "typecheck and build"
npx tsc -p tsconfig.json
npx tsc -p apps/console/tsconfig.json
npx tsc -b tsconfig.build.json
npm run --silent build:console
step "unit and integration tests"
results=.cache/jest-results.json
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
node tools/test-report.mjs "$PWD/$results" || true
exit "$status"
