// The REST side of a Finesse node, for the lab: a small HTTP server on 127.0.0.1 that answers the
// calls a Finesse desktop makes, and publishes the state changes it accepts to the lab's Prosody
// as Finesse notifications (through the pubsub admin, as publish.mjs does).
//
//   node --experimental-websocket samples/lab/finesse-rest.mjs [--port 5380] [--verbose]
//   (lab.sh starts it beside Prosody; LAB_REST_PORT, default LAB_HTTP_PORT + 100)
//
// Finesse API (paths as on a Finesse node):
//   GET  /finesse/api/SystemInfo       no auth; Finesse's <SystemInfo> XML
//   GET  /finesse/api/User/{id}        Basic auth (1001/agentpass, 2001/superpass); 200 <User>
//   PUT  /finesse/api/User/{id}        <User><state>READY</state></User>, or NOT_READY with
//                                      <reasonCodeId>; header requestId (a UUID). Answers 202 with
//                                      an empty body at once; after notifyDelayMs (or never) the
//                                      change is published to the pubsub node /finesse/api/User/{id}
//                                      as <Update> with <event>PUT</event> and that requestId.
//   Bad or missing credentials: 401 <ApiErrors>; status PARTIAL_SERVICE or OUT_OF_SERVICE: every
//   /finesse/api/ call except SystemInfo answers 503 <ApiErrors>. CORS: any Origin is echoed,
//   preflights answered (requestId, Authorization, Content-Type allowed), for the failover case.
//   Users start NOT_READY (as after a desktop sign-in); their state is kept in memory.
//
// Control (loopback; no CORS headers, so a page cannot call it):
//   GET  /lab/config                   the current settings as JSON
//   POST /lab/config  {"status": "OUT_OF_SERVICE", "statusReason": "...", "xmppDomain": "...",
//                      "primary": "127.0.0.1", "secondary": "localhost" | null,
//                      "notifyDelayMs": 100 | null (never publish), "clockOffsetMs": 0,
//                      "reset": true}
//                     (only the keys given change; "reset" first restores the start settings,
//                     the users' states, and drops notifications not yet published)
//   GET  /lab/log                      the requests answered and notifications published (JSON)
// Start settings from the environment: LAB_REST_STATUS (IN_SERVICE), LAB_REST_STATUS_REASON,
// LAB_REST_XMPP_DOMAIN (LAB_DOMAIN), LAB_REST_PRIMARY (127.0.0.1), LAB_REST_SECONDARY (none),
// LAB_REST_NOTIFY_DELAY_MS (100; "never" = never publish), LAB_REST_CLOCK_OFFSET_MS (0).
// clockOffsetMs plays a server whose clock is off: SystemInfo's <currentTimestamp> and the HTTP
// Date header (set only when the offset is not 0) are the real time plus that many ms.
import http from 'node:http';
import { XmppWs, labEnv, parseArgs } from './xmpp-ws.mjs';
import { userXml, updateXml, publishIq } from './publish.mjs';

const env = labEnv();
const args = parseArgs(process.argv.slice(2), {
  port: process.env.LAB_REST_PORT || String(Number(env.httpPort) + 100),
  'admin-user': process.env.LAB_ADMIN_USER || 'admin',
  'admin-password': process.env.LAB_ADMIN_PASSWORD || 'adminpass',
});
const say = (s) => console.error(`[finesse-rest] ${new Date().toISOString()} ${s}`);
const debug = args.verbose ? say : () => {};

const ACCOUNTS = { 1001: 'agentpass', 2001: 'superpass' };
const START_STATE = 'NOT_READY';

function startDelay() {
  const v = process.env.LAB_REST_NOTIFY_DELAY_MS;
  if (v === undefined || v === '') return 100;
  if (v === 'never') return null;
  return Number(v);
}
function startConfig() {
  return {
    status: process.env.LAB_REST_STATUS || 'IN_SERVICE',
    statusReason: process.env.LAB_REST_STATUS_REASON || '',
    xmppDomain: process.env.LAB_REST_XMPP_DOMAIN || env.domain,
    primary: process.env.LAB_REST_PRIMARY || '127.0.0.1',
    secondary: process.env.LAB_REST_SECONDARY || null,
    notifyDelayMs: startDelay(),
    clockOffsetMs: Number(process.env.LAB_REST_CLOCK_OFFSET_MS || 0),
  };
}
let config = startConfig();
const users = new Map(); // id -> {state, changed: Date}
const pending = new Set(); // timers of notifications not yet published
const log = [];

