#!/usr/bin/env bash
# `npm run bench`: set up, build, then measure on this machine (see tools/bench/bench.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh
npx tsc -b tsconfig.build.json
exec node tools/dist/bench/bench.js
