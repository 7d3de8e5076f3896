// Live mode over BOSH end to end, and a new test started while a session is live: the built page
// in Chromium against the lab's real Prosody (samples/lab/), BOSH at /http-bind/ with CORS on.
// Each expectation was written from the protocol before the page ran it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, open, state, shot, labOn } from './harness.mjs';

const PORT = 15282;
const BOSH = `http://127.0.0.1:${PORT}/http-bind/`;
const WS = `ws://127.0.0.1:${PORT}/ws/`;
const { env, run: lab, start: startLab } = labOn(PORT, 'finesse-lab-bosh.');
const agent = (extra = {}) => ({ url: BOSH, domain: 'finesse.lab', user: '1001', password: 'agentpass', timeoutMs: 5000, pingSeconds: 0, ...extra });
const step = (c, id) => c.steps.find(s => s.id === id);
const codes = c => c.findings.map(f => f.code);
const problems = c => c.findings.filter(f => f.severity !== 'info').map(f => f.code);

let browser;
before(async () => { startLab(); browser = await launch(); });
after(async () => { await browser.close(); try { lab('stop'); } catch (e) { /* already stopped */ } });

test('BOSH happy path: team node, 5 notifications counted live, the HAR re-imports, a clean logout', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const report = await page.evaluate(o => window.finesseInspector.connect(o), agent({ team: '1' }));
  const c = report.connections[0];
  assert.equal(c.transport, 'bosh');
  assert.equal(c.verdict, 'healthy', JSON.stringify(c.findings));
  // Under BOSH the first step is the session (the session request), not the WebSocket upgrade.
  for (const id of ['session', 'open', 'auth', 'restart', 'bind', 'presence', 'finesse-presence', 'subscribe-user', 'subscribe-team'])
    assert.equal(step(c, id).status, 'passed', id);
  assert.equal((await state(page)).live.transport, 'bosh');
  lab('publish', '--node', '/finesse/api/User/1001', '--count', '5', '--rate', '20');
  await page.waitForFunction(() => window.finesseInspector.state().live.notifications >= 5, null, { timeout: 10000 });
  const live = await page.evaluate(() => window.finesseInspector.liveReport());
  assert.equal(live.connections[0].notifications.count, 5);
  assert.equal((await state(page)).live.notifications, 5);
  await page.waitForTimeout(300);
  await shot(page, 'live-bosh-happy.png');
  // The HAR of the session: a POST per request, no password, and the same analysis.
  const har = await page.evaluate(() => window.finesseInspector.liveHar());
  const entries = JSON.parse(har).log.entries;
  assert.ok(entries.length >= 8 && entries.every(e => e.request.method === 'POST'));
  assert.ok(!har.includes('agentpass') && !har.includes(Buffer.from('1001@finesse.lab\0' + '1001\0agentpass').toString('base64')));
  const again = await page.evaluate(t => window.finesseInspector.analyze(t), har);
  assert.deepEqual(again.connections[0].steps, live.connections[0].steps);
  assert.equal(again.connections[0].notifications.count, 5);
  // rids go up by one per request, in the order posted.
  const rids = entries.map(e => Number(/rid=['"](\d+)/.exec(e.request.postData.text)[1]));
  rids.forEach((r, i) => assert.equal(r, rids[0] + i));
  const closed = await page.evaluate(() => window.finesseInspector.disconnect());
  assert.deepEqual(problems(closed.connections[0]), []);
  const final = JSON.parse(await page.evaluate(() => window.finesseInspector.liveHar())).log.entries;
  assert.ok(final.some(e => e.request.postData.text.includes("type='terminate'")));
  await context.close();
});

test('BOSH: a wrong password fails auth', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ password: 'wrongpass' }));
  assert.equal(step(r.connections[0], 'auth').status, 'failed');
  assert.ok(codes(r.connections[0]).includes('sasl-failure'));
  await context.close();
});

test('BOSH: a wrong domain ends the session with improper-addressing', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ domain: 'wrong.domain' }));
  // Written first as host-unknown (XEP-0124's condition for it); Prosody 0.12 answers a session
  // request to a host it does not serve with improper-addressing (mod_bosh.lua, "non-existent host").
  assert.ok(codes(r.connections[0]).includes('bosh-terminate-improper-addressing'), JSON.stringify(codes(r.connections[0])));
  assert.equal(r.connections[0].verdict, 'failed');
  await page.waitForTimeout(300);
  await shot(page, 'live-bosh-wrong-domain.png');
  await context.close();
});

