#!/usr/bin/env bash
# Set-up for a fresh machine: nats-server, openssl and chromium from Debian when missing, pnpm when missing, the
# workspace's dependencies from the lockfile, and a build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[setup] %s\n' "$*" >&2; }

need_apt=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need_apt+=(nats-server)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# Headless browser for the status-page e2e test (driven by playwright-core).
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} with apt-get"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v kubectl >/dev/null 2>&1 || log "warning: kubectl not found; the emulator fidelity tests and e2e assertions need it"
if ! command -v pnpm >/dev/null 2>&1; then
  log "installing pnpm"
  npm install -g pnpm@9.15.9 >/dev/null
fi
pnpm install --frozen-lockfile
pnpm build
log "ready: node $(node --version), pnpm $(pnpm --version)"
