#!/usr/bin/env bash
# Serves the web app with live rebuilds: http://127.0.0.1:${PORT:-8080}/
#   PORT=9000 bash scripts/serve.sh         # another port
#   ADDRESS=0.0.0.0 bash scripts/serve.sh   # listen on all interfaces
# Extra arguments go to `trunk serve`. Uses only local tools (Trunk never downloads).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ADDRESS="${ADDRESS:-127.0.0.1}"
PORT="${PORT:-8080}"
# A port already taken fails after the whole build (and would rebuild dist/ under the server using it): say so first.
if (exec 3<>"/dev/tcp/${ADDRESS/0.0.0.0/127.0.0.1}/$PORT") 2>/dev/null; then
  echo "serve.sh: port $PORT is already in use on ${ADDRESS}; choose another: PORT=9000 bash scripts/serve.sh" >&2
  exit 1
fi
bash "$ROOT/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

# Trunk runs cargo with --offline (Trunk.toml), so fetch every crate first.
cargo fetch
echo "serve.sh: the app will be at http://${ADDRESS/0.0.0.0/127.0.0.1}:$PORT/ (Trunk may also list other names for this machine)"
exec trunk serve --release --address "$ADDRESS" --port "$PORT" "$@"