test('BOSH: a wrong path, and a server that does not allow the origin, are told from a server that is not there', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  // Prosody answers a wrong path with a 404 that carries no CORS headers: the page never sees the
  // 404 (a browser hides it), only that the server answered. (The 404 itself, as a HAR or a proxy
  // that allows the origin shows it, is in the native playbook tests.)
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ url: `http://127.0.0.1:${PORT}/wrong/http-bind/` }));
  const f = r.connections[0].findings.find(x => x.code === 'live-bosh-unreachable');
  assert.ok(f, JSON.stringify(codes(r.connections[0])));
  assert.match(f.message, /answered/);
  assert.match(f.message, /not a BOSH service/);
  // Nothing listening: the other wording.
  const n = await page.evaluate(o => window.finesseInspector.connect(o), agent({ url: 'http://127.0.0.1:15998/http-bind/' }));
  const nf = n.connections[0].findings.find(x => x.code === 'live-bosh-unreachable');
  assert.ok(nf, JSON.stringify(codes(n.connections[0])));
  assert.match(nf.message, /nothing listens at 127\.0\.0\.1:15998/);
  // The page's own server (nginx) is reachable under another name, and sends no CORS headers.
  const other = new URL(process.env.FI_BASE_URL);
  other.hostname = 'localhost';
  const o = await page.evaluate(opts => window.finesseInspector.connect(opts), agent({ url: `${other.origin}/http-bind/` }));
  const u = o.connections[0].findings.find(x => x.code === 'live-bosh-unreachable');
  assert.ok(u, JSON.stringify(codes(o.connections[0])));
  assert.match(u.message, /does not allow this page's origin/);
  assert.match(u.message, /answered/);
  await page.waitForTimeout(300);
  await shot(page, 'live-bosh-origin.png');
  await context.close();
});

test('BOSH: the server killed mid-session, then the reconnect', { timeout: 90000 }, async () => {
  const { page, context } = await open(browser);
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent());
  assert.equal(r.connections[0].verdict, 'healthy');
  const pid = Number(fs.readFileSync(path.join(env.LAB_DIR, 'prosody.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  await page.waitForFunction(() => window.finesseInspector.state().live.phase === 'closed', null, { timeout: 10000 });
  try { lab('stop'); } catch (e) { /* its prosody is gone already */ }
  startLab();
  await page.waitForFunction(() => { const l = window.finesseInspector.state().live; return l.connections >= 2 && l.done && l.passed; }, null, { timeout: 45000 });
  const live = await page.evaluate(() => window.finesseInspector.liveReport());
  const first = live.connections[0], last = live.connections.at(-1);
  assert.ok(codes(first).includes('bosh-http-error'), JSON.stringify(codes(first)));
  assert.equal(first.verdict, 'failed');
  assert.ok(codes(last).includes('reconnect'), JSON.stringify(codes(last)));
  assert.equal(last.verdict, 'healthy');
  await page.evaluate(() => window.finesseInspector.disconnect());
  await context.close();
});

test('a new test while a session is live: the first ends cleanly and stays, the second appends; then disconnect and start again', { timeout: 90000 }, async () => {
  const { page, context } = await open(browser);
  const first = await page.evaluate(o => window.finesseInspector.connect(o), agent({ url: WS }));
  assert.equal(first.connections.length, 1);
  assert.equal(first.connections[0].verdict, 'healthy');
  lab('publish', '--node', '/finesse/api/User/1001', '--count', '3', '--rate', '20');
  await page.waitForFunction(() => window.finesseInspector.state().live.notifications >= 3, null, { timeout: 10000 });
  // Select a frame of the first session, as a user looking at it would, then test again.
  await page.evaluate(() => window.finesseInspector.select(1, 3));
  const second = await page.evaluate(o => window.finesseInspector.connect(o), agent());
  assert.equal(second.connections.length, 2);
  const [a, b] = second.connections;
  assert.equal(a.transport, 'websocket');
  assert.equal(a.verdict, 'healthy', JSON.stringify(a.findings));
  assert.deepEqual(problems(a), []);
  assert.equal(a.notifications.count, 3);
  assert.equal(b.transport, 'bosh');
  assert.equal(b.verdict, 'healthy', JSON.stringify(b.findings));
  const s = await state(page);
  assert.equal(s.live.connection, 2);
  assert.equal(s.connection, 1);  // the page follows the new connection (0-based here)
  await page.waitForTimeout(300);
  await shot(page, 'live-retest.png');
  const closed = await page.evaluate(() => window.finesseInspector.disconnect());
  assert.deepEqual(problems(closed.connections[1]), []);
  // Nothing runs now: a new test is a new live input.
  const third = await page.evaluate(o => window.finesseInspector.connect(o), agent({ url: WS }));
  assert.equal(third.connections.length, 1);
  assert.equal(third.connections[0].verdict, 'healthy');
  await page.evaluate(() => window.finesseInspector.disconnect());
  await context.close();
});
