// Live mode end to end: the built page in Chromium runs the Finesse login against the lab's real
// Prosody (samples/lab/) and each outcome is checked through the live report and state().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, open, state, shot, clickRect, labOn } from './harness.mjs';

const PORT = 15280;
const URL_ = `ws://127.0.0.1:${PORT}/ws/`;
const { env, run: lab, start: startLab } = labOn(PORT, 'finesse-lab-test.');
const agent = (extra = {}) => ({ url: URL_, domain: 'finesse.lab', user: '1001', password: 'agentpass', timeoutMs: 5000, ...extra });
const step = (c, id) => c.steps.find(s => s.id === id);
const codes = c => c.findings.map(f => f.code);

let browser;
before(async () => { startLab(); browser = await launch(); });
after(async () => { await browser.close(); try { lab('stop'); } catch (e) { /* already stopped */ } });

test('happy path: every step passes, notifications arrive and are counted, the live HAR re-imports', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const report = await page.evaluate(o => window.finesseInspector.connect(o), agent());
  const c = report.connections[0];
  assert.equal(c.verdict, 'healthy', JSON.stringify(c.findings));
  for (const id of ['upgrade', 'open', 'auth', 'restart', 'bind', 'presence', 'finesse-presence', 'subscribe-user'])
    assert.equal(step(c, id).status, 'passed', id);
  assert.equal(step(c, 'subscribe-team').status, 'skipped');
  assert.match(step(c, 'auth').detail, /password: 9 characters, masked/);
  // The publisher sends 7 Finesse notifications; all of them must show.
  lab('publish', '--node', '/finesse/api/User/1001', '--count', '7', '--rate', '50');
  await page.waitForFunction(() => window.finesseInspector.state().live.notifications >= 7, null, { timeout: 10000 });
  const live = await page.evaluate(() => window.finesseInspector.liveReport());
  assert.equal(live.connections[0].notifications.count, 7);
  assert.equal((await state(page)).live.notifications, 7);
  await page.waitForTimeout(400);  // the views refresh a few times a second
  await shot(page, 'live-happy.png');
  // Save the session as a HAR through the menu: no password in it, and the same analysis.
  await clickRect(page, 'export');
  const download = page.waitForEvent('download');
  await clickRect(page, 'export-live-har');
  const har = fs.readFileSync(await (await download).path(), 'utf8');
  assert.ok(!har.includes('agentpass') && !har.includes(Buffer.from('1001@finesse.lab\0' + '1001\0agentpass').toString('base64')));
  const again = await page.evaluate(t => window.finesseInspector.analyze(t), har);
  assert.deepEqual(again.connections[0].steps, live.connections[0].steps);
  const closed = await page.evaluate(() => window.finesseInspector.disconnect());
  assert.ok(!codes(closed.connections[0]).includes('abnormal-close'), JSON.stringify(closed.connections[0].findings));
  await context.close();
});

