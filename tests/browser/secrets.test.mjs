// The secrets audit in the page: a capture full of known secrets (tests/secrets/) is loaded, and
// every frame's detail, every drawn row, every export and the console are searched for them.
// Also: no innerHTML in the page's own JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, open, state, waitForLoad, ROOT } from './harness.mjs';

const DIR = path.join(ROOT, 'tests/secrets');
const SECRETS = fs.readFileSync(path.join(DIR, 'secrets.txt'), 'utf8').split('\n').filter(Boolean);
const HAR = fs.readFileSync(path.join(DIR, 'all-secrets.har'), 'utf8');
const noSecret = (where, text) => { for (const s of SECRETS) assert.ok(!String(text).includes(s), `${where} leaks ${s}`); };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('no secret in any view, export or console message', async () => {
  const { page, context } = await open(browser);
  const consoleText = [];
  page.on('console', m => consoleText.push(m.text()));
  const before = (await state(page)).generation;
  await page.evaluate(t => window.finesseInspector.load(t, 'all-secrets.har'), HAR);
  const s = await waitForLoad(page, before);
  assert.equal(s.connections, 2);
  const report = await page.evaluate(t => window.finesseInspector.analyze(t), HAR);
  let frames = 0;
  for (let c = 0; c < report.connections.length; c++) {
    for (let f = 1; f <= report.connections[c].frames; f++) {
      const st = await page.evaluate(([c, f]) => window.finesseInspector.select(c, f), [c + 1, f]);
      assert.equal(st.frame, f);
      assert.ok(st.detail.length > 0);
      noSecret(`detail of connection ${c + 1} frame ${f}`, st.detail);
      noSecret('rows', st.rows.join('\n'));
      noSecret('state', JSON.stringify(st));
      frames++;
    }
  }
  assert.ok(frames >= 12);
  // The REST entries' detail: headers and bodies, request and response.
  assert.ok(report.finesse.requests.length >= 4);
  for (let r = 1; r <= report.finesse.requests.length; r++) {
    const st = await page.evaluate(r => window.finesseInspector.selectRequest(r, true), r);
    assert.equal(st.detail_kind, 'request');
    assert.ok(st.detail.includes(report.finesse.requests[r - 1].path), st.detail);
    noSecret(`detail of REST request ${r}`, st.detail);
    noSecret('state', JSON.stringify(st));
  }
  noSecret('analyze()', JSON.stringify(report));
  noSecret('markdown export', await page.evaluate(() => window.finesseInspector.exportReport('markdown')));
  noSecret('json export', await page.evaluate(() => window.finesseInspector.exportReport('json')));
  const clean = await page.evaluate(() => window.finesseInspector.exportSanitized());
  assert.ok(clean.length > 1000);
  noSecret('sanitised HAR', clean);
  noSecret('console', consoleText.join('\n'));
  await context.close();
});

test('no secret from a desktop client log in any record, row, export or console message', async () => {
  const LOG = fs.readFileSync(path.join(DIR, 'all-secrets.log'), 'utf8');
  const { page, context } = await open(browser);
  const consoleText = [];
  page.on('console', m => consoleText.push(m.text()));
  const before = (await state(page)).generation;
  await page.evaluate(t => window.finesseInspector.load(t, 'all-secrets.log'), LOG);
  const s = await waitForLoad(page, before);
  assert.ok(s.records >= 8, `records: ${s.records}`);
  for (let r = 1; r <= s.records; r++) {
    const st = await page.evaluate(r => window.finesseInspector.selectRecord(r), r);
    assert.ok(st.detail.length > 0);
    noSecret(`detail of record ${r}`, st.detail);
    noSecret('rows', st.rows.join('\n'));
    noSecret('state', JSON.stringify(st));
  }
  noSecret('analyze()', JSON.stringify(await page.evaluate(t => window.finesseInspector.analyze(t), LOG)));
  noSecret('markdown export', await page.evaluate(() => window.finesseInspector.exportReport('markdown')));
  noSecret('json export', await page.evaluate(() => window.finesseInspector.exportReport('json')));
  noSecret('console', consoleText.join('\n'));
  await context.close();
});

test('the page\'s own JavaScript never uses innerHTML', () => {
  for (const f of ['web/glue.js', 'web/pre.js']) {
    const src = fs.readFileSync(path.join(ROOT, f), 'utf8');
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(src), f);
  }
});
