# The shop node's image: TypeScript compiled in a build stage, then the compiled app with its
# production dependencies only, running as the unprivileged `node` user.
# Built by the compose files in this directory (context: the repository root).

FROM node:24.11.1-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY app ./app
RUN npm run build

FROM node:24.11.1-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    SESSION_FILE_DIR=/var/lib/session-lab/sessions
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
# The file store's directory belongs to the app user; a named volume mounted here starts as a copy of it.
RUN mkdir -p /var/lib/session-lab/sessions && chown -R node:node /var/lib/session-lab
USER node
EXPOSE 3000
# The slim image has no curl: Node's own fetch asks /healthz (200 only when the store answers).
HEALTHCHECK --interval=2s --timeout=2s --start-period=5s --retries=15 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --expose-gc lets GET /debug/memory measure a settled heap, as in local runs.
CMD ["node", "--expose-gc", "dist/app/server.js"]
