#!/usr/bin/env bash
# The whole doctest suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFINESSE_SANITIZE=ON >/dev/null
cmake --build build-asan -j"${JOBS:-2}" --target finesse_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  build-asan/tests/finesse_tests --no-intro=true
