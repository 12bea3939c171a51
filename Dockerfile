# syntax=docker/dockerfile:1
# One image for the four services and the console; the argument picks one:
#   docker run ... watchfloor intake|triage|notification|audit|console
# or an operator command (docs/operations.md): outbox-replay|audit-verify|token [--help]
# Stages: deps (every package, for the compiler and Vite) -> build (tsc into dist/, the console's
# bundle into dist/console: `npm run build`) -> prod-deps
# (run-time packages only) -> runtime (dist/ and those packages, as a non-root user).
# Node 24, the line package.json's engines names (Nest 12 is ESM-only and the build is CommonJS: require(esm)).
# For reproducible builds pin the digest too: --build-arg NODE_IMAGE=node:24.22.3-bookworm-slim@sha256:...
# deploy/test/image.int.spec.ts checks this file: COPY sources, the build it runs, the
# packages `npm ci --omit=...` leaves out, and that the entry point starts every service.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: the build needs only tsc, and none of the run-time packages needs one.
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY tools/build ./tools/build
# The operator commands, compiled with the services (their `npm run` scripts in a checkout).
COPY tools/outbox ./tools/outbox
COPY tools/audit ./tools/audit
COPY tools/token ./tools/token
COPY tools/integrity ./tools/integrity
COPY tools/cli ./tools/cli
COPY libs ./libs
COPY apps ./apps
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
# --omit=optional also drops optional peers that only the dev tools pull in (typescript, grpc).
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# npm, npx, corepack and yarn are not needed to run: fewer megabytes, fewer CVEs to patch.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production HOST=0.0.0.0
# V8's heap, bounded (docs/operations.md, "Memory"): 8 MiB semi-spaces and a 192 MiB old
# space keep each service near 180 MiB resident under load (docs/BENCHMARKS.md, "Memory").
# A heap that needs more than that ends the process ("JavaScript heap out of memory") well
# below the pods' 512Mi limit. Fixed rather than a share of the container's limit
# (--max-old-space-size-percentage): the same bound with or without a limit (compose sets
# none). To raise it, set NODE_OPTIONS in the container's environment; it replaces this.
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=192"
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# The image's `node` user (uid 1000), by number so Kubernetes can check runAsNonRoot. The
# files stay root's: the services write nothing to disk (compose runs them read_only).
USER 1000:1000
ENTRYPOINT ["node", "/app/dist/main.js"]
