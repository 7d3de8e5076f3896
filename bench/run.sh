#!/usr/bin/env bash
# Benchmark: finesse-inspect --format json end to end on a generated ~200 MB Chrome-style HAR,
# beside Python's json.load on the same file for scale. Prints MB/s and peak RSS.
#   bench/run.sh [build-dir (build)] [MB (200)] [notifications (100000)]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
MB="${2:-200}"
N="${3:-100000}"
HAR="${BENCH_HAR:-/tmp/finesse-bench-${MB}mb-${N}.har}"
cmake --build "$BUILD" --target finesse-inspect make-bench-har -j2 >/dev/null
[ -f "$HAR" ] || "$BUILD/make-bench-har" "$HAR" "$MB" "$N"
SIZE=$(stat -c %s "$HAR")
cat "$HAR" > /dev/null  # warm the page cache so both runs read from memory

measure() { # label, command...
  local label="$1"; shift
  local out
  out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -n1)
  local secs=${out% *} rss_kb=${out#* }
  python3 - "$label" "$SIZE" "$secs" "$rss_kb" <<'PY'
import sys
label, size, secs, rss = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
mb = size / 1e6
print(f"{label:34s} {secs:6.2f} s  {mb/secs if secs else float('inf'):8.1f} MB/s  peak RSS {rss/1024:7.1f} MiB ({rss*1024/size:.2f}x file)")
PY
}
echo "file: $HAR ($(python3 -c "print(f'{$SIZE/1e6:.1f}')") MB, $N notification frames)"
for i in 1 2 3; do measure "finesse-inspect --format json (#$i)" "$BUILD/finesse-inspect" --format json "$HAR" || true; done
measure "python3 json.load" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$HAR"
