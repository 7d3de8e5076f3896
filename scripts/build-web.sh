#!/usr/bin/env bash
# Builds the page with Emscripten: build-wasm/dist/ (static folder) and
# build-wasm/finesse-inspector.html (one self-contained file).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs  # Debian's emscripten finds acorn there
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-wasm -j"${JOBS:-2}"
