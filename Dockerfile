# syntax=docker/dockerfile:1
# One image per service: docker build --build-arg SERVICE=gateway|matcher|applier -t evtrigger-<service> .
# Build stage: the whole workspace with dev dependencies, type-checked and compiled by `pnpm build`.
# Runtime stage: only `pnpm deploy --prod` output (the service's dist, its production dependencies and the
# workspace libs it uses, each reduced to their published `files`), run as a non-root user. The process
# writes nothing outside /tmp, so the container runs with a read-only root filesystem.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION=9.15.9
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /src
# Dependencies first (cached while the lockfile is unchanged): `pnpm fetch` needs only the lockfile.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY package.json tsconfig.json tsconfig.base.json ./
COPY libs ./libs
COPY services ./services
COPY e2e/package.json ./e2e/package.json
RUN pnpm install --offline --frozen-lockfile
RUN pnpm build
# pnpm 9's deploy resolves the injected workspace libs' dependencies again (registry metadata, preferring the
# lockfile's versions); check-deploy-lock fails the build if anything outside the lockfile slipped in.
COPY scripts/check-deploy-lock.mjs ./scripts/
# Declared here so every layer above is shared by the three images (an ARG invalidates the RUNs after it).
ARG SERVICE=gateway
RUN case "${SERVICE}" in gateway|matcher|applier) ;; *) echo "SERVICE must be gateway, matcher or applier" >&2; exit 1;; esac \
 && pnpm deploy --filter "@evtrigger/${SERVICE}" --prod /out \
 && test -f /out/dist/main.js \
 && node scripts/check-deploy-lock.mjs /out pnpm-lock.yaml

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=gateway
LABEL org.opencontainers.image.title="evtrigger-${SERVICE}" \
      org.opencontainers.image.description="evtrigger ${SERVICE}: Kubernetes reacting to CloudEvents over NATS"
ENV NODE_ENV=production \
    TMPDIR=/tmp \
    EVT_HTTP_HOST=0.0.0.0 \
    EVT_HTTP_PORT=8080
WORKDIR /app
# Root-owned and not writable by the service user: the code cannot be changed at run time.
COPY --from=build /out /app
# The node image's unprivileged user, numeric so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.EVT_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/main.js"]
