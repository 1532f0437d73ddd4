# syntax=docker/dockerfile:1
#
# One image for every Warden service. The container's command picks the service:
#   node services/<gateway|identity|policy|inventory|licensing|command>/dist/main.js
# (docker-compose.yml and deploy/k8s/ set it per container; the default is the gateway).
#
#   docker build -t warden:latest --build-arg WARDEN_VERSION=$(git describe --always) .

ARG NODE_IMAGE=node:20-bookworm-slim

# --- manifests: only libs/*/package.json, with their folders --------------------
# COPY with a wildcard flattens paths, so the workspace manifests are picked out
# here. The layer's content changes only when a manifest does, so `npm ci` below
# stays cached across source edits.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY libs ./libs
RUN find libs -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# --- deps: every dependency, dev included (needed to build) ----------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /app/libs ./libs
# --ignore-scripts: package.json's `allowScripts` turns every install script off
# (honoured by npm 11); the npm 10 shipped with Node 20 ignores that field, so this
# flag keeps the image install the same as a developer's.
RUN npm ci --ignore-scripts --no-audit --no-fund

# --- build: compile libs/*/dist, services/*/dist and tools/dist; the web console --
# (apps/console/dist: static files the gateway serves at /, CONSOLE_DIST_DIR)
FROM deps AS build
COPY . .
RUN npx tsc -b tsconfig.build.json \
 && npm run build:console \
 && mkdir -p /out \
 && cp -r --parents package.json libs/*/package.json libs/*/dist services/*/dist apps/console/dist /out/ \
 && find /out -name '*.tsbuildinfo' -delete

# --- prod-deps: runtime dependencies only ---------------------------------------
FROM deps AS prod-deps
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# --- runtime ----------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root: the service user only reads them (and the pods run with
# a read-only root filesystem). node_modules/@warden/* are symlinks to ../../libs/*.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /out/ ./
# Reported by every service's health check (GET /health on the gateway).
ARG WARDEN_VERSION=dev
ENV WARDEN_VERSION=${WARDEN_VERSION}
USER node
# Only the gateway listens (HTTP); the domain services talk over NATS only.
EXPOSE 8080
CMD ["node", "services/gateway/dist/main.js"]
