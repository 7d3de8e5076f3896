#!/usr/bin/env bash
# Finesse lab: a loopback-only Prosody 0.12 standing in for the Openfire of a Cisco Finesse node.
#
#   samples/lab/lab.sh start [--background]   start the lab; foreground by default (Ctrl-C/TERM stops
#                                             it), --background returns once the lab answers
#   samples/lab/lab.sh stop                   stop a lab started with --background
#   samples/lab/lab.sh publish ARGS...        publish Finesse notifications (see publish.mjs), e.g.
#                                             lab.sh publish --node /finesse/api/User/1001 --count 5
#   samples/lab/lab.sh status                 print the lab folder and URLs if it is running
#
# Environment:
#   LAB_DIR        data, config, pid and log folder (default: a new mktemp -d folder; stop/publish
#                  find the running lab through $LAB_STATE_DIR/finesse-lab-<http port>.dir)
#   LAB_HTTP_PORT  HTTP port for WebSocket /ws/ and BOSH /http-bind/ (default 5280)
#   LAB_REST_PORT  port of the Finesse REST stand-in, finesse-rest.mjs (default LAB_HTTP_PORT + 100,
#                  so 5380); its start settings: LAB_REST_STATUS, LAB_REST_STATUS_REASON,
#                  LAB_REST_XMPP_DOMAIN, LAB_REST_PRIMARY, LAB_REST_SECONDARY,
#                  LAB_REST_NOTIFY_DELAY_MS (see finesse-rest.mjs; POST /lab/config changes them)
#   LAB_C2S_PORT   TCP c2s port (default: none, c2s over TCP is disabled)
#   LAB_DOMAIN     XMPP domain (default finesse.lab); the pubsub service is pubsub.$LAB_DOMAIN
#   LAB_LOG_LEVEL  Prosody log level in $LAB_DIR/prosody.log (default info)
#   LAB_WATCH_PID  --background only: the lab stops when this process ends (default: the caller
#                  of lab.sh; 0 disables)
#
# Accounts (domain $LAB_DOMAIN): 1001/agentpass (agent), 2001/superpass (supervisor),
# finesse/finessepass (always online, available presence), admin/adminpass (pubsub admin).
# Rosters: 1001 and 2001 <-> finesse with subscription "both".
# Pubsub nodes (open access): /finesse/api/User/1001, /finesse/api/User/2001,
# /finesse/api/Team/1/Users, /finesse/api/SystemInfo.
# REST (LAB_REST_URL in the ready file): GET /finesse/api/SystemInfo, GET/PUT /finesse/api/User/{id}
# (PUT answers 202 and publishes the change to the user's node), control at POST /lab/config.
# A second lab (for failover) needs its own LAB_HTTP_PORT (e.g. 5281) and LAB_DIR; LAB_REST_PORT
# follows the HTTP port.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HTTP_PORT="${LAB_HTTP_PORT:-5280}"
C2S_PORT="${LAB_C2S_PORT:-}"
DOMAIN="${LAB_DOMAIN:-finesse.lab}"
LOG_LEVEL="${LAB_LOG_LEVEL:-info}"
STATE_DIR="${LAB_STATE_DIR:-${XDG_RUNTIME_DIR:-/tmp}}"
POINTER="$STATE_DIR/finesse-lab-$HTTP_PORT.dir"
NODE="${NODE:-node}"
NODE_FLAGS=(--experimental-websocket --no-warnings)
WS_URL="ws://127.0.0.1:$HTTP_PORT/ws/"
BOSH_URL="http://127.0.0.1:$HTTP_PORT/http-bind/"
REST_PORT="${LAB_REST_PORT:-$(( HTTP_PORT + 100 ))}"
REST_URL="http://127.0.0.1:$REST_PORT"
export LAB_HTTP_PORT="$HTTP_PORT" LAB_DOMAIN="$DOMAIN" LAB_REST_PORT="$REST_PORT"