function user(id) {
  if (!users.has(id)) users.set(id, { state: START_STATE, changed: new Date() });
  return users.get(id);
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function systemInfoXml() {
  const c = config;
  const node = (tag, host) => (host ? `<${tag}><host>${esc(host)}</host></${tag}>` : '');
  return XML_DECL + '<SystemInfo>'
    + `<currentTimestamp>${new Date(Date.now() + (Number(c.clockOffsetMs) || 0)).toISOString()}</currentTimestamp>`
    + '<deploymentType>UCCX</deploymentType><installationType>LAB</installationType>'
    + node('primaryNode', c.primary) + node('secondaryNode', c.secondary)
    + `<status>${esc(c.status)}</status>`
    + (c.status !== 'IN_SERVICE' && c.statusReason ? `<statusReason>${esc(c.statusReason)}</statusReason>` : '')
    + '<timezoneOffset>0</timezoneOffset><uri>/finesse/api/SystemInfo</uri>'
    + `<xmppDomain>${esc(c.xmppDomain)}</xmppDomain><xmppPubSubDomain>pubsub.${esc(c.xmppDomain)}</xmppPubSubDomain>`
    + '</SystemInfo>';
}

function apiErrors(type, message, data) {
  return XML_DECL + `<ApiErrors><ApiError><ErrorType>${esc(type)}</ErrorType>`
    + `<ErrorMessage>${esc(message)}</ErrorMessage><ErrorData>${esc(data)}</ErrorData></ApiError></ApiErrors>`;
}

// ---- publishing through Prosody -------------------------------------------------------------
let client = null;
let connecting = null;
async function publisher() {
  if (client && client.ws && client.ws.readyState === WebSocket.OPEN) return client;
  if (!connecting) {
    const c = new XmppWs({
      url: env.wsUrl, domain: env.domain, user: args['admin-user'], password: args['admin-password'],
      resource: `finesse-rest-${process.pid}`, log: args.verbose ? (s) => debug(`xmpp ${s}`) : null,
    });
    connecting = c.login().then(() => {
      client = c;
      c.closed.then(({ code }) => { debug(`publisher session closed (${code})`); if (client === c) client = null; });
      say(`publisher online as ${c.jid}`);
      return c;
    }).finally(() => { connecting = null; });
  }
  return connecting;
}

async function publishState(id, requestId) {
  const node = `/finesse/api/User/${id}`;
  const u = user(id);
  // updateXml builds the <user> with stateChangeTime = now; the state is the one kept here.
  const update = updateXml(node, u.state, { event: 'PUT', requestId });
  const c = await publisher();
  await c.iq(publishIq(node, update));
  log.push({ t: Date.now(), kind: 'published', node, state: u.state, requestId });
  say(`published ${node} ${u.state} requestId=${requestId}`);
}

// ---- HTTP -----------------------------------------------------------------------------------
function cors(req, headers) {
  const origin = req.headers.origin;
  if (origin) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Allow-Credentials'] = 'true';
    headers['Access-Control-Expose-Headers'] = 'requestId';
    headers.Vary = 'Origin';
  }
  return headers;
}

function send(req, res, status, body, type = 'application/xml') {
  const headers = cors(req, { 'Cache-Control': 'no-cache, no-store', 'Content-Length': Buffer.byteLength(body) });
  if (body) headers['Content-Type'] = type;
  if (Number(config.clockOffsetMs)) headers.Date = new Date(Date.now() + Number(config.clockOffsetMs)).toUTCString();
  res.writeHead(status, headers);
  res.end(body);
  log.push({ t: Date.now(), kind: 'answered', method: req.method, path: req.url, status, requestId: req.headers.requestid || null });
  debug(`${req.method} ${req.url} -> ${status}`);
}

function credentials(req) {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization || '');
  if (!m) return null;
  const plain = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  return colon < 0 ? null : { user: plain.slice(0, colon), password: plain.slice(colon + 1) };
}

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { data += d; });
    req.on('end', () => resolve(data));
  });
}

function applyConfig(patch) {
  if (patch.reset) {
    config = startConfig();
    users.clear();
    for (const t of pending) clearTimeout(t);
    pending.clear();
  }
  for (const k of ['status', 'statusReason', 'xmppDomain', 'primary', 'secondary', 'notifyDelayMs', 'clockOffsetMs']) {
    if (k in patch) config[k] = patch[k];
  }
  if (config.notifyDelayMs === 'never') config.notifyDelayMs = null;
}

