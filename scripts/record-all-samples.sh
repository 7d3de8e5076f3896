#!/usr/bin/env bash
# Starts the Finesse lab (samples/lab/lab.sh), records every sample HAR in samples/ with headless
# Chromium (scripts/record-sample.mjs), derives samples/firefox-no-frames.har from
# ws-agent-healthy.har (scripts/har-to-firefox.mjs), and stops the lab.
#
#   scripts/record-all-samples.sh [--verbose]          all samples (ws-*, bosh-*, rest-*, desktop-*)
#   scripts/record-all-samples.sh --scenario ws-conflict [--verbose]
#   scripts/record-all-samples.sh --scenario rest-state-change,rest-failover
#   scripts/record-all-samples.sh --scenario desktop-healthy,desktop-drift   a HAR and the lab
#                                                      desktop's client log (samples/NAME.log) each
#   scripts/record-all-samples.sh --out-dir /tmp/har  record elsewhere (a check; samples/ untouched)
#   scripts/record-all-samples.sh --list               the scenarios (no lab started)
#
# Needs prosody, node 20+, chromium and playwright-core (see scripts/install-deps.sh).
# Environment: LAB_HTTP_PORT (default 5280; the REST stand-in on LAB_HTTP_PORT + 100),
# KEEP_LAB_DIR=1 keeps the lab folder (logs). rest-failover starts a second lab of its own on
# LAB_B_HTTP_PORT (default 5281, REST on 5381) and stops it again; so does desktop-failover.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for a in "$@"; do
  [ "$a" = --list ] && exec node scripts/record-sample.mjs --list
done

export LAB_HTTP_PORT="${LAB_HTTP_PORT:-5280}"
export LAB_DIR="$(mktemp -d -t finesse-lab.XXXXXX)"
export LAB_WATCH_PID=$$   # the lab stops by itself if this script dies

finish() {
  samples/lab/lab.sh stop >/dev/null 2>&1 || true
  if [ "${KEEP_LAB_DIR:-0}" = 1 ]; then echo "lab folder kept: $LAB_DIR" >&2; else rm -rf "$LAB_DIR"; fi
}
trap finish EXIT

samples/lab/lab.sh start --background >/dev/null
echo "record-all-samples: lab ready ($(grep LAB_READY_MS "$LAB_DIR/ready" | cut -d= -f2) ms), recording..." >&2

scenario=all
out=samples
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenario="$2"; shift 2 ;;
    --out-dir) out="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
node scripts/record-sample.mjs --scenario "$scenario" --out-dir "$out" ${args[@]+"${args[@]}"}

if [ -f "$out/ws-agent-healthy.har" ] && { [ "$scenario" = all ] || [ "$scenario" = ws-agent-healthy ]; }; then
  node scripts/har-to-firefox.mjs "$out/ws-agent-healthy.har" "$out/firefox-no-frames.har"
fi
