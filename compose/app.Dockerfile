# The shop node's image: TypeScript compiled in a build stage, then the compiled app with its
# production dependencies only, running as the unprivileged `node` user.
# Built by the compose files in this directory (context: the repository root), once for every node
# of a topology (they all name the image session-lab/app:local).
# Behind a TLS-inspecting proxy npm needs the proxy's CA: the compose files pass the file that
# NODE_EXTRA_CA_CERTS names as the build secret extra_ca, mounted for `npm ci` only and never
# written into a layer; without it the secret is empty and npm trusts its own CAs.

FROM node:24.19.0-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=extra_ca \
    if [ -s /run/secrets/extra_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/extra_ca; fi; \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY app ./app
RUN npm run build

FROM node:24.19.0-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    SESSION_FILE_DIR=/var/lib/session-lab/sessions
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=extra_ca \
    if [ -s /run/secrets/extra_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/extra_ca; fi; \
    npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
# The file store's directory belongs to the app user; a named volume mounted here starts as a copy of it.
# /var/lib/lab-sessions is where `lab check` mounts each node's volume for its {file_dir}.
RUN mkdir -p /var/lib/session-lab/sessions /var/lib/lab-sessions && chown -R node:node /var/lib/session-lab /var/lib/lab-sessions
USER node
EXPOSE 3000
# The slim image has no curl: Node's own fetch asks /healthz (200 only when the store answers).
HEALTHCHECK --interval=2s --timeout=2s --start-period=5s --retries=15 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --expose-gc lets GET /debug/memory measure a settled heap, as in local runs.
CMD ["node", "--expose-gc", "dist/app/server.js"]
