#!/usr/bin/env bash
# Installs what Warden needs on a fresh Debian 12 machine, and nothing twice:
#   - npm dependencies (npm ci, when package-lock.json changed)
#   - nats-server and redis-server (Debian packages, when missing)
#   - chromium and fonts-noto-cjk (Debian packages, when missing): the web
#     console's browser tests; without the fonts Japanese renders as boxes
#   - a JDK and Maven (Debian packages, when missing), then the local MongoDB-wire
#     server (mongo-java-server, from Maven Central) built from tools/mongo-wire
#     into .cache/bin/mongo-wire.jar (when its sources changed)
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

# 2. Debian packages: NATS, Redis, and (without MONGODB_URI) Java 17 + Maven
sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
missing=()
if [[ -z "${NATS_URL:-}" || -z "${REDIS_URL:-}" ]]; then # else: your own servers
  command -v nats-server >/dev/null 2>&1 || [[ -x /usr/sbin/nats-server ]] || missing+=(nats-server)
  command -v redis-server >/dev/null 2>&1 || [[ -x /usr/bin/redis-server ]] || missing+=(redis-server)
fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[[ -d /usr/share/fonts/opentype/noto ]] || missing+=(fonts-noto-cjk)
if [[ -z "${MONGODB_URI:-}" ]]; then
  command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
fi
if ((${#missing[@]})); then
  say "installing ${missing[*]} with apt"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The server packages start system-wide copies on the standard ports; we run our own.
  $sudo service redis-server stop >/dev/null 2>&1 || true
  $sudo service nats-server stop >/dev/null 2>&1 || true
fi

# 3. The local MongoDB-wire server (mongo-java-server) for machines without MongoDB
if [[ -z "${MONGODB_URI:-}" ]]; then
  wire_hash=$(hash_of tools/mongo-wire/pom.xml $(find tools/mongo-wire/src -type f | sort))
  if [[ ! -f .cache/bin/mongo-wire.jar || "$(cat "$stamp_dir/mongo-wire" 2>/dev/null)" != "$wire_hash" ]]; then
    say "building the local MongoDB-wire server (mongo-java-server) into .cache/bin"
    started=$(date +%s)
    mvn -B -q -Dstyle.color=never -f tools/mongo-wire/pom.xml package
    cp tools/mongo-wire/target/mongo-wire.jar .cache/bin/mongo-wire.jar
    echo "$wire_hash" >"$stamp_dir/mongo-wire"
    say "mongo-wire built in $(($(date +%s) - started))s"
  fi
fi
