#!/usr/bin/env bash
# `npm start`: set up a fresh machine if needed, build, then run the whole
# system (local servers, five services, gateway serving the web console) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh
echo "[start] building"
npx tsc -b tsconfig.build.json
npm run --silent build:console
exec node tools/dist/dev/start.js
