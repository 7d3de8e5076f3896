#!/usr/bin/env node
// Records Finesse notification-channel sessions in headless Chromium against the Finesse lab
// (samples/lab/lab.sh) and writes them as Chrome DevTools HAR exports into samples/.
//
//   node scripts/record-sample.mjs --scenario ws-agent-healthy [--out-dir samples] [--verbose]
//   node scripts/record-sample.mjs --scenario all
//   node scripts/record-sample.mjs --list
//
// The lab must be running (samples/lab/lab.sh start --background); it is found through LAB_DIR
// or the lab's pointer file. The scenario ws-server-stopped kills the lab's Prosody (SIGKILL) and
// starts the lab again with the same LAB_DIR.
// A tiny HTTP server on 127.0.0.1 serves the "desktop" page (/desktop/), its script and
// /finesse/api/SystemInfo; the page logs in with plain JavaScript (scripts/lab-desktop/), and the
// Chrome DevTools Protocol records the traffic (scripts/har-from-cdp.mjs).
// The rest-* scenarios play Finesse's REST side too: the page server proxies /finesse/api/* (same
// origin, as on a Finesse node) to the lab's REST stand-in (samples/lab/finesse-rest.mjs, the
// ready file's LAB_REST_URL), driven through its control endpoint (POST /lab/config).
// rest-failover also starts a second lab (node B: LAB_B_HTTP_PORT, default 5281, its own LAB_DIR,
// REST on LAB_B_REST_PORT, default B's HTTP port + 100), kills lab A's Prosody, restarts lab A
// afterwards and always stops lab B.
// The desktop-* scenarios also save the desktop's own client log ("Send Error Report", written by
// the lab desktop in the format of Cisco's finesse.js: tests/corpus/desktop/FORMAT.md) as
// NAME.log next to NAME.har, from the same page and session. desktop-reconnect kills and restarts
// lab A like ws-server-stopped; desktop-failover uses two nodes like rest-failover; desktop-drift
// sets the REST stand-in's clock 8 s ahead (clockOffsetMs).
// Needs playwright-core: NODE_PATH or $FINESSE_DEPS/node/node_modules
// (default ~/.cache/finesse-inspector/node/node_modules) and Chromium (CHROMIUM, default
// /usr/bin/chromium).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CdpHarRecorder, harJson } from './har-from-cdp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const LAB = path.join(ROOT, 'samples', 'lab');
const LAB_SH = path.join(LAB, 'lab.sh');

function loadPlaywright() {
  const require = createRequire(import.meta.url);
  const deps = process.env.FINESSE_DEPS || path.join(os.homedir(), '.cache', 'finesse-inspector');
  const candidates = [path.join(deps, 'node', 'node_modules', 'playwright-core'), 'playwright-core'];
  for (const c of candidates) {
    try { return require(c); } catch { /* next */ }
  }
  throw new Error('playwright-core not found (set NODE_PATH or FINESSE_DEPS)');
}

