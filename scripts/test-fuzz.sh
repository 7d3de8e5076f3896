#!/usr/bin/env bash
# Fuzzing with libFuzzer (clang, ASan + UBSan): first every saved regression input of each
# target, then each target for FUZZ_SECONDS (60) on its corpus, seeded from samples/ and
# fuzz/corpus/. Any crash, hang, leak or sanitizer report fails the run; its input is left in
# build-fuzz/findings/ to be added under tests/fuzz-regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFINESSE_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"${JOBS:-2}" --target fuzz_har fuzz_transcript fuzz_xmpp fuzz_bosh fuzz_update fuzz_pipeline fuzz_desktop
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/findings
status=0
for target in har transcript xmpp bosh update pipeline desktop; do
  bin=build-fuzz/fuzz/fuzz_$target
  if [ -d "tests/fuzz-regressions/$target" ] && [ -n "$(ls -A "tests/fuzz-regressions/$target")" ]; then
    "$bin" -runs=1 tests/fuzz-regressions/$target/* >/dev/null 2>&1 || { echo "fuzz_$target: a saved regression input fails again"; status=1; }
  fi
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  cp -n samples/*.har samples/*.txt samples/*.log "$corpus/" 2>/dev/null || true
  case $target in transcript|pipeline) cp -n tests/corpus/*/*.log "$corpus/" 2>/dev/null || true ;; esac
  case $target in desktop|pipeline) cp -n tests/corpus/desktop/*/*.log "$corpus/" 2>/dev/null || true ;; esac
  [ -d "fuzz/corpus/$target" ] && cp -n fuzz/corpus/$target/* "$corpus/" 2>/dev/null || true
  case $target in har|pipeline) max=300000 ;; *) max=20000 ;; esac
  log=build-fuzz/fuzz_$target.log
  if "$bin" "$corpus" -dict=fuzz/xmpp_json.dict -max_len=$max -timeout=10 -rss_limit_mb=4096 \
        -max_total_time="$SECONDS_EACH" -artifact_prefix=build-fuzz/findings/${target}- -print_final_stats=1 > "$log" 2>&1; then
    echo "fuzz_$target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') runs in ${SECONDS_EACH} s, $(grep -oE 'cov: [0-9]+' "$log" | tail -n1), no finding"
  else
    echo "fuzz_$target: FINDING"; tail -n 30 "$log"; status=1
  fi
done
exit $status
