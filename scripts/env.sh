# shellcheck shell=bash
# Sourced by scripts/setup.sh, scripts/test.sh and scripts/serve.sh (not run on its own).
# Puts the project's tools on PATH and configures the wasm32 browser test runner.
# Expects ROOT to be the repository root.

: "${ROOT:?ROOT must be set to the repository root before sourcing scripts/env.sh}"

# Tools installed by `cargo install` (trunk, wasm-bindgen, wasm-pack).
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# wasm-opt from npm's `binaryen` package, installed project-locally by scripts/setup.sh.
# Trunk looks wasm-opt up on PATH; Trunk.toml pins the version so it never downloads one.
export BINARYEN_BIN="$ROOT/.tools/binaryen/node_modules/.bin"
export PATH="$BINARYEN_BIN:$PATH"

# Versions the project pins.
export TRUNK_VERSION="0.21.14"
export WASM_PACK_VERSION="0.15.1"
export BINARYEN_VERSION="132"
# wasm-bindgen-cli must be exactly the wasm-bindgen version locked in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '
  /^\[\[package\]\]/ { inpkg = 0 }
  /^name = "wasm-bindgen"$/ { inpkg = 1; next }
  inpkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
' "$ROOT/Cargo.lock")"
if [[ -z "$WASM_BINDGEN_VERSION" ]]; then
  echo "env.sh: could not read the wasm-bindgen version from Cargo.lock" >&2
  return 1
fi
export WASM_BINDGEN_VERSION

# Browser tests: `cargo test --target wasm32-unknown-unknown` runs each test binary through
# wasm-bindgen-test-runner, which drives headless Chromium via chromedriver. The runner reads
# browser capabilities (extra Chromium flags) from webdriver.json in the repository root.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="wasm-bindgen-test-runner"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json"
# Seconds a browser test binary may take (runner default: 20).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

# Trunk: never download tools (wasm-bindgen, wasm-opt, ...) and skip its update check.
# (Trunk.toml also sets `offline = true` for plain `trunk` invocations.)
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
