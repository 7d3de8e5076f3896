#!/usr/bin/env bash
# Re-records the real logs of tests/corpus/recorded/ (see README.md there) against the Finesse lab
# (samples/lab/lab.sh): XMPP client libraries in their own debug formats, and Prosody's own debug
# log. Writes NAME.log files only; the NAME.expect.json beside them are written by hand, so after a
# re-recording read each new log again and check that its expectation still holds.
#
#   tests/corpus/recorded/record.sh [--install] [NAME-PREFIX...]
#
#   --install     apt-get/npm install the recording software first (Debian 12; root)
#   NAME-PREFIX   record only the logs whose names start with one of these (default: all)
#
# Environment: CORPUS_TOOLS (default /tmp/corpus-tools: npm packages, helper programs, scratch),
# OUT (default: this folder), LAB_HTTP_PORT (15380), LAB_C2S_PORT (15222), TLS_PROXY_PORT (15223),
# PLAYWRIGHT_CORE (default ~/.cache/finesse-inspector/node/node_modules/playwright-core),
# CHROMIUM (/usr/bin/chromium). Everything runs on 127.0.0.1 only. The "server-killed" logs kill
# the lab's Prosody with SIGKILL mid-session; the lab is started again after each.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
LAB="$REPO/samples/lab/lab.sh"
TOOLS="${CORPUS_TOOLS:-/tmp/corpus-tools}"
OUT="${OUT:-$HERE}"
export LAB_HTTP_PORT="${LAB_HTTP_PORT:-15380}" LAB_C2S_PORT="${LAB_C2S_PORT:-15222}"
TLS_PROXY_PORT="${TLS_PROXY_PORT:-15223}"
export LAB_SH="$LAB" LAB_DIR="$TOOLS/lab"
export PLAYWRIGHT_CORE="${PLAYWRIGHT_CORE:-$HOME/.cache/finesse-inspector/node/node_modules/playwright-core}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export STROPHE_UMD="$TOOLS/node_modules/strophe.js/dist/strophe.umd.cjs"
NODE=(node --experimental-websocket --no-warnings)
PY=/usr/bin/python3   # Debian's python3, where python3-slixmpp lives