test('time to all steps passed, next to a plain JavaScript client in the same page', { timeout: 120000 }, async () => {
  const { page, context } = await open(browser);
  const plainLogin = () => page.evaluate(async url => {
    // The same login, written directly against the browser's WebSocket.
    const t0 = performance.now();
    const ws = new WebSocket(url, 'xmpp');
    const F = "xmlns='urn:ietf:params:xml:ns:xmpp-framing'";
    let stage = 0;
    return new Promise(resolve => {
      ws.onopen = () => ws.send(`<open ${F} to='finesse.lab' version='1.0'/>`);
      ws.onclose = () => resolve(NaN);  // a refused stanza closes the stream: no hang
      ws.onmessage = e => {
        const m = e.data;
        if (stage === 0 && m.includes('<mechanisms')) { stage = 1; ws.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${btoa('1001@finesse.lab\0' + '1001\0agentpass')}</auth>`); }
        else if (stage === 1 && m.includes('<success')) { stage = 2; ws.send(`<open ${F} to='finesse.lab' version='1.0'/>`); }
        else if (stage === 2 && m.includes('<bind')) { stage = 3; ws.send("<iq xmlns='jabber:client' type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>plain</resource></bind></iq>"); }
        else if (stage === 3 && m.includes("id='b'")) { stage = 4; ws.send("<presence xmlns='jabber:client'/>"); }
        else if (stage === 4 && m.includes("from='finesse@")) { stage = 5; ws.send("<iq xmlns='jabber:client' type='set' id='s' to='pubsub.finesse.lab'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='/finesse/api/User/1001' jid='1001@finesse.lab'/></pubsub></iq>"); }
        else if (stage === 5 && m.includes("id='s'")) { const t = performance.now() - t0; ws.onclose = null; ws.close(); resolve(t); }
      };
    });
  }, URL_);
  const ours = [], plain = [];
  for (let i = 0; i < 5; i++) {
    plain.push(await plainLogin());
    const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ resource: 'inspector' + i }));
    assert.equal(r.connections.at(-1).verdict, 'healthy');
    ours.push(step(r.connections.at(-1), 'subscribe-user').t_ms);
    await page.evaluate(() => window.finesseInspector.disconnect());
  }
  const med = xs => [...xs].sort((a, b) => a - b)[2];
  const live = (await state(page)).live;
  console.log(`# login to subscribed (median of 5, interleaved): ours ${med(ours).toFixed(1)} ms, plain JavaScript ${med(plain).toFixed(1)} ms; ` +
              `our own CPU per socket event ${(live.cpu_ms_per_event * 1000).toFixed(0)} µs over ${live.events} events`);
  assert.ok(plain.every(Number.isFinite), 'the plain client logged in');
  assert.ok(live.cpu_ms_per_event < 1, 'our code adds well under a millisecond per event');
  await context.close();
});

test('a wrong password fails auth, with the finding', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ password: 'wrongpass' }));
  const c = r.connections[0];
  assert.equal(step(c, 'auth').status, 'failed');
  assert.ok(codes(c).includes('sasl-failure'));
  assert.equal((await state(page)).live.passed, false);
  await page.waitForTimeout(300);
  await shot(page, 'live-wrong-password.png');
  await context.close();
});

test('a wrong domain ends in a stream error', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ domain: 'wrong.domain' }));
  assert.ok(codes(r.connections[0]).includes('stream-error-host-unknown'), JSON.stringify(codes(r.connections[0])));
  assert.equal(step(r.connections[0], 'open').status, 'failed');
  await page.waitForTimeout(300);
  await shot(page, 'live-wrong-domain.png');
  await context.close();
});

test('a team node that does not exist fails subscribe-team', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ team: '99' }));
  assert.equal(step(r.connections[0], 'subscribe-team').status, 'failed');
  assert.ok(codes(r.connections[0]).includes('subscribe-refused'));
  await page.waitForTimeout(300);
  await shot(page, 'live-team-missing.png');
  await page.evaluate(() => window.finesseInspector.disconnect());
  await context.close();
});

test('the server stopped mid-session: an abnormal close, then the reconnect, detected and shown', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent());
  assert.equal(r.connections[0].verdict, 'healthy');
  // SIGKILL-like: stop the lab without a goodbye, then bring it back.
  const pid = Number(fs.readFileSync(path.join(env.LAB_DIR, 'prosody.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  await page.waitForFunction(() => window.finesseInspector.state().live.phase === 'closed', null, { timeout: 10000 });
  try { lab('stop'); } catch (e) { /* its prosody is gone already */ }
  startLab();
  await page.waitForFunction(() => { const l = window.finesseInspector.state().live; return l.connections >= 2 && l.done && l.passed; }, null, { timeout: 30000 });
  const live = await page.evaluate(() => window.finesseInspector.liveReport());
  const first = live.connections[0], last = live.connections.at(-1);
  assert.ok(codes(first).includes('abnormal-close'), JSON.stringify(codes(first)));
  assert.ok(first.findings.some(f => f.code === 'live-closed' && f.message.includes('1006')));
  assert.ok(codes(last).includes('reconnect'));
  assert.equal(last.verdict, 'healthy');
  await page.waitForTimeout(300);
  await shot(page, 'live-server-stopped.png');
  await page.evaluate(() => window.finesseInspector.disconnect());
  await context.close();
});

test('nothing listening on the port: a clear message, no hang', { timeout: 60000 }, async () => {
  const { page, context } = await open(browser);
  const t0 = Date.now();
  const r = await page.evaluate(o => window.finesseInspector.connect(o), agent({ url: 'ws://127.0.0.1:15999/ws/' }));
  assert.ok(Date.now() - t0 < 5000);
  const f = r.connections[0].findings.find(x => x.code === 'live-unreachable');
  assert.ok(f);
  assert.match(f.message, /Nothing answered at 127\.0\.0\.1:15999/);
  assert.equal(step(r.connections[0], 'upgrade').status, 'failed');
  await page.waitForTimeout(300);
  await shot(page, 'live-nothing-listening.png');
  await context.close();
});
