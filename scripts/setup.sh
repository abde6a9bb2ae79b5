#!/usr/bin/env bash
# Installs everything the build, the tests and `trunk serve` need, skipping what is already
# present in the right version. Safe to run again and again (scripts/test.sh and
# scripts/serve.sh call it first). Needs only rustup/cargo, node/npm and apt on Debian.
#
# Installs:
#   - apt: chromium, chromium-driver (headless browser tests)
#   - rustup: target wasm32-unknown-unknown, components clippy and rustfmt
#   - cargo install: wasm-bindgen-cli (= the wasm-bindgen version in Cargo.lock),
#                    wasm-pack 0.15.1, trunk 0.21.14 (0.22 needs a newer rustc)
#   - npm (project-local, .tools/binaryen): binaryen 132, whose wasm-opt Trunk uses
# Nothing downloads a prebuilt binary outside these package registries.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

DID=()
say() { echo "setup: $*"; }
present() { say "ok      $*"; DID+=("present: $*"); }
installed() { say "INSTALLED $*"; DID+=("installed: $*"); }

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  SUDO="sudo"
fi

# --- apt: chromium + chromium-driver ------------------------------------------------------
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  present "chromium + chromedriver ($(chromedriver --version 2>/dev/null | head -n1))"
else
  say "installing chromium chromium-driver with apt-get"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  installed "chromium + chromedriver ($(chromedriver --version 2>/dev/null | head -n1))"
fi

# --- rustup: wasm32 target, clippy, rustfmt -------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  present "rust target wasm32-unknown-unknown"
else
  rustup target add wasm32-unknown-unknown
  installed "rust target wasm32-unknown-unknown"
fi
for component in clippy rustfmt; do
  if rustup component list --installed | grep -q "^${component}"; then
    present "rustup component $component"
  else
    rustup component add "$component"
    installed "rustup component $component"
  fi
done

# --- cargo install helpers ------------------------------------------------------------------
# version_of CMD: prints the second word of `CMD --version` ("trunk 0.21.14" -> "0.21.14").
version_of() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$1" --version 2>/dev/null | head -n1 | awk '{print $2}'
}
# cargo_install CRATE VERSION: --locked first; if the registry lags behind a lock file
# pin, retry without --locked. --force replaces a binary of another version.
cargo_install() {
  local crate="$1" version="$2"
  say "cargo install $crate@$version (this compiles from source; takes minutes)"
  if ! cargo install --locked --force "$crate@$version"; then
    say "cargo install --locked $crate@$version failed; retrying without --locked"
    cargo install --force "$crate@$version"
  fi
}
ensure_cargo_tool() {
  local crate="$1" bin="$2" want="$3" have
  have="$(version_of "$bin")"
  if [[ "$have" == "$want" ]]; then
    present "$bin $want"
  else
    if [[ -n "$have" ]]; then say "$bin is $have, need $want"; fi
    cargo_install "$crate" "$want"
    have="$(version_of "$bin")"
    if [[ "$have" != "$want" ]]; then
      say "ERROR: after installing, \`$bin --version\` says '$have', expected '$want' ($(command -v "$bin" || echo 'not on PATH'))"
      exit 1
    fi
    installed "$bin $want"
  fi
}

ensure_cargo_tool wasm-bindgen-cli wasm-bindgen "$WASM_BINDGEN_VERSION"
ensure_cargo_tool wasm-pack wasm-pack "$WASM_PACK_VERSION"
ensure_cargo_tool trunk trunk "$TRUNK_VERSION"

# --- npm: binaryen (wasm-opt) into .tools/binaryen ------------------------------------------
# Debian's wasm-opt is too old for current rustc output; npm's binaryen ships a working one.
wasm_opt_version() {
  [[ -x "$BINARYEN_BIN/wasm-opt" ]] || return 0
  "$BINARYEN_BIN/wasm-opt" --version 2>/dev/null | awk '{print $3}'
}
if [[ "$(wasm_opt_version)" == "$BINARYEN_VERSION" ]]; then
  present "wasm-opt $BINARYEN_VERSION (.tools/binaryen)"
else
  say "installing binaryen@$BINARYEN_VERSION with npm into .tools/binaryen"
  mkdir -p "$ROOT/.tools/binaryen"
  npm install --prefix "$ROOT/.tools/binaryen" --no-save --no-audit --no-fund \
    "binaryen@$BINARYEN_VERSION"
  if [[ "$(wasm_opt_version)" != "$BINARYEN_VERSION" ]]; then
    say "ERROR: .tools/binaryen wasm-opt --version says '$("$BINARYEN_BIN/wasm-opt" --version 2>&1 || true)'"
    exit 1
  fi
  installed "wasm-opt $BINARYEN_VERSION (.tools/binaryen)"
fi

say "summary:"
for line in "${DID[@]}"; do
  say "  $line"
done
