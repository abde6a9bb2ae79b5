#!/usr/bin/env bash
# Serves the web app with live rebuilds: http://127.0.0.1:${PORT:-8080}/
#   PORT=9000 bash scripts/serve.sh         # another port
#   ADDRESS=0.0.0.0 bash scripts/serve.sh   # listen on all interfaces
# Extra arguments go to `trunk serve`. Uses only local tools (Trunk never downloads).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash "$ROOT/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

# Trunk runs cargo with --offline (Trunk.toml), so fetch every crate first.
cargo fetch
exec trunk serve --release --address "${ADDRESS:-127.0.0.1}" --port "${PORT:-8080}" "$@"