die() { echo "lab.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
http_up() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$HTTP_PORT/ws/"; }
rest_up() { curl -s -o /dev/null --max-time 1 "$REST_URL/finesse/api/SystemInfo"; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

find_lab_dir() {
  if [ -n "${LAB_DIR:-}" ]; then echo "$LAB_DIR"; return; fi
  [ -f "$POINTER" ] || die "no running lab on port $HTTP_PORT (set LAB_DIR)"
  cat "$POINTER"
}

# host name as Prosody's datamanager stores it: "." -> "%2e"
store_host() { echo "${1//./%2e}"; }

lua_str() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }

write_account() { # user password
  local dir="$LAB_DIR/data/$(store_host "$DOMAIN")/accounts"
  mkdir -p "$dir"
  printf 'return {\n\t["password"] = %s;\n};\n' "$(lua_str "$2")" > "$dir/$1.dat"
}

write_roster() { # user contact-user contact-name ...
  local user="$1"; shift
  local dir="$LAB_DIR/data/$(store_host "$DOMAIN")/roster"
  mkdir -p "$dir"
  {
    printf 'return {\n\t[false] = {\n\t\t["version"] = 1;\n\t\t["pending"] = {};\n\t};\n'
    while [ $# -ge 2 ]; do
      printf '\t[%s] = {\n\t\t["subscription"] = "both";\n\t\t["groups"] = {};\n\t\t["name"] = %s;\n\t};\n' \
        "$(lua_str "$1@$DOMAIN")" "$(lua_str "$2")"
      shift 2
    done
    printf '};\n'
  } > "$dir/$user.dat"
}

init_lab_dir() {
  mkdir -p "$LAB_DIR/data" "$LAB_DIR/certs"
  local c2s=""
  [ -n "$C2S_PORT" ] && c2s="$C2S_PORT"
  sed -e "s#@LAB_DIR@#$LAB_DIR#g" -e "s#@HTTP_PORT@#$HTTP_PORT#g" -e "s#@C2S_PORTS@#$c2s#g" \
      -e "s#@DOMAIN@#$DOMAIN#g" -e "s#@LOG_LEVEL@#$LOG_LEVEL#g" \
      "$HERE/prosody.cfg.lua.in" > "$LAB_DIR/prosody.cfg.lua"
  echo "certificates = \"$LAB_DIR/certs\"" >> "$LAB_DIR/prosody.cfg.lua"
  write_account 1001 agentpass
  write_account 2001 superpass
  write_account finesse finessepass
  write_account admin adminpass
  write_roster 1001 finesse "Finesse"
  write_roster 2001 finesse "Finesse"
  write_roster finesse 1001 "Agent 1001" 2001 "Supervisor 2001"
}

PROSODY_PID=""; PRESENCE_PID=""; REST_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  rm -f "$LAB_DIR/ready"
  if alive "$PRESENCE_PID"; then kill -TERM "$PRESENCE_PID" 2>/dev/null || true; fi
  if alive "$REST_PID"; then kill -TERM "$REST_PID" 2>/dev/null || true; fi
  if alive "$PROSODY_PID"; then
    kill -TERM "$PROSODY_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$PROSODY_PID" || break; sleep 0.05; done
    alive "$PROSODY_PID" && kill -KILL "$PROSODY_PID" 2>/dev/null || true
    wait "$PROSODY_PID" 2>/dev/null || true
  fi
  if alive "$PRESENCE_PID"; then sleep 0.2; kill -KILL "$PRESENCE_PID" 2>/dev/null || true; fi
  [ -n "$PRESENCE_PID" ] && { wait "$PRESENCE_PID" 2>/dev/null || true; }
  if alive "$REST_PID"; then sleep 0.1; kill -KILL "$REST_PID" 2>/dev/null || true; fi
  [ -n "$REST_PID" ] && { wait "$REST_PID" 2>/dev/null || true; }
  rm -f "$LAB_DIR/lab.pid"
  [ "$(cat "$POINTER" 2>/dev/null)" = "$LAB_DIR" ] && rm -f "$POINTER"
  echo "lab.sh: stopped (lab folder $LAB_DIR)" >&2
  exit "$rc"
}

# Runs the lab in this process until killed, prosody dies, or $LAB_WATCH_PID ends.
run_lab() {
  local t0; t0=$(now_ms)
  http_up && die "port $HTTP_PORT already answers; stop the other lab or set LAB_HTTP_PORT"
  rest_up && die "port $REST_PORT already answers; stop the other lab or set LAB_REST_PORT"
  init_lab_dir
  echo "$$" > "$LAB_DIR/lab.pid"
  echo "$LAB_DIR" > "$POINTER"
  trap cleanup EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT

  prosody --config "$LAB_DIR/prosody.cfg.lua" > "$LAB_DIR/prosody.stdout" 2>&1 &
  PROSODY_PID=$!
  for _ in $(seq 1 200); do
    http_up && break
    alive "$PROSODY_PID" || { cat "$LAB_DIR/prosody.err" >&2 2>/dev/null; die "prosody exited at start, see $LAB_DIR/prosody.log"; }
    sleep 0.05
  done
  http_up || die "prosody does not answer on port $HTTP_PORT"

  "$NODE" "${NODE_FLAGS[@]}" "$HERE/publish.mjs" --create-nodes > "$LAB_DIR/nodes.log" 2>&1 \
    || { cat "$LAB_DIR/nodes.log" >&2; die "creating the pubsub nodes failed"; }

  rm -f "$LAB_DIR/finesse.ready"
  "$NODE" "${NODE_FLAGS[@]}" "$HERE/finesse-presence.mjs" --ready-file "$LAB_DIR/finesse.ready" \
    > "$LAB_DIR/finesse-presence.log" 2>&1 &
  PRESENCE_PID=$!
  for _ in $(seq 1 200); do
    [ -f "$LAB_DIR/finesse.ready" ] && break
    alive "$PRESENCE_PID" || { cat "$LAB_DIR/finesse-presence.log" >&2; die "finesse presence client failed"; }
    sleep 0.05
  done
  [ -f "$LAB_DIR/finesse.ready" ] || die "finesse presence client not online"

  "$NODE" "${NODE_FLAGS[@]}" "$HERE/finesse-rest.mjs" --port "$REST_PORT" > "$LAB_DIR/finesse-rest.log" 2>&1 &
  REST_PID=$!
  for _ in $(seq 1 200); do
    rest_up && break
    alive "$REST_PID" || { cat "$LAB_DIR/finesse-rest.log" >&2; die "finesse REST stand-in failed"; }
    sleep 0.05
  done
  rest_up || die "finesse REST stand-in does not answer on port $REST_PORT"

  cat > "$LAB_DIR/ready" <<EOF
LAB_DIR=$LAB_DIR
LAB_DOMAIN=$DOMAIN
LAB_WS_URL=$WS_URL
LAB_BOSH_URL=$BOSH_URL
LAB_REST_URL=$REST_URL
LAB_PROSODY_PID=$PROSODY_PID
LAB_PRESENCE_PID=$PRESENCE_PID
LAB_REST_PID=$REST_PID
LAB_READY_MS=$(( $(now_ms) - t0 ))
EOF
  echo "Finesse lab ready in $(( $(now_ms) - t0 )) ms (lab folder $LAB_DIR)"
  echo "WebSocket: $WS_URL"
  echo "BOSH:      $BOSH_URL"
  echo "REST:      $REST_URL/finesse/api/ (control: POST $REST_URL/lab/config)"
  echo "domain $DOMAIN, pubsub pubsub.$DOMAIN; accounts 1001/agentpass 2001/superpass finesse admin"

  local watch="${LAB_WATCH_PID:-0}"
  while true; do
    if ! alive "$PROSODY_PID"; then
      wait "$PROSODY_PID" 2>/dev/null && rc=0 || rc=$?
      echo "lab.sh: prosody exited (status $rc)" >&2; exit 1
    fi
    if ! alive "$PRESENCE_PID"; then echo "lab.sh: finesse presence client exited" >&2; exit 1; fi
    if ! alive "$REST_PID"; then echo "lab.sh: finesse REST stand-in exited" >&2; exit 1; fi
    if [ "$watch" != 0 ] && ! alive "$watch"; then echo "lab.sh: process $watch ended" >&2; exit 0; fi
    sleep 0.2
  done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start)
    background=0
    for a in "$@"; do
      case "$a" in --background|-b) background=1 ;; *) die "unknown option $a" ;; esac
    done
    LAB_DIR="${LAB_DIR:-$(mktemp -d -t finesse-lab.XXXXXX)}"
    LAB_DIR="$(mkdir -p "$LAB_DIR" && cd "$LAB_DIR" && pwd)"
    export LAB_DIR
    if [ "$background" = 0 ]; then
      LAB_WATCH_PID="${LAB_WATCH_PID:-0}" run_lab
    else
      t0=$(now_ms)
      rm -f "$LAB_DIR/ready"
      LAB_WATCH_PID="${LAB_WATCH_PID:-$PPID}" setsid "$HERE/lab.sh" _supervise < /dev/null > "$LAB_DIR/lab.log" 2>&1 &
      sup=$!
      while [ ! -f "$LAB_DIR/ready" ]; do
        alive "$sup" || { cat "$LAB_DIR/lab.log" >&2; die "lab did not start"; }
        [ $(( $(now_ms) - t0 )) -gt 20000 ] && { kill -TERM "$sup"; die "lab not ready after 20 s"; }
        sleep 0.05
      done
      cat "$LAB_DIR/ready"
      echo "LAB_START_MS=$(( $(now_ms) - t0 ))"
    fi
    ;;
  _supervise) run_lab ;;
  stop)
    LAB_DIR="$(find_lab_dir)"
    pid="$(cat "$LAB_DIR/lab.pid" 2>/dev/null || true)"
    alive "$pid" || { echo "lab.sh: not running ($LAB_DIR)"; rm -f "$POINTER"; exit 0; }
    kill -TERM "$pid"
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
    alive "$pid" && die "lab (pid $pid) did not stop"
    echo "lab.sh: stopped ($LAB_DIR)"
    ;;
  publish)
    LAB_DIR="$(find_lab_dir)"; export LAB_DIR
    exec "$NODE" "${NODE_FLAGS[@]}" "$HERE/publish.mjs" "$@"
    ;;
  status)
    LAB_DIR="$(find_lab_dir)"
    [ -f "$LAB_DIR/ready" ] || die "lab in $LAB_DIR is not ready"
    cat "$LAB_DIR/ready"
    ;;
  *)
    sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || [ "$cmd" = help ] || [ "$cmd" = -h ] || [ "$cmd" = --help ] || exit 2
    ;;
esac
