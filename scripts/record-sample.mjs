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
  return { ...process.env, LAB_DIR: info.dir, LAB_DOMAIN: info.LAB_DOMAIN, LAB_HTTP_PORT: new URL(info.LAB_WS_URL).port };
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

function startPageServer(state) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/desktop/' || u.pathname === '/desktop/index.html') {
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

async function record(browser, name, outDir) {
  const sc = SCENARIOS[name];
  if (!sc) throw new Error(`unknown scenario ${name}`);
  const lab = labInfo();
  const state = { systemInfoDomain: sc.systemInfoDomain || lab.LAB_DOMAIN };
  const server = await startPageServer(state);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext();
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
  };
  page.on('console', (msg) => debug(`page: ${msg.text()}`));
  const t0 = Date.now();
  try {
    await page.goto(`${origin}/desktop/`, { waitUntil: 'load' });
    await sc.run(ctx);
    await sleep(300);
    const steps = await page.evaluate(() => Object.entries(window.__d || {}).map(([k, d]) => `${k}: ${d.steps.map((s) => s.name).join(' > ')}`));
    for (const s of steps) debug(s);
  } finally {
    await rec.settle();
    await context.close();
    server.close();
  }
  // Keep only what the inspector needs: the page, the SystemInfo XHR, the XMPP traffic.
  const har = rec.build({
    include: (r) => r.type === 'document'
      || (r.type === 'xhr' && r.url.includes('/finesse/api/SystemInfo'))
      || r.type === 'websocket'
      || (r.type === 'fetch' && r.url.includes('/http-bind')),
    version: '537.36',
  });
  // The SystemInfo XHR is made once per desktop; keep the first only.
  let seenSystemInfo = false;
  har.log.entries = har.log.entries.filter((e) => {
    if (!e.request.url.includes('/finesse/api/SystemInfo')) return true;
    if (seenSystemInfo) return false;
    seenSystemInfo = true;
    return true;
  });
  const file = path.join(outDir, `${name}.har`);
  fs.writeFileSync(file, harJson(har) + '\n');
  const ws = har.log.entries.filter((e) => e._resourceType === 'websocket');
  say(`${name}: ${har.log.entries.length} entries (${ws.length} websocket, ${ws.reduce((n, e) => n + e._webSocketMessages.length, 0)} frames), ${Date.now() - t0} ms -> ${path.relative(ROOT, file)}`);
  for (const n of notes) say(`  ${n}`);
}

async function main() {
  if (args.list) {
    for (const [k, v] of Object.entries(SCENARIOS)) console.log(`${k.padEnd(20)} ${v.what}`);
    return;
  }
  const names = !args.scenario || args.scenario === 'all' ? Object.keys(SCENARIOS) : String(args.scenario).split(',');
  // ws-server-stopped restarts the lab: run it last.
  names.sort((a, b) => (a === 'ws-server-stopped') - (b === 'ws-server-stopped'));
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
