#!/usr/bin/env bash
# Builds the page and serves it on http://127.0.0.1:8080/ (it opens on a bundled sample).
# Installs what a fresh Debian machine lacks first. PORT=… picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --no-lab
bash scripts/build-web.sh
echo "Single-file version (works from disk): $(pwd)/build-wasm/finesse-inspector.html"
exec bash scripts/serve.sh build-wasm/dist "${PORT:-8080}"
