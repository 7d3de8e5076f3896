#!/usr/bin/env bash
# The wasm core under node: the same reports as the CLI, and the input and memory limits.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build-wasm/node/finesse-node.js ] || bash scripts/build-web.sh
node --test tests/wasm/limits.test.mjs
