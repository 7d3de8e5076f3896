#!/usr/bin/env bash
# Browser tests: the built page served by nginx, driven in Debian's Chromium by playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."
DEPS="${FINESSE_DEPS:-$HOME/.cache/finesse-inspector}"
PORT=${FI_TEST_PORT:-18080}
bash scripts/build-web.sh  # incremental: up to date in a second when nothing changed
[ -x build/finesse-inspect ] || { cmake -S . -B build >/dev/null && cmake --build build -j2 --target finesse-inspect; }
bash scripts/serve.sh build-wasm/dist "$PORT" > build-wasm/nginx.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; pkill -f "nginx -p /tmp/finesse-nginx" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
export FI_BASE_URL="http://127.0.0.1:$PORT/" FI_NODE_MODULES="$DEPS/node/node_modules" FI_SHOTS="$(pwd)/build-wasm/screenshots"
node --test --test-concurrency=1 tests/browser/*.test.mjs
