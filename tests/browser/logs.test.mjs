// Real text logs in the page (tests/corpus): the page's reading equals the CLI's for every log,
// and a pasted log shows its state lines as note rows among the frames. Screenshots at 1280x800
// and 1024x700 land in build-wasm/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, launch, open, state, waitForLoad, cliJson, shot } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const corpus = ['recorded', 'public'].flatMap(d => {
  const dir = path.join(ROOT, 'tests/corpus', d);
  return fs.readdirSync(dir).filter(f => f.endsWith('.log')).sort().map(f => path.join(dir, f));
});

test('analyze() reads every corpus log as the CLI does', async () => {
  assert.ok(corpus.length >= 50);
  const { page, context, errors } = await open(browser);
  for (const file of corpus) {
    const text = fs.readFileSync(file, 'utf8');
    const fromPage = await page.evaluate(t => window.finesseInspector.analyze(t), text);
    assert.deepEqual(fromPage, cliJson(file), path.basename(file));
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a pasted xmpp.js log that the server cut: note rows among the frames, the drop found', async () => {
  for (const [w, h] of [[1280, 800], [1024, 700]]) {
    const { page, context } = await open(browser, undefined, { viewport: { width: w, height: h } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const file = path.join(ROOT, 'tests/corpus/recorded/xmppjs-ws-server-killed.log');
    const before = (await state(page)).generation;
    await page.evaluate(t => navigator.clipboard.writeText(t), fs.readFileSync(file, 'utf8'));
    await page.keyboard.press('Control+V');
    const s = await waitForLoad(page, before);
    const expected = cliJson(file);
    assert.equal(s.verdict, expected.connections[s.connection].verdict);
    assert.equal(s.verdict, 'failed');
    // The first rows drawn are the log's own status lines, before the server's <open/>.
    assert.ok(s.rows.some(r => r.startsWith('status connecting')), s.rows.slice(0, 5).join(' | '));
    await shot(page, `log-xmppjs-server-killed-${w}x${h}.png`);
    await context.close();
  }
});

test('a log that starts mid-session reads as incomplete, with the earlier steps not captured', async () => {
  const { page, context } = await open(browser);
  const file = path.join(ROOT, 'tests/corpus/public/candy-bundle-bind-midsession.log');
  const report = await page.evaluate(t => window.finesseInspector.analyze(t), fs.readFileSync(file, 'utf8'));
  const c = report.connections[0];
  assert.equal(c.verdict, 'incomplete');
  assert.equal(c.steps.find(s => s.id === 'auth').status, 'not-captured');
  const before = (await state(page)).generation;
  await page.evaluate(t => window.finesseInspector.load(t), fs.readFileSync(file, 'utf8'));
  await waitForLoad(page, before);
  await shot(page, 'log-candy-midsession-1280x800.png');
  await context.close();
});