install=0; only=()
for a in "$@"; do case "$a" in --install) install=1 ;; *) only+=("$a") ;; esac; done
want() { [ ${#only[@]} -eq 0 ] && return 0; local p; for p in "${only[@]}"; do [[ "$1" == "$p"* ]] && return 0; done; return 1; }

if [ "$install" = 1 ]; then
  apt-get update
  apt-get install -y --no-install-recommends prosody python3-slixmpp libstrophe-dev go-sendxmpp sendxmpp \
    profanity socat tmux openssl pkg-config gcc chromium
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install @xmpp/client@0.14.0 @xmpp/debug@0.14.0 strophe.js@5.0.0 stanza@12.22.1)
fi
mkdir -p "$TOOLS/helpers" "$OUT"

# ---- helper programs (written into $TOOLS/helpers on every run) ----------------------------------
cat > "$TOOLS/helpers/xmppjs.mjs" <<'HELPER_EOF'
// xmpp.js (@xmpp/client + @xmpp/debug) session against the Finesse lab over WebSocket.
//   node --experimental-websocket xmppjs.mjs SCENARIO
// SCENARIO: finesse (1001: presence, subscribe /finesse/api/User/1001, one notification, stop),
//           login (1001: presence, stop), generic (admin: presence, stop),
//           wrongpw (1001 with a wrong password),
//           killed (1001 as finesse, then waits; the recorder kills Prosody with -9)
import { client, xml } from '@xmpp/client';
import debug from '@xmpp/debug';
import { execFile } from 'node:child_process';

const scenario = process.argv[2] || 'finesse';
const LAB = process.env.LAB_SH;
const user = scenario === 'generic' ? 'admin' : '1001';
const password = scenario === 'wrongpw' ? 'wrongpass' : (user === 'admin' ? 'adminpass' : 'agentpass');
const xmpp = client({ service: process.env.WS_URL || `ws://127.0.0.1:${process.env.LAB_HTTP_PORT || 15380}/ws/`, domain: 'finesse.lab',
  resource: 'xmppjs', username: user, password });
debug(xmpp, true);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const done = async (code) => { try { await xmpp.stop(); } catch {} process.exit(code); };

xmpp.on('error', () => {});
if (scenario === 'wrongpw') {
  xmpp.start().catch(async () => { await sleep(300); done(0); });
} else {
  xmpp.on('online', async (address) => {
    await xmpp.send(xml('presence'));
    if (scenario === 'generic' || scenario === 'login') { await sleep(1500); return done(0); }
    await sleep(800);
    await xmpp.iqCaller.set(xml('pubsub', 'http://jabber.org/protocol/pubsub',
      xml('subscribe', { node: '/finesse/api/User/1001', jid: address.bare().toString() })), 'pubsub.finesse.lab');
    execFile(LAB, ['publish', '--node', '/finesse/api/User/1001', '--count', '1'], () => {});
    xmpp.on('stanza', async (s) => {
      if (s.is('message') && s.getChild('event', 'http://jabber.org/protocol/pubsub#event')) {
        if (scenario === 'killed') {
          await sleep(500);
          execFile('kill', ['-9', process.env.PROSODY_PID], () => {});
          await sleep(4000);
          process.exit(0);
        }
        await sleep(500); done(0);
      }
    });
  });
  xmpp.start().catch(() => {});
  setTimeout(() => done(1), 20000);
}
HELPER_EOF
cat > "$TOOLS/helpers/strophe-run.mjs" <<'HELPER_EOF'
// Strophe.js (strophe.js npm, UMD build) in Debian's headless Chromium against the Finesse lab.
// Prints the page's console, one message a line, as copied from the devtools console.
//   node strophe-run.mjs ws|bosh SCENARIO [plain]
// SCENARIO: finesse (1001: presence, subscribe /finesse/api/User/1001, one notification, disconnect),
//           wrongpw (1001, wrong password), killed (finesse, then Prosody is killed with -9)
import { createRequire } from 'node:module';
import { execFile } from 'node:child_process';
const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');
const [transport, scenario, mech] = process.argv.slice(2);
const port = process.env.LAB_HTTP_PORT || '15380';
const url = transport === 'bosh' ? `http://127.0.0.1:${port}/http-bind/` : `ws://127.0.0.1:${port}/ws/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
page.on('console', (m) => process.stdout.write(m.text() + '\n'));
let finish;
const finished = new Promise((r) => { finish = r; });
await page.exposeFunction('labPublish', () => new Promise((r) =>
  execFile(process.env.LAB_SH, ['publish', '--node', '/finesse/api/User/1001', '--count', '1'], () => r())));
await page.exposeFunction('labKill', () => execFile('kill', ['-9', process.env.PROSODY_PID], () => {}));
await page.exposeFunction('labDone', () => finish());
// The page comes from a loopback origin: Chromium blocks a public page (about:blank) from
// reaching 127.0.0.1 (local network access checks).
const { createServer } = await import('node:http');
const { readFileSync } = await import('node:fs');
const server = createServer((req, res) => {
  if (req.url === '/strophe.js') { res.setHeader('Content-Type', 'text/javascript'); res.end(readFileSync(process.env.STROPHE_UMD)); }
  else { res.setHeader('Content-Type', 'text/html'); res.end('<!doctype html><title>strophe</title><script src="/strophe.js"></script>'); }
}).listen(0, '127.0.0.1');
await new Promise((r) => server.on('listening', r));
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.evaluate(([url, scenario, mech]) => {
  const opts = mech === 'plain' ? { mechanisms: [Strophe.SASLPlain] } : {};
  const conn = new Strophe.Connection(url, opts);
  conn.rawInput = (data) => console.log('RECV: ' + data);
  conn.rawOutput = (data) => console.log('SENT: ' + data);
  const pass = scenario === 'wrongpw' ? 'wrongpass' : 'agentpass';
  conn.addHandler((msg) => {
    if (msg.getElementsByTagNameNS('http://jabber.org/protocol/pubsub#event', 'event').length) {
      if (scenario === 'killed') setTimeout(() => window.labKill(), 500);
      else setTimeout(() => conn.disconnect(), 500);
    }
    return true;
  }, null, 'message');
  conn.connect('1001@finesse.lab/strophe', pass, (status) => {
    if (status === Strophe.Status.CONNECTED) {
      conn.send($pres());
      setTimeout(() => {
        const iq = $iq({ type: 'set', to: 'pubsub.finesse.lab' })
          .c('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' })
          .c('subscribe', { node: '/finesse/api/User/1001', jid: '1001@finesse.lab' });
        conn.sendIQ(iq, () => window.labPublish(), () => {});
      }, 800);
    } else if (status === Strophe.Status.AUTHFAIL) {
      conn.disconnect();
    } else if (status === Strophe.Status.DISCONNECTED) {
      setTimeout(() => window.labDone(), 300);
    }
  });
}, [url, scenario, mech]);
const timer = setTimeout(() => finish(), Number(process.env.STROPHE_MAX_MS || 30000));
await finished;
clearTimeout(timer);
await browser.close();
server.close();
HELPER_EOF
cat > "$TOOLS/helpers/stanza.mjs" <<'HELPER_EOF'
// StanzaJS (npm stanza) over WebSocket to the Finesse lab; raw traffic printed with
// client.on('raw:*', (direction, data) => console.log(direction, data)).
//   node --experimental-websocket stanza.mjs finesse|wrongpw
import * as XMPP from 'stanza';
import { execFile } from 'node:child_process';
const scenario = process.argv[2] || 'finesse';
const client = XMPP.createClient({
  jid: '1001@finesse.lab', resource: 'stanza', password: scenario === 'wrongpw' ? 'wrongpass' : 'agentpass',
  transports: { websocket: process.env.WS_URL || `ws://127.0.0.1:${process.env.LAB_HTTP_PORT || 15380}/ws/`, bosh: false },
});
client.on('raw:*', (direction, data) => console.log(direction, data));
client.on('auth:failed', () => client.disconnect());
client.on('disconnected', () => setTimeout(() => process.exit(0), 200));
client.on('session:started', async () => {
  client.sendPresence();
  await new Promise((r) => setTimeout(r, 800));
  await client.subscribeToNode('pubsub.finesse.lab', { node: '/finesse/api/User/1001', jid: '1001@finesse.lab' });
  execFile(process.env.LAB_SH, ['publish', '--node', '/finesse/api/User/1001', '--count', '1'], () => {});
});
client.on('pubsub:published', () => setTimeout(() => client.disconnect(), 500));
setTimeout(() => process.exit(1), 20000);
client.connect();
HELPER_EOF
cat > "$TOOLS/helpers/slixmpp-client.py" <<'HELPER_EOF'
# slixmpp (Debian python3-slixmpp) over TCP c2s to the Finesse lab, logging at DEBUG.
#   /usr/bin/python3 slixmpp-client.py finesse|wrongpw|killed|pings|pingtimeout
# pings, pingtimeout: XEP-0199 keepalive (a ping to the server every 1 s, 2 s timeout), presence,
# subscribe, then SIGSTOP of Prosody (PROSODY_PID) 2.5 s after session start, once the pings of
# +1 s and +2 s were answered. pings: SIGKILL of Prosody 2 s later, while the pings of +3 s and
# +4 s are unanswered (before slixmpp's own 2 s timeout). pingtimeout: Prosody stays frozen until
# slixmpp gives up on its own (ping timeout -> reconnect: </stream:stream> and abort; the script
# ends with that disconnect, before the reconnect), then SIGCONT.
import asyncio, logging, os, signal, subprocess, sys
import slixmpp

