#!/usr/bin/env bash
# Installs what Warden needs on a fresh Debian 12 machine, and nothing twice:
#   - npm dependencies (npm ci, when package-lock.json changed)
#   - nats-server and redis-server (Debian packages, when missing)
#   - FerretDB v1.24, built from tools/ferretdb into .cache/bin (when its sources changed)
# Safe to run again and again; `npm start` and `npm test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
stamp_dir="$root/.cache/stamps"
mkdir -p "$stamp_dir" "$root/.cache/bin"

say() { printf '\033[1m[provision]\033[0m %s\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "provision: '$1' is required but not installed ($2)" >&2; exit 1; }; }
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

need node "Node.js 20.19 or newer"
need npm "comes with Node.js"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "provision: Node.js >= 20.19 is required (found $(node -v))" >&2; exit 1; }

# 1. npm dependencies
lock_hash=$(hash_of package-lock.json package.json)
if [[ ! -d node_modules || "$(cat "$stamp_dir/npm" 2>/dev/null)" != "$lock_hash" ]]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_hash" >"$stamp_dir/npm"
fi

# 2. NATS and Redis from Debian's packages
missing=()
command -v nats-server >/dev/null 2>&1 || [[ -x /usr/sbin/nats-server ]] || missing+=(nats-server)
command -v redis-server >/dev/null 2>&1 || [[ -x /usr/bin/redis-server ]] || missing+=(redis-server)
if ((${#missing[@]})); then
  if [[ -n "${NATS_URL:-}" && -n "${REDIS_URL:-}" ]]; then
    say "skipping ${missing[*]}: NATS_URL and REDIS_URL point at your own servers"
  else
    say "installing ${missing[*]} with apt"
    sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The packages start system-wide copies on the standard ports; we run our own.
    $sudo service redis-server stop >/dev/null 2>&1 || true
    $sudo service nats-server stop >/dev/null 2>&1 || true
  fi
fi

# 3. FerretDB (the MongoDB wire protocol over SQLite) for machines without MongoDB
if [[ -z "${MONGODB_URI:-}" ]]; then
  ferret_hash=$(hash_of tools/ferretdb/go.mod tools/ferretdb/go.sum tools/ferretdb/main.go)
  if [[ ! -x .cache/bin/ferretdb || "$(cat "$stamp_dir/ferretdb" 2>/dev/null)" != "$ferret_hash" ]]; then
    need go "Go 1.22 or newer, to build FerretDB"
    say "building FerretDB v1.24 into .cache/bin (first time only, about 2-3 minutes)"
    started=$(date +%s)
    (cd tools/ferretdb && go build -trimpath -o "$root/.cache/bin/ferretdb" .)
    echo "$ferret_hash" >"$stamp_dir/ferretdb"
    say "FerretDB built in $(($(date +%s) - started))s"
  fi
fi