async function finesseApi(req, res, path) {
  if (path === '/finesse/api/SystemInfo') {
    if (req.method !== 'GET') return send(req, res, 405, apiErrors('Method Not Allowed', 'METHOD_NOT_ALLOWED', req.method));
    return send(req, res, 200, systemInfoXml());
  }
  if (config.status !== 'IN_SERVICE') {
    // Finesse answers 503 to every request while it is PARTIAL_SERVICE or OUT_OF_SERVICE.
    return send(req, res, 503, apiErrors('Service Unavailable', config.status, config.statusReason || config.status));
  }
  const m = /^\/finesse\/api\/User\/([^/]+)$/.exec(path);
  if (!m) return send(req, res, 404, apiErrors('Not Found', 'NOT_FOUND', path));
  const id = decodeURIComponent(m[1]);
  const cred = credentials(req);
  if (!cred || ACCOUNTS[cred.user] === undefined || ACCOUNTS[cred.user] !== cred.password) {
    // No WWW-Authenticate header, so a browser does not pop up its own sign-in dialog.
    return send(req, res, 401, apiErrors('Authorization Failure', 'UNAUTHORIZED', id));
  }
  if (cred.user !== id) return send(req, res, 401, apiErrors('Invalid Authorization User Specified', 'UNAUTHORIZED', id));

  if (req.method === 'GET') {
    const u = user(id);
    const xml = userXml(id, u.state, u.changed).replace(/^<user>/, '<User>').replace(/<\/user>$/, '</User>');
    return send(req, res, 200, XML_DECL + xml);
  }
  if (req.method !== 'PUT') return send(req, res, 405, apiErrors('Method Not Allowed', 'METHOD_NOT_ALLOWED', req.method));
  const body = await readBody(req);
  const state = (/<state>\s*([^<\s]*)\s*<\/state>/.exec(body) || [])[1];
  if (!state) return send(req, res, 400, apiErrors('Parameter Missing', 'state', 'state'));
  if (!['READY', 'NOT_READY', 'LOGOUT'].includes(state)) return send(req, res, 400, apiErrors('Invalid Input', 'Invalid state', state));
  const requestId = req.headers.requestid || '';
  const u = user(id);
  u.state = state;
  u.changed = new Date();
  send(req, res, 202, '');
  const delay = config.notifyDelayMs;
  if (delay === null || delay === undefined) {
    log.push({ t: Date.now(), kind: 'dropped', id, state, requestId });
    say(`PUT ${path} ${state} requestId=${requestId}: accepted, notification never published`);
    return undefined;
  }
  const timer = setTimeout(() => {
    pending.delete(timer);
    publishState(id, requestId).catch((e) => say(`publish failed: ${e.message}`));
  }, Math.max(0, Number(delay)));
  pending.add(timer);
  return undefined;
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    if (path.startsWith('/lab/')) {
      if (path === '/lab/config' && req.method === 'POST') {
        applyConfig(JSON.parse((await readBody(req)) || '{}'));
        say(`config ${JSON.stringify(config)}`);
      } else if (path === '/lab/log' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(log));
        return;
      } else if (!(path === '/lab/config' && req.method === 'GET')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(config));
      return;
    }
    if (req.method === 'OPTIONS') {
      // CORS preflight (a page on the other node's origin).
      res.writeHead(204, cors(req, {
        'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'requestId, Authorization, Content-Type, Accept',
        'Access-Control-Max-Age': '600',
        'Content-Length': 0,
      }));
      res.end();
      return;
    }
    if (path.startsWith('/finesse/api/')) { await finesseApi(req, res, path); return; }
    send(req, res, 404, 'not found', 'text/plain');
  } catch (e) {
    say(`error: ${e.stack || e.message}`);
    if (!res.headersSent) send(req, res, 500, apiErrors('Internal Server Error', 'RUNTIME_EXCEPTION', e.message));
  }
});

server.listen(Number(args.port), '127.0.0.1', () => {
  say(`listening on http://127.0.0.1:${args.port}/ (xmpp ${env.wsUrl}, domain ${env.domain})`);
  publisher().catch((e) => say(`publisher not online yet: ${e.message}`));
});
server.on('error', (e) => { say(`server error: ${e.message}`); process.exit(1); });
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, async () => {
    server.close();
    try { if (client) await client.close(500); } catch { /* ignore */ }
    process.exit(0);
  });
}