logging.basicConfig(level=logging.DEBUG, format='%(asctime)s %(levelname)-8s %(name)s %(message)s')
scenario = sys.argv[1] if len(sys.argv) > 1 else 'finesse'
port = int(os.environ.get('LAB_C2S_PORT', '15222'))
NODE = '/finesse/api/User/1001'
PING_SCENARIOS = ('pings', 'pingtimeout')

class Agent(slixmpp.ClientXMPP):
    def __init__(self, jid, password):
        super().__init__(jid, password)
        self.register_plugin('xep_0060')
        if scenario in PING_SCENARIOS:
            self.register_plugin('xep_0199', {'keepalive': True, 'interval': 1, 'timeout': 2})
        self.add_event_handler('session_start', self.start)
        self.add_event_handler('failed_auth', self.on_failed_auth)
        self.add_event_handler('pubsub_publish', self.on_publish)
        self.add_event_handler('disconnected', lambda _: asyncio.get_event_loop().call_later(0.2, sys.exit, 0) if scenario not in ('killed',) + PING_SCENARIOS else None)

    async def start(self, event):
        t0 = self.loop.time()
        self.send_presence()
        await asyncio.sleep(0.8)
        await self['xep_0060'].subscribe('pubsub.finesse.lab', NODE, subscribee='1001@finesse.lab')
        if scenario in PING_SCENARIOS:
            await asyncio.sleep(max(0.0, t0 + 2.5 - self.loop.time()))
            os.kill(int(os.environ['PROSODY_PID']), signal.SIGSTOP)
            if scenario == 'pings':
                await asyncio.sleep(2.0)
                os.kill(int(os.environ['PROSODY_PID']), signal.SIGKILL)
            return
        subprocess.Popen([os.environ['LAB_SH'], 'publish', '--node', NODE, '--count', '1'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def on_publish(self, msg):
        if scenario == 'killed':
            asyncio.get_event_loop().call_later(0.5, os.kill, int(os.environ['PROSODY_PID']), signal.SIGKILL)
            asyncio.get_event_loop().call_later(6, self.loop.stop)
        else:
            asyncio.get_event_loop().call_later(0.5, self.disconnect)

    def on_failed_auth(self, event):
        self.disconnect()

password = 'wrongpass' if scenario == 'wrongpw' else 'agentpass'
xmpp = Agent('1001@finesse.lab/slixmpp', password)
xmpp.use_aiodns = False  # the lab is an IP literal on loopback: no DNS
xmpp.connect(('127.0.0.1', port), force_starttls=False, disable_starttls=True)
xmpp.loop.call_later(30, xmpp.loop.stop)
try:
    xmpp.process(forever=False)
except SystemExit:
    pass
if scenario == 'pingtimeout':
    os.kill(int(os.environ['PROSODY_PID']), signal.SIGCONT)
HELPER_EOF
cat > "$TOOLS/helpers/libstrophe-client.c" <<'HELPER_EOF'
/* libstrophe (Debian libstrophe-dev) client with the library's default logger at DEBUG, TCP c2s to
 * the Finesse lab.   ./libstrophe-client finesse|wrongpw|killed   (LAB_C2S_PORT, LAB_SH, PROSODY_PID) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strophe.h>

static const char *scenario = "finesse";

static int after_event(xmpp_conn_t *conn, void *userdata) {
  (void)userdata;
  if (strcmp(scenario, "killed") == 0) {
    char cmd[64];
    snprintf(cmd, sizeof cmd, "kill -9 %s", getenv("PROSODY_PID"));
    if (system(cmd) != 0) fprintf(stderr, "kill failed\n");
  } else {
    xmpp_disconnect(conn);
  }
  return 0;
}

static int message_handler(xmpp_conn_t *conn, xmpp_stanza_t *st, void *userdata) {
  if (xmpp_stanza_get_child_by_ns(st, "http://jabber.org/protocol/pubsub#event"))
    xmpp_timed_handler_add(conn, after_event, 500, userdata);
  return 1;
}

static int subscribed(xmpp_conn_t *conn, xmpp_stanza_t *st, void *userdata) {
  (void)conn; (void)userdata;
  if (strcmp(xmpp_stanza_get_type(st), "result") == 0) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' publish --node /finesse/api/User/1001 --count 1 >/dev/null 2>&1 &", getenv("LAB_SH"));
    if (system(cmd) != 0) fprintf(stderr, "publish failed\n");
  }
  return 0;
}

static int subscribe(xmpp_conn_t *conn, void *userdata) {
  (void)userdata;
  xmpp_id_handler_add(conn, subscribed, "sub1", NULL);
  xmpp_send_raw_string(conn, "<iq type='set' to='pubsub.finesse.lab' id='sub1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                             "<subscribe node='/finesse/api/User/1001' jid='1001@finesse.lab'/></pubsub></iq>");
  return 0;
}

static void conn_handler(xmpp_conn_t *conn, xmpp_conn_event_t status, int error, xmpp_stream_error_t *stream_error,
                         void *userdata) {
  xmpp_ctx_t *ctx = userdata;
  (void)error; (void)stream_error;
  if (status == XMPP_CONN_CONNECT) {
    xmpp_handler_add(conn, message_handler, NULL, "message", NULL, ctx);
    xmpp_send_raw_string(conn, "<presence/>");
    xmpp_timed_handler_add(conn, subscribe, 800, ctx);
  } else {
    xmpp_stop(ctx);
  }
}

int main(int argc, char **argv) {
  if (argc > 1) scenario = argv[1];
  const char *port = getenv("LAB_C2S_PORT");
  xmpp_initialize();
  xmpp_log_t *log = xmpp_get_default_logger(XMPP_LEVEL_DEBUG);
  xmpp_ctx_t *ctx = xmpp_ctx_new(NULL, log);
  xmpp_conn_t *conn = xmpp_conn_new(ctx);
  xmpp_conn_set_jid(conn, "1001@finesse.lab/libstrophe");
  xmpp_conn_set_pass(conn, strcmp(scenario, "wrongpw") == 0 ? "wrongpass" : "agentpass");
  if (xmpp_connect_client(conn, "127.0.0.1", port ? (unsigned short)atoi(port) : 15222, conn_handler, ctx) != XMPP_EOK) {
    fprintf(stderr, "connect failed\n");
    return 1;
  }
  xmpp_run(ctx);
  xmpp_conn_release(conn);
  xmpp_ctx_free(ctx);
  xmpp_shutdown();
  return 0;
}
HELPER_EOF

# ---- the lab -------------------------------------------------------------------------------------
lab_pid_file() { echo "$LAB_DIR/lab.pid"; }
lab_start() {
  local i
  for i in $(seq 1 100); do [ -f "$(lab_pid_file)" ] || break; sleep 0.1; done   # the last one's cleanup
  LAB_WATCH_PID=0 LAB_LOG_LEVEL=debug "$LAB" start --background > "$TOOLS/lab.start" 2>&1 || { cat "$TOOLS/lab.start" >&2; exit 1; }
  PROSODY_PID="$(sed -n 's/^LAB_PROSODY_PID=//p' "$LAB_DIR/ready")"; export PROSODY_PID
}
lab_up() { [ -f "$LAB_DIR/ready" ] && kill -0 "$(sed -n 's/^LAB_PROSODY_PID=//p' "$LAB_DIR/ready")" 2>/dev/null; }
lab_ensure() { lab_up || { sleep 0.5; lab_start; }; }
lab_stop() { [ -f "$(lab_pid_file)" ] && "$LAB" stop > /dev/null 2>&1 || true; }
prosody_lines() { wc -l < "$LAB_DIR/prosody.log"; }

# prosody_cut OFFSET NAME: the first c2s session that connects after line OFFSET of prosody.log, from
# the "New connection" line of its socket to its "Client disconnected" line, every line in between
# (other sessions' and modules' lines included), unchanged.
prosody_cut() {
  "$PY" - "$LAB_DIR/prosody.log" "$1" "$OUT/$2.log" <<'PYEOF'
import re, sys
path, off, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
sid = start = end = None
for i in range(off, len(lines)):
    m = re.match(r'^\S+ \d+ [\d:]+ (c2s[0-9a-f]+)\tinfo\tClient connected', lines[i])
    if m:
        sid = m.group(1)
        start = i
        for j in range(i - 1, off - 1, -1):
            if '\tdebug\tNew connection FD ' in lines[j]:
                start = j
                break
        break
if sid is None:
    sys.exit('prosody_cut: no session after line %d' % off)
for i in range(start, len(lines)):
    if lines[i].split('\t')[0].endswith(' ' + sid) and '\tClient disconnected' in lines[i]:
        end = i
        break
if end is None:
    sys.exit('prosody_cut: session %s did not end' % sid)
open(out, 'w', encoding='utf-8').write('\n'.join(lines[start:end + 1]) + '\n')
PYEOF
}

# rec NAME COMMAND...: runs COMMAND (stdout and stderr together, as in a terminal) into OUT/NAME.log
rec() {
  local name="$1"; shift
  echo "record.sh: $name" >&2
  lab_ensure
  timeout 180 "$@" > "$OUT/$name.log" 2>&1 || true
}
# rec_with_server NAME PROSODY-NAME COMMAND...: as rec, and cuts Prosody's log of that session
rec_with_server() {
  local name="$1" pname="$2"; shift 2
  want "$name" || want "$pname" || return 0
  lab_ensure
  local off; off=$(prosody_lines)
  if want "$name"; then rec "$name" "$@"; else timeout 180 "$@" > "$TOOLS/unwanted-client.log" 2>&1 || true; fi
  sleep 0.5
  want "$pname" && prosody_cut "$off" "$pname"
  return 0
}
rec_if() { want "$1" && rec "$@"; return 0; }

profanity_session() { # NAME PASSWORD
  local name="$1" pass="$2" home="$TOOLS/profanity-home" t=(tmux -L corpus-recorder)
  want "$name" || return 0
  echo "record.sh: $name" >&2
  lab_ensure
  rm -rf "$home"; mkdir -p "$home"; rm -f "$OUT/$name.log"
  "${t[@]}" new-session -d -s prof -x 160 -y 40 "HOME='$home' profanity -l DEBUG -f '$OUT/$name.log'"
  sleep 2
  "${t[@]}" send-keys -t prof "/connect 1001@finesse.lab server 127.0.0.1 port $LAB_C2S_PORT tls disable" Enter
  sleep 1
  "${t[@]}" send-keys -t prof "$pass" Enter
  sleep 4
  "${t[@]}" send-keys -t prof "/quit" Enter
  sleep 2
  "${t[@]}" kill-server 2>/dev/null || true
}

SOCAT_PID=""
tls_proxy_start() { # direct TLS on TLS_PROXY_PORT in front of the lab's plain c2s (go-sendxmpp refuses plain TCP)
  [ -f "$TOOLS/tls.pem" ] || {
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TOOLS/tls.key" -out "$TOOLS/tls.crt" -days 3650 \
      -subj /CN=finesse.lab 2>/dev/null
    cat "$TOOLS/tls.key" "$TOOLS/tls.crt" > "$TOOLS/tls.pem"
  }
  socat "OPENSSL-LISTEN:$TLS_PROXY_PORT,bind=127.0.0.1,reuseaddr,fork,cert=$TOOLS/tls.pem,verify=0" \
    "TCP:127.0.0.1:$LAB_C2S_PORT" & SOCAT_PID=$!
  sleep 0.5
}
tls_proxy_stop() { [ -n "$SOCAT_PID" ] && kill "$SOCAT_PID" 2>/dev/null; SOCAT_PID=""; }

finish() { tls_proxy_stop; tmux -L corpus-recorder kill-server 2>/dev/null || true; lab_stop; }
trap finish EXIT

# ---- the recordings ------------------------------------------------------------------------------
gcc -O0 -Wall -o "$TOOLS/helpers/libstrophe-client" "$TOOLS/helpers/libstrophe-client.c" $(pkg-config --cflags --libs libstrophe)
lab_stop
rm -rf "$LAB_DIR"   # a fresh lab: empty prosody.log, no pubsub subscriptions left from earlier runs
lab_start
cd "$TOOLS"

# xmpp.js (@xmpp/client + @xmpp/debug), WebSocket
rec_if xmppjs-ws-finesse-1001 "${NODE[@]}" helpers/xmppjs.mjs finesse
rec_with_server xmppjs-ws-login-1001 prosody-ws-login-1001 "${NODE[@]}" helpers/xmppjs.mjs login
rec_with_server xmppjs-ws-generic-admin prosody-ws-generic-admin "${NODE[@]}" helpers/xmppjs.mjs generic
rec_with_server xmppjs-ws-wrong-password prosody-ws-wrong-password "${NODE[@]}" helpers/xmppjs.mjs wrongpw

# Strophe.js in headless Chromium, devtools console
rec_if strophejs-ws-finesse-1001 node helpers/strophe-run.mjs ws finesse
rec_if strophejs-ws-wrong-password node helpers/strophe-run.mjs ws wrongpw
rec_if strophejs-bosh-plain-finesse-1001 node helpers/strophe-run.mjs bosh finesse plain
rec_if strophejs-bosh-plain-wrong-password node helpers/strophe-run.mjs bosh wrongpw plain

# StanzaJS, WebSocket
rec_if stanza-ws-finesse-1001 "${NODE[@]}" helpers/stanza.mjs finesse
rec_if stanza-ws-wrong-password "${NODE[@]}" helpers/stanza.mjs wrongpw

# slixmpp, TCP
rec_if slixmpp-tcp-finesse-1001 "$PY" helpers/slixmpp-client.py finesse
rec_if slixmpp-tcp-wrong-password "$PY" helpers/slixmpp-client.py wrongpw

# libstrophe default logger, TCP
rec_if libstrophe-tcp-finesse-1001 helpers/libstrophe-client finesse
rec_if libstrophe-tcp-wrong-password helpers/libstrophe-client wrongpw

# sendxmpp (Net::XMPP) -d, TCP
rec_if sendxmpp-tcp-message sh -c "echo 'hello from sendxmpp' | sendxmpp -d -u 1001 -p agentpass -j 127.0.0.1:$LAB_C2S_PORT -o finesse.lab -r sendxmpp finesse@finesse.lab"
rec_with_server sendxmpp-tcp-wrong-password prosody-tcp-plain-wrong-password \
  sh -c "echo 'hello from sendxmpp' | sendxmpp -d -u 1001 -p wrongpass -j 127.0.0.1:$LAB_C2S_PORT -o finesse.lab -r sendxmpp finesse@finesse.lab"

# go-sendxmpp -d, direct TLS through a loopback socat in front of the lab's c2s
if want go-sendxmpp-tls-message || want go-sendxmpp-tls-wrong-password; then
  tls_proxy_start
  rec_if go-sendxmpp-tls-message sh -c "echo 'hello from go-sendxmpp' | go-sendxmpp -d -t -n -u 1001@finesse.lab -p agentpass -j 127.0.0.1:$TLS_PROXY_PORT finesse@finesse.lab"
  rec_if go-sendxmpp-tls-wrong-password sh -c "echo 'hello from go-sendxmpp' | go-sendxmpp -d -t -n -u 1001@finesse.lab -p wrongpass -j 127.0.0.1:$TLS_PROXY_PORT finesse@finesse.lab"
  tls_proxy_stop
fi

# profanity -l DEBUG, TCP without TLS, driven through tmux
profanity_session profanity-tcp-login-1001 agentpass
profanity_session profanity-tcp-wrong-password wrongpass

# server killed (kill -9 prosody) mid-session; the lab is started again for the next one
rec_if xmppjs-ws-server-killed "${NODE[@]}" helpers/xmppjs.mjs killed
rec_if strophejs-bosh-plain-server-killed env STROPHE_MAX_MS=150000 node helpers/strophe-run.mjs bosh killed plain
rec_if slixmpp-tcp-server-killed "$PY" helpers/slixmpp-client.py killed

# XEP-0199 keepalive pings unanswered: the helper freezes Prosody (SIGSTOP) mid-session, then kills it
# (pings) or waits until slixmpp gives up (pingtimeout); a frozen Prosody is never left behind
rec_if slixmpp-tcp-pings-unanswered "$PY" helpers/slixmpp-client.py pings
kill -CONT "$PROSODY_PID" 2>/dev/null || true
rec_if slixmpp-tcp-ping-timeout "$PY" helpers/slixmpp-client.py pingtimeout
kill -CONT "$PROSODY_PID" 2>/dev/null || true
rec_if libstrophe-tcp-server-killed helpers/libstrophe-client killed

echo "record.sh: done, logs in $OUT" >&2
