// The REST side in the page, on the HARs recorded in Chromium against the lab's Finesse REST
// stand-in (samples/rest-*.har): the Requests view, the agent-state lane, the failover marker,
// and a request's detail. Screenshots at 1280x800 and 1024x700 land in build-wasm/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, open, state, waitForLoad, clickRect, shot, cliJson, SAMPLES } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

async function loaded(page, name) {
  const before = (await state(page)).generation;
  await page.evaluate(([t, n]) => window.finesseInspector.load(t, n), [fs.readFileSync(path.join(SAMPLES, name), 'utf8'), name]);
  return waitForLoad(page, before);
}

for (const [w, h] of [[1280, 800], [1024, 700]]) {
  test(`a lost notification opens on its request, at ${w}x${h}`, async () => {
    const { page, context, errors } = await open(browser, undefined, { viewport: { width: w, height: h } });
    const cli = cliJson(path.join(SAMPLES, 'rest-lost-notification.har'));
    const lost = cli.finesse.requests.findIndex(r => r.method === 'PUT' && r.notification === null);
    assert.ok(lost >= 0, 'the CLI sees the lost PUT');
    const s = await loaded(page, 'rest-lost-notification.har');
    // The socket is healthy, so the page opens on the REST problem: the Requests view, the request.
    assert.equal(s.view, 'requests');
    assert.equal(s.detail_kind, 'request');
    assert.equal(s.request, lost + 1);
    assert.ok(s.rest_findings.includes('notification-not-received'));
    assert.ok(s.detail.includes(cli.finesse.requests[lost].request_id));
    assert.ok(s.ui['request-1'], 'request rows are drawn');
    assert.equal(s.states, 0, 'no notification, so no state change');
    await shot(page, `requests-lost-${w}.png`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`a matched request selects its notification frame; failover is marked, at ${w}x${h}`, async () => {
    const { page, context, errors } = await open(browser, undefined, { viewport: { width: w, height: h } });
    const cli = cliJson(path.join(SAMPLES, 'rest-failover.har'));
    let s = await loaded(page, 'rest-failover.har');
    const failover = cli.connections.findIndex(c => c.findings.some(f => f.code === 'failover'));
    assert.ok(failover > 0, 'the CLI reports the failover on a later connection');
    const matched = cli.finesse.requests.findIndex(r => r.notification && r.notification.connection === failover + 1);
    assert.ok(matched >= 0, 'a request answered on the new node');
    await clickRect(page, 'tab-requests');
    s = await state(page);
    assert.equal(s.view, 'requests');
    await clickRect(page, `request-${matched + 1}`, 0.03);
    s = await state(page);
    const n = cli.finesse.requests[matched].notification;
    assert.equal(s.connection, n.connection - 1);
    assert.equal(s.frame, n.frame);
    assert.equal(s.detail_kind, 'frame');
    assert.ok(s.ui['show-request'], 'the frame links back to its request');
    assert.ok(s.ui['state-lane'], 'the agent state lane is drawn');
    assert.equal(s.states, 2);
    await shot(page, `requests-failover-${w}.png`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the page reads every REST sample as the CLI does', async () => {
  const { page, context } = await open(browser);
  const names = fs.readdirSync(SAMPLES).filter(f => /^rest-.*\.har$/.test(f));
  assert.ok(names.length >= 7, names.join(', '));
  for (const name of names) {
    const text = fs.readFileSync(path.join(SAMPLES, name), 'utf8');
    const got = await page.evaluate(t => window.finesseInspector.analyze(t), text);
    assert.deepEqual(got.finesse, cliJson(path.join(SAMPLES, name)).finesse, name);
  }
  await context.close();
});

for (const [w, h] of [[1280, 800], [1024, 700]]) {
  test(`a HAR and the desktop's log of the same session on one time axis, at ${w}x${h}`, async () => {
    const { page, context, errors } = await open(browser, undefined, { viewport: { width: w, height: h } });
    await loaded(page, 'desktop-reconnect.har');
    const log = fs.readFileSync(path.join(SAMPLES, 'desktop-reconnect.log'), 'utf8');
    let s = await page.evaluate(t => window.finesseInspector.add(t, 'desktop-reconnect.log'), log);
    const cli = cliJson(path.join(SAMPLES, 'desktop-reconnect.log'));
    assert.equal(s.companion, 'desktop-reconnect.log');
    assert.equal(s.status_changes, cli.finesse.desktop.status_changes.length);
    assert.ok(s.records > 0);
    assert.ok(s.ui['status-lane'], 'the desktop status lane stands under the HAR strip');
    assert.equal(s.view, 'frames');
    await shot(page, `combined-${w}.png`);
    // The records, and the one where the desktop said disconnected.
    const down = cli.finesse.desktop.status_changes.find(c => c.status === 'disconnected');
    assert.ok(down, 'the log says disconnected');
    await clickRect(page, 'tab-records');
    s = await state(page);
    assert.equal(s.view, 'records');
    const index = await page.evaluate(l => window.finesseInspector.state().records, null);
    assert.ok(index > 0);
    // A second HAR cannot be added beside a HAR: said, and nothing changes.
    s = await page.evaluate(t => window.finesseInspector.add(t, 'again.har'),
                            fs.readFileSync(path.join(SAMPLES, 'desktop-reconnect.har'), 'utf8'));
    assert.equal(s.companion, 'desktop-reconnect.log');
    assert.ok(s.toasts.some(t => t.startsWith('Not added')), s.toasts.join(' | '));
    await shot(page, `combined-records-${w}.png`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
