# syntax=docker/dockerfile:1
# One image for both entry points of gold-serving:
#   API        node dist/src/main.js       (default CMD, listens on PORT=5000)
#   publisher  node dist/publisher/cli.js  (one-shot; see docker-compose.serving.yml)
# Build:  docker build -t gold-serving .
# Node 22 (LTS): Node 20 reached end of life on 2026-04-30, and the AWS SDK warns on every
# publisher run under it. The test suite passes on both (20.20 in CI, 22.23 checked by hand).
ARG NODE_IMAGE=node:22-alpine

# ---- build: all dependencies (TypeScript is a dev dependency), compile to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: package.json's allowScripts denies install scripts; nothing here needs one.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies and compiled JavaScript only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=5000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
# Owned by root and read-only for the runtime user: the process cannot rewrite its own code.
COPY --from=build /app/dist ./dist
# Files the compiled code reads from the package root: the OpenAPI document (/openapi.json, /docs)
# and the dashboard's static page (web/dashboard, located from dist/src/dashboard).
COPY openapi.yaml ./
COPY web ./web
COPY docker/healthcheck.js ./docker/healthcheck.js
# `node` (uid 1000) is the unprivileged user of the official Node images.
USER node
EXPOSE 5000
# Node-based probe (the image has no curl): healthy once /readyz answers 200.
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=5 \
  CMD ["node", "docker/healthcheck.js", "/readyz"]
CMD ["node", "dist/src/main.js"]
