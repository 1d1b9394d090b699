# Sourced by scripts/start and scripts/test: makes a fresh machine able to build the workspace.
# Installs only what is missing: pnpm (pinned, through npm: corepack fails on this registry's
# unsigned metadata) and the workspace's dependencies from the lockfile.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PNPM_VERSION="10.34.9"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

step_started=$SECONDS
step() { printf '\n==> [%4ss] %s\n' "$((SECONDS - step_started))" "$*"; }

require_node() {
  command -v node >/dev/null || { echo "Node.js >= 20.19 is required (none found)" >&2; exit 1; }
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || { echo "Node.js >= 20.19 is required, found $(node -v)" >&2; exit 1; }
}

ensure_pnpm() {
  if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    step "installing pnpm $PNPM_VERSION"
    npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
  fi
}

install_dependencies() {
  step "installing workspace dependencies"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only | tail -n 3)
}

bootstrap() {
  require_node
  ensure_pnpm
  install_dependencies
}
