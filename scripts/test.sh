#!/usr/bin/env bash
# Runs every test: native build + doctest/CTest, the core built with Emscripten, and (as they
# exist) the browser and live-lab tests. Installs what a fresh Debian machine lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
bash scripts/install-deps.sh

echo "== native build and unit tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$JOBS"
(cd build && ctest --output-on-failure -j"$JOBS")

echo "== the core and the page built with Emscripten (the core must not drift from the native build)"
bash scripts/build-web.sh

for extra in scripts/test-*.sh; do
  [ -e "$extra" ] || continue
  echo "== $extra"
  bash "$extra"
done
echo "all tests passed"
