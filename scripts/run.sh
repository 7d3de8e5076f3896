#!/usr/bin/env bash
# Builds the tool and runs it on a bundled sample. Installs what a fresh Debian machine lacks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --no-browser --no-lab
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"${JOBS:-2}" --target finesse-inspect >/dev/null
SAMPLE="${1:-samples/seed-uccx-transcript.txt}"
./build/finesse-inspect "$SAMPLE" || true
