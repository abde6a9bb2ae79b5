#!/usr/bin/env bash
# End-to-end test of the release build (scripts/test.sh runs it after `trunk build --release`): serves dist/ on
# 127.0.0.1 and drives headless Chromium through chromedriver (tests/e2e/test_app.py, Python standard library only).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST="${DIST:-$ROOT/dist}"
export E2E_SHOTS="$ROOT/target/e2e"
exec python3 "$ROOT/tests/e2e/test_app.py" "$DIST"