function parseArgs(argv) {
  const out = { 'out-dir': path.join(ROOT, 'samples') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = true; else { out[key] = next; i++; }
  }
  return out;
}
const args = parseArgs(process.argv.slice(2));
const verbose = !!args.verbose;
const say = (s) => console.error(`[record] ${s}`);
const debug = (s) => { if (verbose) say(s); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the lab ---------------------------------------------------------------------------------
function labInfo() {
  const port = process.env.LAB_HTTP_PORT || '5280';
  let dir = process.env.LAB_DIR;
  if (!dir) {
    const state = process.env.LAB_STATE_DIR || process.env.XDG_RUNTIME_DIR || '/tmp';
    const pointer = path.join(state, `finesse-lab-${port}.dir`);
    if (!fs.existsSync(pointer)) throw new Error(`no running lab (start samples/lab/lab.sh start --background, or set LAB_DIR)`);
    dir = fs.readFileSync(pointer, 'utf8').trim();
  }
  const readyFile = path.join(dir, 'ready');
  if (!fs.existsSync(readyFile)) throw new Error(`lab in ${dir} is not ready`);
  const info = { dir };
  for (const line of fs.readFileSync(readyFile, 'utf8').split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (m) info[m[1]] = m[2];
  }
  return info;
}

function labEnv(info) {
  const env = { ...process.env, LAB_DIR: info.dir, LAB_DOMAIN: info.LAB_DOMAIN, LAB_HTTP_PORT: new URL(info.LAB_WS_URL).port };
  if (info.LAB_REST_URL) env.LAB_REST_PORT = new URL(info.LAB_REST_URL).port;
  return env;
}

function runLab(args_, env, { capture = true } = {}) {
  const r = spawnSync(LAB_SH, args_, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lab.sh ${args_.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  if (capture) debug(`lab.sh ${args_[0]}: ${r.stdout.trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout;
}

/** lab.sh publish ... as a child process; resolves when all notifications are published. */
function publish(info, nodeName, { count = 3, rate = 2, states = 'READY,NOT_READY,READY', extraEnv = {}, unsolicited = false } = {}) {
  return new Promise((resolve, reject) => {
    const a = ['publish', '--node', nodeName, '--count', String(count), '--rate', String(rate), '--states', states];
    if (unsolicited) a.push('--unsolicited');
    const child = spawn(LAB_SH, a, { env: { ...labEnv(info), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? (debug(out.trim()), resolve(out)) : reject(new Error(`publish failed: ${out}`))));
  });
}

function secondSession(info, user, password, resource, holdMs) {
  const r = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', path.join(LAB, 'session.mjs'),
    '--user', user, '--password', password, '--resource', resource, '--hold-ms', String(holdMs)],
  { env: labEnv(info), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`second session failed: ${r.stderr}`);
  debug(`second session: ${r.stdout.trim()}`);
}

// ---- the desktop page server -----------------------------------------------------------------
const DESKTOP_JS = fs.readFileSync(path.join(HERE, 'lab-desktop', 'lab-desktop.js'), 'utf8');
const PAGE_HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Finesse lab desktop</title>
<script src="js/lab-desktop.js"></script></head>
<body><h1>Finesse lab desktop</h1><p id="status">signed out</p></body></html>
`;

function systemInfoXml(domain) {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<SystemInfo><currentTimestamp>${new Date().toISOString()}</currentTimestamp><deploymentType>UCCX</deploymentType><installationType>LAB</installationType><primaryNode><host>127.0.0.1</host></primaryNode><status>IN_SERVICE</status><timezoneOffset>0</timezoneOffset><uri>/finesse/api/SystemInfo</uri><xmppDomain>${domain}</xmppDomain><xmppPubSubDomain>pubsub.${domain}</xmppPubSubDomain></SystemInfo>`;
}

// Forwards a request to the lab's REST stand-in unchanged (method, headers, body) and its answer
// back unchanged (status, headers, body): the page sees Finesse's REST API on its own origin.
function proxy(req, res, base) {
  const target = new URL(req.url, base);
  // Raw header lists keep the names' case and order (Node's header objects are lower-case).
  const headers = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const host = req.rawHeaders[i].toLowerCase() === 'host';
    headers.push(req.rawHeaders[i], host ? target.host : req.rawHeaders[i + 1]);
  }
  const out = http.request(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
    answer.pipe(res);
  });
  out.on('error', (e) => {
    debug(`proxy ${req.method} ${req.url}: ${e.message}`);
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`REST stand-in unreachable: ${e.message}`);
  });
  req.pipe(out);
}

function startPageServer(state) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const u = new URL(req.url, 'http://x');
      if (state.restUrl && u.pathname.startsWith('/finesse/api/')) {
        proxy(req, res, state.restUrl());
      } else if (u.pathname === '/desktop/' || u.pathname === '/desktop/index.html') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(PAGE_HTML);
      } else if (u.pathname === '/desktop/js/lab-desktop.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(DESKTOP_JS);
      } else if (u.pathname === '/finesse/api/SystemInfo') {
        res.writeHead(200, { 'Content-Type': 'application/xml', 'Cache-Control': 'no-store' });
        res.end(systemInfoXml(state.systemInfoDomain));
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
      }
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---- scenarios -------------------------------------------------------------------------------
const USERS = { 1001: 'agentpass', 2001: 'superpass' };

// In-page helpers: the page holds its desktops in window.__d[...].
async function newDesktop(page, key, opts) {
  return page.evaluate(([k, o]) => { window.__d = window.__d || {}; window.__d[k] = new window.LabDesktop(o); return true; }, [key, opts]);
}
const call = (page, key, method, ...a) => page.evaluate(([k, m, args_]) => window.__d[k][m](...args_), [key, method, a]);

function expectOk(result, what) {
  if (!result || !result.ok) throw new Error(`${what} failed: ${JSON.stringify(result)}`);
  return result;
}

// The healthy agent session, the same over WebSocket and BOSH.
async function healthyAgent(ctx) {
  const d = await ctx.desktop('d1', { user: '1001' });
  expectOk(await d.login(), 'login');
  expectOk(await d.subscribe('/finesse/api/User/1001'), 'subscribe');
  await publish(ctx.lab, '/finesse/api/User/1001', { count: 3, rate: 2, states: 'READY,NOT_READY,READY' });
  await d.waitNotifications(3);
  await sleep(300);
  expectOk(await d.ping(), 'ping');
  await sleep(200);
  await d.close();
}

const SCENARIOS = {
  'ws-agent-healthy': {
    what: 'agent 1001: login, user subscription, 3 notifications (READY, NOT_READY, READY), ping, clean close',
    run: healthyAgent,
  },
  'ws-supervisor-team': {
    what: 'supervisor 2001: user and team subscriptions, notifications on both nodes',
    async run(ctx) {
      const d = await ctx.desktop('d1', { user: '2001' });
      expectOk(await d.login(), 'login');
      expectOk(await d.subscribe('/finesse/api/User/2001'), 'subscribe user');
      expectOk(await d.subscribe('/finesse/api/Team/1/Users'), 'subscribe team');
      await publish(ctx.lab, '/finesse/api/User/2001', { count: 2, rate: 2, states: 'NOT_READY,READY' });
      await publish(ctx.lab, '/finesse/api/Team/1/Users', { count: 3, rate: 2, states: 'READY,NOT_READY,READY', unsolicited: true, extraEnv: { LAB_TEAM_MEMBER: '1001' } });
      await d.waitNotifications(5);
      await sleep(300);
      await d.close();
    },
  },
  'ws-wrong-password': {
    what: 'agent 1001 with a wrong password: SASL failure not-authorized',
    async run(ctx) {
      const d = await ctx.desktop('d1', { user: '1001', password: 'wrongpass' });
      const r = await d.login();
      if (r.ok || r.step !== 'auth') throw new Error(`expected an auth failure: ${JSON.stringify(r)}`);
      ctx.note(`server: ${r.frame}`);
      await sleep(300);
      await d.close();
    },
  },
  'ws-host-unknown': {
    what: 'SystemInfo gives xmppDomain wrong.domain; <open to="wrong.domain"> gets a stream error',
    systemInfoDomain: 'wrong.domain',
    async run(ctx) {
      const d = await ctx.desktop('d1', { user: '1001' });
      const r = await d.login();
      if (r.ok) throw new Error('login unexpectedly succeeded');
      ctx.note(`server: ${r.frame} (${r.step})`);
      const closed = await d.waitClosed(6000);
      if (!closed) await d.close();
    },
  },
  'ws-team-missing': {
    what: 'supervisor 2001 subscribes to /finesse/api/Team/99/Users, which does not exist: iq error',
    async run(ctx) {
      const d = await ctx.desktop('d1', { user: '2001' });
      expectOk(await d.login(), 'login');
      expectOk(await d.subscribe('/finesse/api/User/2001'), 'subscribe user');
      const r = await d.subscribe('/finesse/api/Team/99/Users');
      if (r.ok) throw new Error('team subscribe unexpectedly succeeded');
      ctx.note(`server: ${r.frame}`);
      await sleep(300);
      await d.close();
    },
  },
  'ws-conflict': {
    what: 'agent 1001 logged in; a second session binds the same resource "desktop"; the first gets a conflict stream error',
    async run(ctx) {
      const d = await ctx.desktop('d1', { user: '1001' });
      expectOk(await d.login(), 'login');
      expectOk(await d.subscribe('/finesse/api/User/1001'), 'subscribe');
      await sleep(500);
      secondSession(ctx.lab, '1001', USERS[1001], 'desktop', 1000);
      const closed = await d.waitClosed(6000);
      if (!closed) throw new Error('first session was not closed');
      ctx.note(`first session closed: ${JSON.stringify(closed)}`);
    },
  },
  'ws-server-stopped': {
    what: 'agent 1001 logged in; Prosody is killed (SIGKILL); the socket closes abnormally; after the lab restarts the page reconnects and logs in again',
    async run(ctx) {
      const d = await ctx.desktop('d1', { user: '1001' });
      expectOk(await d.login(), 'login');
      expectOk(await d.subscribe('/finesse/api/User/1001'), 'subscribe');
      await publish(ctx.lab, '/finesse/api/User/1001', { count: 1, states: 'READY' });
      await d.waitNotifications(1);
      await sleep(500);
      const supervisor = Number(fs.readFileSync(path.join(ctx.lab.dir, 'lab.pid'), 'utf8'));
      const prosodyPid = Number(ctx.lab.LAB_PROSODY_PID);
      say(`killing prosody (pid ${prosodyPid}) with SIGKILL`);
      process.kill(prosodyPid, 'SIGKILL');
      const closed = await d.waitClosed(5000);
      if (!closed) throw new Error('socket did not close after SIGKILL');
      ctx.note(`first socket closed: ${JSON.stringify(closed)}`);
      // The lab's supervisor notices and cleans up; start it again with the same folder.
      for (let i = 0; i < 100; i++) {
        try { process.kill(supervisor, 0); } catch { break; }
        await sleep(50);
      }
      const t0 = Date.now();
      runLab(['start', '--background'], { ...labEnv(ctx.lab), LAB_WATCH_PID: process.env.LAB_WATCH_PID || String(process.ppid) });
      ctx.lab = labInfo();
      ctx.note(`lab restarted in ${Date.now() - t0} ms`);
      // The desktop reconnects (a new WebSocket) and logs in again.
      const d2 = await ctx.desktop('d2', { user: '1001' });
      expectOk(await d2.login(), 'second login');
      expectOk(await d2.subscribe('/finesse/api/User/1001'), 'second subscribe');
      await publish(ctx.lab, '/finesse/api/User/1001', { count: 1, states: 'NOT_READY' });
      await d2.waitNotifications(1);
      await sleep(300);
      await d2.close();
    },
  },
  'bosh-agent-healthy': {
    what: 'agent 1001 over BOSH (/http-bind/): login, user subscription, 3 notifications, ping, terminate',
    transport: 'bosh',
    run: healthyAgent,
  },
};

// ---- REST scenarios (the lab's REST stand-in) -------------------------------------------------
const READY_XML = '<User><state>READY</state></User>';
const NOT_READY_XML = '<User><state>NOT_READY</state><reasonCodeId>1</reasonCodeId></User>';
const AGENT = { user: '1001', password: USERS[1001] };

function expectStatus(r, status, what) {
  if (!r || r.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${JSON.stringify(r && { status: r.status, text: r.text })}`);
  return r;
}

/** POST /lab/config on a REST stand-in (lab A by default). */
async function restConfig(base, patch) {
  const r = await fetch(`${base}/lab/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(patch) });
  if (!r.ok) throw new Error(`REST stand-in config failed: ${r.status}`);
  const cfg = await r.json();
  debug(`REST config ${base}: ${JSON.stringify(cfg)}`);
  return cfg;
}

/** Waits until a desktop has a frame holding `text` (a requestId); returns the wait in ms. */
async function waitFrame(d, text, ms, { pingEveryMs = 0 } = {}) {
  const t0 = Date.now();
  let nextPing = t0 + pingEveryMs;
  while (!(await d.hasFrame(text))) {
    if (Date.now() - t0 > ms) throw new Error(`no frame with ${text} after ${ms} ms`);
    if (pingEveryMs && Date.now() >= nextPing) { expectOk(await d.ping(), 'ping while waiting'); nextPing += pingEveryMs; }
    await sleep(20);
  }
  return Date.now() - t0;
}

/** SystemInfo, GET User, XMPP login and the user subscription: a desktop sign-in. */
async function restSignIn(ctx, key = 'd1') {
  const si = expectStatus(await ctx.systemInfo(), 200, 'SystemInfo');
  expectStatus(await ctx.rest('GET', `/finesse/api/User/${AGENT.user}`, AGENT), 200, 'GET User');
  const d = await ctx.restDesktop(key, { user: AGENT.user, domain: si.info.xmppDomain });
  expectOk(await d.login(), 'login');
  expectOk(await d.subscribe(`/finesse/api/User/${AGENT.user}`), 'subscribe');
  return d;
}

async function putState(ctx, xml, what, opts = {}) {
  const r = expectStatus(await ctx.rest('PUT', `/finesse/api/User/${AGENT.user}`, { ...AGENT, body: xml, ...opts }), 202, what);
  ctx.note(`${what}: 202, requestId ${r.requestId}`);
  return r;
}

/** Kills lab A's Prosody (SIGKILL) and waits until its supervisor has cleaned up. */
async function killLab(ctx) {
  const supervisor = Number(fs.readFileSync(path.join(ctx.lab.dir, 'lab.pid'), 'utf8'));
  const prosodyPid = Number(ctx.lab.LAB_PROSODY_PID);
  say(`killing prosody (pid ${prosodyPid}) with SIGKILL`);
  process.kill(prosodyPid, 'SIGKILL');
  return async () => {
    for (let i = 0; i < 100; i++) {
      try { process.kill(supervisor, 0); } catch { break; }
      await sleep(50);
    }
  };
}

async function restartLab(ctx) {
  const t0 = Date.now();
  runLab(['start', '--background'], { ...labEnv(ctx.lab), LAB_WATCH_PID: process.env.LAB_WATCH_PID || String(process.ppid) });
  ctx.lab = labInfo();
  ctx.note(`lab restarted in ${Date.now() - t0} ms`);
}

/** Lab B for rest-failover: its own ports and folder; stops when this process ends. */
function startSecondLab(extraEnv) {
  const httpPort = process.env.LAB_B_HTTP_PORT || '5281';
  const restPort = process.env.LAB_B_REST_PORT || String(Number(httpPort) + 100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finesse-lab-b.'));
  const env = { ...process.env, LAB_DIR: dir, LAB_HTTP_PORT: httpPort, LAB_REST_PORT: restPort, LAB_WATCH_PID: String(process.pid), ...extraEnv };
  const t0 = Date.now();
  runLab(['start', '--background'], env);
  say(`lab B ready in ${Date.now() - t0} ms (HTTP ${httpPort}, REST ${restPort}, ${dir})`);
  return {
    httpPort, restPort, dir,
    stop() {
      try { runLab(['stop'], env); } catch (e) { say(`lab B stop: ${e.message}`); }
      if (process.env.KEEP_LAB_DIR === '1') say(`lab B folder kept: ${dir}`); else fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Sign in, two state changes each notified with its requestId, a ping, sign out.
async function stateChangeSession(ctx) {
  const d = await restSignIn(ctx);
  await sleep(300);
  const p1 = await putState(ctx, READY_XML, 'PUT READY');
  ctx.note(`READY notified after ~${await waitFrame(d, p1.requestId, 3000)} ms`);
  await sleep(500);
  const p2 = await putState(ctx, NOT_READY_XML, 'PUT NOT_READY');
  ctx.note(`NOT_READY notified after ~${await waitFrame(d, p2.requestId, 3000)} ms`);
  await sleep(300);
  expectOk(await d.ping(), 'ping');
  await sleep(200);
  await d.close();
}

// Two lab nodes: sign in on A, a state change, A's Prosody killed; SystemInfo, sign-in and a state
// change on B (localhost). With `log`, the desktop also logs failing, recovers and refreshes, as the
// real one does before it writes its client log.
async function failoverSession(ctx, { log = false } = {}) {
  const b = startSecondLab({ LAB_REST_PRIMARY: '127.0.0.1', LAB_REST_SECONDARY: 'localhost' });
  let waitSupervisor = null;
  try {
    const d = await restSignIn(ctx);
    await sleep(300);
    const p1 = await putState(ctx, READY_XML, 'PUT READY on A');
    ctx.note(`READY notified on A after ~${await waitFrame(d, p1.requestId, 3000)} ms`);
    await sleep(500);
    waitSupervisor = await killLab(ctx);
    const closed = await d.waitClosed(5000);
    if (!closed) throw new Error('socket did not close after SIGKILL');
    ctx.note(`first socket closed: ${JSON.stringify(closed)}`);
    if (log) {
      await sleep(200);
      await ctx.logStatus('failing');
    }
    const bBase = `http://localhost:${b.restPort}`;
    const si = expectStatus(await ctx.systemInfo(bBase), 200, 'SystemInfo on B');
    const d2 = await ctx.restDesktop('d2', { user: '1001', domain: si.info.xmppDomain, url: `ws://localhost:${b.httpPort}/ws/`,
                                             ...(log ? { connectStatus: 'connecting' } : {}) });
    expectOk(await d2.login(), 'login on B');
    expectOk(await d2.subscribe('/finesse/api/User/1001'), 'subscribe on B');
    if (log) {
      await d2.recovered(['/finesse/api/User/1001']);
      expectStatus(await ctx.rest('GET', '/finesse/api/User/1001', { ...AGENT, base: bBase }), 200, 'refresh GET User on B');
    }
    await sleep(300);
    const p2 = await putState(ctx, NOT_READY_XML, 'PUT NOT_READY on B', { base: bBase });
    ctx.note(`NOT_READY notified on B after ~${await waitFrame(d2, p2.requestId, 3000)} ms`);
    await sleep(300);
    expectOk(await d2.ping(), 'ping on B');
    await sleep(200);
    await d2.close();
  } finally {
    b.stop();
    if (waitSupervisor) { await waitSupervisor(); await restartLab(ctx); }
  }
}

Object.assign(SCENARIOS, {
  'rest-state-change': {
    what: 'agent 1001: SystemInfo, GET User, login, subscribe; PUT READY and PUT NOT_READY (202), each notified with its requestId; ping; clean close',
    rest: {},
    run: stateChangeSession,
  },
  'rest-slow-notification': {
    what: 'agent 1001: PUT READY answered 202, the notification comes ~7 s later; pings every 5 s meanwhile; clean close',
    rest: {},
    async run(ctx) {
      const d = await restSignIn(ctx);
      await sleep(300);
      await restConfig(ctx.lab.LAB_REST_URL, { notifyDelayMs: 7000 });
      expectOk(await d.ping(), 'ping');
      const p = await putState(ctx, READY_XML, 'PUT READY (notification delayed 7 s)');
      ctx.note(`READY notified after ~${await waitFrame(d, p.requestId, 12000, { pingEveryMs: 5000 })} ms`);
      await sleep(500);
      expectOk(await d.ping(), 'ping');
      await sleep(200);
      await d.close();
    },
  },
  'rest-lost-notification': {
    what: 'agent 1001: PUT READY answered 202, no notification ever; pings answered every 5 s for 13 s; clean close',
    rest: { notifyDelayMs: null },
    async run(ctx) {
      const d = await restSignIn(ctx);
      await sleep(300);
      expectOk(await d.ping(), 'ping');
      const t0 = Date.now();
      const p = await putState(ctx, READY_XML, 'PUT READY (never notified)');
      for (const at of [5000, 10000, 13000]) {
        await sleep(Math.max(0, t0 + at - Date.now()));
        expectOk(await d.ping(), 'ping');
      }
      if (await d.hasFrame(p.requestId)) throw new Error('the lost notification arrived');
      await sleep(300);
      await d.close();
    },
  },
  'rest-unauthorized': {
    what: 'agent 1001 with a wrong password: SystemInfo 200, GET User 401 (ApiErrors); no XMPP connection',
    rest: {},
    async run(ctx) {
      expectStatus(await ctx.systemInfo(), 200, 'SystemInfo');
      const r = expectStatus(await ctx.rest('GET', '/finesse/api/User/1001', { user: '1001', password: 'wrongpass' }), 401, 'GET User');
      ctx.note(`server: ${r.text.replace(/\s+/g, ' ')}`);
      await sleep(300);
    },
  },
  'rest-out-of-service': {
    what: 'SystemInfo OUT_OF_SERVICE: GET User and PUT answer 503; XMPP login and subscribe; back IN_SERVICE: SystemInfo, GET User 200; clean close',
    rest: { status: 'OUT_OF_SERVICE', statusReason: 'Finesse is not connected to the CTI server' },
    async run(ctx) {
      const si = expectStatus(await ctx.systemInfo(), 200, 'SystemInfo');
      if (si.info.status !== 'OUT_OF_SERVICE') throw new Error(`SystemInfo status ${si.info.status}`);
      expectStatus(await ctx.rest('GET', '/finesse/api/User/1001', AGENT), 503, 'GET User');
      const d = await ctx.restDesktop('d1', { user: '1001', domain: si.info.xmppDomain });
      expectOk(await d.login(), 'login');
      expectOk(await d.subscribe('/finesse/api/User/1001'), 'subscribe');
      await sleep(300);
      const p = expectStatus(await ctx.rest('PUT', '/finesse/api/User/1001', { ...AGENT, body: READY_XML }), 503, 'PUT READY');
      ctx.note(`PUT READY: 503, requestId ${p.requestId}`);
      await sleep(1000);
      expectOk(await d.ping(), 'ping');
      await restConfig(ctx.lab.LAB_REST_URL, { status: 'IN_SERVICE', statusReason: '' });
      await sleep(500);
      const si2 = expectStatus(await ctx.systemInfo(), 200, 'second SystemInfo');
      if (si2.info.status !== 'IN_SERVICE') throw new Error(`second SystemInfo status ${si2.info.status}`);
      expectStatus(await ctx.rest('GET', '/finesse/api/User/1001', AGENT), 200, 'second GET User');
      await sleep(300);
      await d.close();
    },
  },
  'rest-domain-mismatch': {
    what: 'SystemInfo xmppDomain finesse.lab, but the desktop opens its stream to="127.0.0.1": host-unknown',
    rest: {},
    async run(ctx) {
      const si = expectStatus(await ctx.systemInfo(), 200, 'SystemInfo');
      expectStatus(await ctx.rest('GET', '/finesse/api/User/1001', AGENT), 200, 'GET User');
      const d = await ctx.restDesktop('d1', { user: '1001', domain: si.info.xmppDomain, streamTo: '127.0.0.1' });
      const r = await d.login();
      if (r.ok) throw new Error('login unexpectedly succeeded');
      ctx.note(`server: ${r.frame} (${r.step})`);
      const closed = await d.waitClosed(6000);
      if (!closed) await d.close();
    },
  },
  'rest-failover': {
    what: 'two nodes: on A (127.0.0.1) login and PUT READY; A\'s Prosody is killed; SystemInfo from B (localhost, CORS), login on B, PUT NOT_READY to B, notified on B; clean close',
    rest: { primary: '127.0.0.1', secondary: 'localhost' },
    killsLab: true,
    run: failoverSession,
  },
});

// ---- desktop-* scenarios: a HAR and the desktop's own client log of the same session -----------
// The page runs in New York time (the log's local time stamps carry -05:00 in winter), the lab's
// Finesse server in UTC (SystemInfo timezoneOffset 0), so local and server times differ in the log.
const DESKTOP_TZ = 'America/New_York';
const USER_URL = `/finesse/api/User/${AGENT.user}`;

Object.assign(SCENARIOS, {
  'desktop-healthy': {
    what: 'agent 1001 (client log too): SystemInfo, GET User, login, subscribe; PUT READY and PUT NOT_READY (202), each notified with its requestId; ping; sign-out',
    rest: {},
    log: true,
    timezoneId: DESKTOP_TZ,
    run: stateChangeSession,
  },
  'desktop-reconnect': {
    what: 'agent 1001 (client log too): signed in, PUT READY notified; Prosody killed (disconnected); lab restarted; reconnecting, connected, resubscribed, recovered, refresh GET User; PUT NOT_READY notified; sign-out',
    rest: {},
    log: true,
    timezoneId: DESKTOP_TZ,
    killsLab: true,
    async run(ctx) {
      const d = await restSignIn(ctx);
      await sleep(300);
      const p1 = await putState(ctx, READY_XML, 'PUT READY');
      ctx.note(`READY notified after ~${await waitFrame(d, p1.requestId, 3000)} ms`);
      await sleep(500);
      const waitSupervisor = await killLab(ctx);
      const closed = await d.waitClosed(5000);
      if (!closed) throw new Error('socket did not close after SIGKILL');
      ctx.note(`first socket closed: ${JSON.stringify(closed)}`);
      await waitSupervisor();
      await restartLab(ctx);
      // The desktop reconnects to the same node (a new WebSocket), subscribes again, and refreshes.
      const d2 = await ctx.restDesktop('d2', { user: AGENT.user, domain: ctx.lab.LAB_DOMAIN, connectStatus: 'reconnecting' });
      expectOk(await d2.login(), 'second login');
      expectOk(await d2.subscribe(USER_URL), 'second subscribe');
      await d2.recovered([USER_URL]);
      expectStatus(await ctx.rest('GET', USER_URL, AGENT), 200, 'refresh GET User');
      await sleep(300);
      const p2 = await putState(ctx, NOT_READY_XML, 'PUT NOT_READY');
      ctx.note(`NOT_READY notified after ~${await waitFrame(d2, p2.requestId, 3000)} ms`);
      await sleep(300);
      expectOk(await d2.ping(), 'ping');
      await sleep(200);
      await d2.close();
    },
  },
  'desktop-failover': {
    what: 'two nodes (client log too): on A (127.0.0.1) login, PUT READY notified; A\'s Prosody killed (disconnected, failing); SystemInfo from B (localhost), connecting, connected on B, subscribe, recovered, refresh GET User on B, PUT NOT_READY on B notified; sign-out',
    rest: { primary: '127.0.0.1', secondary: 'localhost' },
    log: true,
    timezoneId: DESKTOP_TZ,
    killsLab: true,
    run: (ctx) => failoverSession(ctx, { log: true }),
  },
  'desktop-drift': {
    what: 'agent 1001 (client log too): the Finesse node\'s clock is 8 s ahead (SystemInfo currentTimestamp, Date header); sign-in, PUT READY notified; ping; sign-out',
    rest: { clockOffsetMs: 8000 },
    log: true,
    timezoneId: DESKTOP_TZ,
    async run(ctx) {
      const d = await restSignIn(ctx);
      await sleep(300);
      const p1 = await putState(ctx, READY_XML, 'PUT READY');
      ctx.note(`READY notified after ~${await waitFrame(d, p1.requestId, 3000)} ms`);
      await sleep(300);
      expectOk(await d.ping(), 'ping');
      await sleep(200);
      await d.close();
    },
  },
});

async function record(browser, name, outDir) {
  const sc = SCENARIOS[name];
  if (!sc) throw new Error(`unknown scenario ${name}`);
  const lab = labInfo();
  const state = { systemInfoDomain: sc.systemInfoDomain || lab.LAB_DOMAIN };
  if (sc.rest) {
    if (!lab.LAB_REST_URL) throw new Error(`${name}: the lab has no REST stand-in (LAB_REST_URL); restart it`);
    await restConfig(lab.LAB_REST_URL, { reset: true, ...sc.rest });
    state.restUrl = () => ctx.lab.LAB_REST_URL;
  }
  const server = await startPageServer(state);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext(sc.timezoneId ? { timezoneId: sc.timezoneId } : {});
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const rec = new CdpHarRecorder();
  await rec.attach(cdp);
  const notes = [];
  const transport = sc.transport || 'ws';
  const ctx = {
    lab,
    note: (s) => { notes.push(s); debug(s); },
    async desktop(key, { user, password }) {
      const info = await page.evaluate(() => window.labSystemInfo('/finesse/api/SystemInfo'));
      const domain = info.xmppDomain;
      const url = transport === 'bosh' ? ctx.lab.LAB_BOSH_URL : ctx.lab.LAB_WS_URL;
      await newDesktop(page, key, { transport, url, domain, user, password: password || USERS[user], resource: 'desktop', bosh: { wait: 30, hold: 1 } });
      const m = (method) => (...a) => call(page, key, method, ...a);
      return {
        login: m('login'), subscribe: m('subscribe'), waitNotifications: m('waitNotifications'),
        ping: m('ping'), close: m('close'), waitClosed: m('waitClosed'),
      };
    },
    // rest-* scenarios: the desktop's REST calls, and a desktop made without a SystemInfo fetch.
    rest: (method, p, opts = {}) => page.evaluate(([m_, p_, o]) => window.labRest(m_, p_, o), [method, p, opts]),
    async systemInfo(base) {
      const r = await ctx.rest('GET', '/finesse/api/SystemInfo', base ? { base } : {});
      r.info = await page.evaluate((t) => window.labParseSystemInfo(t), r.text);
      ctx.note(`SystemInfo${base ? ` from ${base}` : ''}: ${r.status} ${JSON.stringify(r.info)}`);
      return r;
    },
    async restDesktop(key, { user, password, domain, streamTo, url, connectStatus }) {
      await newDesktop(page, key, { transport, url: url || ctx.lab.LAB_WS_URL, domain, streamTo, connectStatus, user, password: password || USERS[user], resource: 'desktop' });
      const m = (method) => (...a) => call(page, key, method, ...a);
      return {
        login: m('login'), subscribe: m('subscribe'), ping: m('ping'), close: m('close'), waitClosed: m('waitClosed'),
        recovered: m('recovered'),
        hasFrame: (text) => page.evaluate(([k, t]) => window.__d[k].frames.some((f) => f.indexOf(t) >= 0), [key, text]),
      };
    },
    // desktop-* scenarios: a connection status the desktop publishes in its client log.
    logStatus: (status) => page.evaluate((st) => window.labLogStatus(st), status),
  };
  page.on('console', (msg) => debug(`page: ${msg.text()}`));
  const t0 = Date.now();
  let logText = null;
  try {
    await page.goto(`${origin}/desktop/`, { waitUntil: 'load' });
    await sc.run(ctx);
    await sleep(300);
    if (sc.log) logText = await page.evaluate(() => window.labLogText());
    const steps = await page.evaluate(() => Object.entries(window.__d || {}).map(([k, d]) => `${k}: ${d.steps.map((s) => s.name).join(' > ')}`));
    for (const s of steps) debug(s);
  } finally {
    await rec.settle();
    await context.close();
    server.close();
  }
  // Keep only what the inspector needs: the page, the SystemInfo XHR, the XMPP traffic.
  // rest-* scenarios keep every /finesse/api/ XHR (any origin), never the CORS preflights
  // (Chromium 156 reports them as resource type "Other", method OPTIONS, so not "xhr").
  const restPath = (url) => { try { return new URL(url).pathname.startsWith('/finesse/api/'); } catch { return false; } };
  const har = rec.build({
    include: (r) => r.type === 'document'
      || (r.type === 'xhr' && (sc.rest ? restPath(r.url) : r.url.includes('/finesse/api/SystemInfo')))
      || r.type === 'websocket'
      || (r.type === 'fetch' && r.url.includes('/http-bind')),
    version: '537.36',
  });
  // The SystemInfo XHR is made once per desktop; keep the first only (not in rest-* scenarios).
  let seenSystemInfo = false;
  if (!sc.rest) {
    har.log.entries = har.log.entries.filter((e) => {
      if (!e.request.url.includes('/finesse/api/SystemInfo')) return true;
      if (seenSystemInfo) return false;
      seenSystemInfo = true;
      return true;
    });
  }
  const file = path.join(outDir, `${name}.har`);
  fs.writeFileSync(file, harJson(har) + '\n');
  const ws = har.log.entries.filter((e) => e._resourceType === 'websocket');
  const api = har.log.entries.filter((e) => restPath(e.request.url));
  say(`${name}: ${har.log.entries.length} entries (${ws.length} websocket, ${ws.reduce((n, e) => n + e._webSocketMessages.length, 0)} frames${sc.rest ? `, ${api.length} REST` : ''}), ${Date.now() - t0} ms -> ${path.relative(ROOT, file)}`);
  if (sc.rest) for (const e of api) debug(`  ${e.request.method} ${e.request.url} ${e.response.status}`);
  if (logText !== null) {
    const logFile = path.join(outDir, `${name}.log`);
    fs.writeFileSync(logFile, logText);
    say(`${name}: client log, ${logText.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l)).length} records -> ${path.relative(ROOT, logFile)}`);
  }
  for (const n of notes) say(`  ${n}`);
}

async function main() {
  if (args.list) {
    for (const [k, v] of Object.entries(SCENARIOS)) console.log(`${k.padEnd(22)} ${v.what}`);
    return;
  }
  const names = !args.scenario || args.scenario === 'all' ? Object.keys(SCENARIOS) : String(args.scenario).split(',');
  // ws-server-stopped and rest-failover kill and restart the lab: run them last.
  const kills = (n) => n === 'ws-server-stopped' || !!SCENARIOS[n]?.killsLab;
  names.sort((a, b) => kills(a) - kills(b));
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'],
  });
  fs.mkdirSync(args['out-dir'], { recursive: true });
  try {
    for (const n of names) await record(browser, n, args['out-dir']);
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(`[record] ${e.stack || e.message}`); process.exit(1); });
