# The bot's container image: build with the dev dependencies, run with the production ones only.
# No Docker engine runs on the build machines: test/unit/dockerfile.test.ts checks this file offline
# (stages, user, port, command and flags against package.json's `start` and src/config.ts).
#
# Node 22 (LTS until April 2027): Node 20 reached its end of life on 30 April 2026 and package.json's
# engines allow 22. Pinned by tag; pin a digest too (node:<tag>@sha256:...) if your policy wants
# an immutable base, and move both stages together.
ARG NODE_IMAGE=node:22.20.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# botbuilder-dialogs' postinstall runs `npx rimraf` (see .npmrc); the build stage installs as CI does.
ENV npm_config_yes=true
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY dialogs ./dialogs
COPY cards ./cards
COPY manifest ./manifest
# esbuild: every TypeScript file of the app to dist/ (CommonJS), card templates and seed data copied.
RUN node scripts/build.mjs

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# The image runs production mode only: every Azure key is required and nothing is written to disk
# (the sandbox, which writes DATA_DIR, is for laptops). glibc gives large freed buffers back to the
# system (docs/operations.md "Memory and node flags": ~325 MB resident instead of ~515 MB after a 100,000-entity import).
ENV NODE_ENV=production \
    BOT_MODE=production \
    PORT=3978 \
    MALLOC_MMAP_THRESHOLD_=131072
COPY package.json package-lock.json .npmrc ./
# No install script is needed at run time: esbuild's binary comes as an optional package, and
# botbuilder-dialogs' postinstall only deletes nested duplicate copies of a recognizer package.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The node image's unprivileged user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 3978
# SIGTERM (the default) makes the bot stop accepting, finish turns in flight within
# SHUTDOWN_GRACE_MS, hand running jobs back and close the store.
STOPSIGNAL SIGTERM
# Exec form: node is PID 1 and receives SIGTERM itself. The same flags as `npm start` (a test keeps
# them equal). The migration runs from this image too: `node dist/src/db-migrate.js`.
CMD ["node", "--no-deprecation", "--expose-gc", "--heap-growing-percent=70", "--max-semi-space-size=8", "dist/src/main.js"]
