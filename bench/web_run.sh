#!/usr/bin/env bash
# Runs bench/web_bench.mjs: serves the page and the two generated inputs through nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
DEPS="${FINESSE_DEPS:-$HOME/.cache/finesse-inspector}"
[ -x build/make-bench-har ] || { cmake -S . -B build >/dev/null && cmake --build build -j2 --target make-bench-har; }
[ -f build-wasm/dist/index.html ] || bash scripts/build-web.sh
ROOT=$(mktemp -d /tmp/finesse-bench-web.XXXXXX)
HAR=/tmp/finesse-bench-200mb-100000.har
[ -f "$HAR" ] || build/make-bench-har "$HAR" 200 100000
MILLION=/tmp/finesse-bench-million.json
[ -f "$MILLION" ] || python3 - "$MILLION" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write("[")
    for i in range(1000000):
        d = "send" if i % 2 else "receive"
        f.write(("," if i else "") + json.dumps({"type": d, "time": 1714557600 + i * 0.01, "opcode": 1,
                                                 "data": f"<iq type='result' id='ping{i}' from='finesse.lab'/>"}))
    f.write("]")
PY
cp build-wasm/dist/* "$ROOT/"
ln -s "$HAR" "$ROOT/bench.har"
ln -s "$MILLION" "$ROOT/million.json"
PORT=18090
bash scripts/serve.sh "$ROOT" $PORT > /tmp/finesse-bench-nginx.log 2>&1 &
trap 'pkill -f "nginx -p /tmp/finesse-nginx" 2>/dev/null; rm -rf "$ROOT"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
FI_NODE_MODULES="$DEPS/node/node_modules" node bench/web_bench.mjs "http://127.0.0.1:$PORT/" "http://127.0.0.1:$PORT/bench.har" "http://127.0.0.1:$PORT/million.json"
