#!/usr/bin/env bash
# THE test command (CI runs it through .ci/run). Run from anywhere; it works in the repo root.
#
# Steps, each timed:
#   setup      scripts/setup.sh (installs missing tools; skips what is present)
#   fmt        cargo fmt --check
#   clippy     native, all targets, -D warnings
#   clippy-wasm  wasm32: lib, bins and tests, -D warnings
#   test       native cargo test (unit, integration, doc tests)
#   test-wasm  cargo test --target wasm32-unknown-unknown --lib --bins --tests, every test
#              binary run by wasm-bindgen-test-runner in headless Chromium; FAILS if zero
#              tests ran in the browser
#   bench-browser  cargo test --target wasm32-unknown-unknown --release --test browser_bench: edits on the
#              scale-1 synthetic plan timed in headless Chromium (release profile, as shipped; wasm32 aborts
#              on panic either way); prints "browser edit latency (scale 1): median X ms, p90 Y ms, max Z ms"
#              and asserts no time
#   trunk      trunk build --release (wasm-opt from .tools/binaryen; never downloads)
#   e2e        scripts/e2e.sh, if it exists (gets DIST=<repo>/dist)
#   bench      cargo bench --bench check --bench app (harness=false; they print their own numbers)
#
# Conventions for tests (the browser run compiles EVERY test target for wasm32):
#   * A native-only file in tests/ (CLI tests, anything using std::process, std::fs, ...)
#     starts with    #![cfg(not(target_arch = "wasm32"))]
#     so it compiles to an empty test binary for wasm32.
#   * A browser test file in tests/ starts with
#         #![cfg(target_arch = "wasm32")]
#         wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
#     and marks its tests #[wasm_bindgen_test]. Without the configure line the runner does
#     NOT use the browser (it falls back to Node.js), and plain #[test] functions are not run
#     on wasm32 at all.
#   * Library unit tests run in the browser too: src/lib.rs has the one
#         wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
#     for the lib's test binary, and every unit-test module starts with
#         #[cfg(target_arch = "wasm32")]
#         use crate::browser_test as test;   (the alias src/lib.rs defines)
#     so its plain #[test] functions are wasm_bindgen_test functions on wasm32.
# Logs of each step: target/test-logs/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
T_START=$(date +%s)
TIMES=()

summary() {
  echo
  echo "==================== step times ===================="
  local line
  for line in "${TIMES[@]}"; do
    echo "  $line"
  done
  echo "  total: $(( $(date +%s) - T_START ))s"
}

# step NAME CMD...: runs CMD, its output also going to target/test-logs/NAME.log, and
# records how long it took. Stops the script (after printing the times) if CMD fails.
step() {
  local name="$1"; shift
  local t0 rc
  t0=$(date +%s)
  echo
  echo "==> [$name] $*"
  set +e
  "$@" 2>&1 | tee "$LOGS/$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  local secs=$(( $(date +%s) - t0 ))
  if [[ $rc -ne 0 ]]; then
    TIMES+=("$(printf '%-12s %5ss  FAILED (exit %s)' "$name" "$secs" "$rc")")
    echo "<== [$name] FAILED (exit $rc) after ${secs}s"
    summary
    exit "$rc"
  fi
  TIMES+=("$(printf '%-12s %5ss' "$name" "$secs")")
  echo "<== [$name] ok in ${secs}s"
}

# count_tests LOG MODE: sums "test result:" lines of a cargo test log. MODE=browser counts
# only test binaries that the runner ran in headless Chromium ("Running headless tests in
# Chrome"); MODE=other counts the rest (native, or Node.js fallback). Prints "PASSED FAILED".
count_tests() {
  awk -v mode="$2" '
    /^ +Running / { browser = 0 }
    /Running headless tests in Chrome/ { browser = 1 }
    /^test result:/ {
      p = 0; f = 0
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^passed;?$/) p = $(i - 1)
        if ($i ~ /^failed;?$/) f = $(i - 1)
      }
      if ((mode == "browser") == (browser == 1)) { tp += p; tf += f }
    }
    END { printf "%d %d\n", tp, tf }
  ' "$1"
}

step setup bash "$ROOT/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

step fmt cargo fmt --all --check
step clippy cargo clippy --all-targets -- -D warnings
step clippy-wasm cargo clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings
step test cargo test
read -r NATIVE_PASSED NATIVE_FAILED < <(count_tests "$LOGS/test.log" other)

step test-wasm cargo test --target wasm32-unknown-unknown --lib --bins --tests
read -r BROWSER_PASSED BROWSER_FAILED < <(count_tests "$LOGS/test-wasm.log" browser)
read -r NODE_PASSED NODE_FAILED < <(count_tests "$LOGS/test-wasm.log" other)
echo "native: $NATIVE_PASSED passed, $NATIVE_FAILED failed"
echo "browser: $BROWSER_PASSED passed, $BROWSER_FAILED failed"
if (( NODE_PASSED + NODE_FAILED > 0 )); then
  echo "WARNING: $((NODE_PASSED + NODE_FAILED)) wasm32 test(s) ran in Node.js, not the browser:" \
    "a test file lacks wasm_bindgen_test_configure!(run_in_browser)"
fi
if (( BROWSER_PASSED == 0 )); then
  echo "ERROR: no test ran in the browser (expected at least tests/wasm_smoke.rs)"
  summary
  exit 1
fi

step bench-browser cargo test --target wasm32-unknown-unknown --release --test browser_bench -- --nocapture
echo "---- browser figures (also in target/test-logs/bench-browser.log) ----"
grep -E "latency|first (view|render)|of which|Tools .* page \(scale 1\)|autosave|local storage write|opened through the DOM|share link \(scale" "$LOGS/bench-browser.log" || true

# Trunk runs cargo with --offline (Trunk.toml), so make sure every crate is fetched first.
step fetch cargo fetch
step trunk trunk build --release
{
  echo "dist/:"
  (cd dist && find . -type f | sort | while read -r f; do
    printf '  %-50s %9s bytes  (gzip -9: %s)\n' "$f" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
  done)
  for pre in target/wasm-bindgen/release/*_bg.wasm; do
    [[ -f "$pre" ]] || continue
    printf 'wasm before wasm-opt: %s %s bytes (gzip -9: %s)\n' \
      "$pre" "$(stat -c %s "$pre")" "$(gzip -9c "$pre" | wc -c)"
  done
  # The figure that matters: what a browser downloads to run the app (the wasm and its JS glue), gzipped.
  bundle=0
  for f in dist/*_bg.wasm dist/*.js; do
    if [[ -f "$f" ]]; then bundle=$(( bundle + $(gzip -9c "$f" | wc -c) )); fi
  done
  printf 'bundle (wasm + js), gzip -9: %s KB (%s bytes)\n' "$(( (bundle + 500) / 1000 ))" "$bundle"
} | tee "$LOGS/dist-sizes.log"

if [[ -f "$ROOT/scripts/e2e.sh" ]]; then
  export DIST="$ROOT/dist"
  step e2e bash "$ROOT/scripts/e2e.sh"
else
  echo "(no scripts/e2e.sh: end-to-end step skipped)"
fi

step bench cargo bench --bench check --bench app

summary
echo "tests: $((NATIVE_PASSED + BROWSER_PASSED)) passed, $((NATIVE_FAILED + BROWSER_FAILED)) failed"
