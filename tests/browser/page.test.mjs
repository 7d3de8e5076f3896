// The page in a real Chromium, served by nginx: first load, paste, drop, analyze() against the
// CLI, clicking a failed step, the sanitised export, the single file from file://, and no
// network request for pasted data. Screenshots land in build-wasm/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, open, state, waitForLoad, clickRect, shot, sampleFiles, cliJson, SINGLE_FILE, BASE_URL } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('opens on a bundled sample with its analysis on screen, no errors, CSP as served', async () => {
  const t0 = Date.now();
  const { page, errors, context } = await open(browser);
  const s = await state(page);
  assert.ok(s.loaded);
  assert.match(s.name, /\.(har|txt)$/);
  assert.ok(s.connections >= 1);
  assert.ok(s.ui['step-open'], 'the step list is drawn');
  console.log(`# first analysed sample on screen: ${Date.now() - t0} ms after navigation (wasm main to report: ${s.first_analysis_ms.toFixed(0)} ms)`);
  await shot(page, 'first-load.png');
  assert.deepEqual(errors, []);
  // The server's CSP header and the page's own meta policy must agree (hash of the inline style).
  const response = await page.request.get(BASE_URL);
  const header = response.headers()['content-security-policy'];
  const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  const styleOf = p => p.split(';').map(x => x.trim()).find(x => x.startsWith('style-src'));
  assert.equal(styleOf(header), styleOf(meta));
  await context.close();
});

test('analyze() returns the same JSON as the CLI for every sample', async () => {
  const { page, context } = await open(browser);
  const files = sampleFiles();
  assert.ok(files.length >= 1);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const fromPage = await page.evaluate(t => window.finesseInspector.analyze(t), text);
    assert.deepEqual(fromPage, cliJson(file), path.basename(file));
    // Bytes in, too (ArrayBuffer and Uint8Array), not only strings.
    const fromBytes = await page.evaluate(async b => window.finesseInspector.analyze(new Uint8Array(b)), [...fs.readFileSync(file)]);
    assert.deepEqual(fromBytes, cliJson(file), path.basename(file) + ' as bytes');
  }
  await context.close();
});

test('each sample pasted through a real paste event shows its analysis', async () => {
  const { page, context, requests } = await open(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const requestsBefore = requests.length;
  for (const file of sampleFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const before = (await state(page)).generation;
    await page.evaluate(t => navigator.clipboard.writeText(t), text);
    await page.keyboard.press('Control+V');
    const s = await waitForLoad(page, before);
    assert.equal(s.name, 'pasted text');
    const expected = cliJson(file);
    assert.equal(s.connections, expected.connections.length, path.basename(file));
    if (expected.connections.length) assert.equal(s.verdict, expected.connections[s.connection].verdict, path.basename(file));
    await shot(page, `paste-${path.basename(file)}.png`);
  }
  // Pasted data never leaves the page: no request at all while pasting and analysing.
  assert.deepEqual(requests.slice(requestsBefore), []);
  await context.close();
});

test('a dropped file is read as bytes and shown', async () => {
  const { page, context } = await open(browser);
  const file = sampleFiles().find(f => f.endsWith('.har')) || sampleFiles()[0];
  const before = (await state(page)).generation;
  const bytes = [...fs.readFileSync(file)];
  const dt = await page.evaluateHandle(({ bytes, name }) => {
    const t = new DataTransfer();
    t.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/json' }));
    return t;
  }, { bytes, name: path.basename(file) });
  await page.dispatchEvent('canvas', 'drop', { dataTransfer: dt });
  const s = await waitForLoad(page, before);
  assert.equal(s.name, path.basename(file));
  await shot(page, 'drop.png');
  await context.close();
});

test('clicking a failed step selects the frame that failed it', async () => {
  const { page, context } = await open(browser);
  let found = false;
  for (const file of sampleFiles()) {
    const report = cliJson(file);
    for (let ci = 0; ci < report.connections.length && !found; ci++) {
      const failed = report.connections[ci].steps.find(s => s.status === 'failed' && s.frame !== null);
      if (!failed) continue;
      found = true;
      const before = (await state(page)).generation;
      await page.evaluate(t => window.finesseInspector.load(t, 'failing'), fs.readFileSync(file, 'utf8'));
      await waitForLoad(page, before);
      if ((await state(page)).connection !== ci) await clickRect(page, `connection-${ci + 1}`);
      // Select another step first, so the click is what moves the selection.
      await clickRect(page, 'step-upgrade');
      await clickRect(page, `step-${failed.id}`);
      const s = await state(page);
      assert.equal(s.step, failed.id);
      assert.equal(s.frame, failed.frame, `${path.basename(file)}: ${failed.id}`);
      await shot(page, `failed-step-${failed.id}.png`);
    }
    if (found) break;
  }
  assert.ok(found, 'some sample has a failed step');
  await context.close();
});

test('the sanitised HAR export leaves no password, and re-imports to the same analysis', async () => {
  const { page, context } = await open(browser);
  const file = sampleFiles().find(f => f.endsWith('.har') && /mechanism=\\?["']PLAIN/.test(fs.readFileSync(f, 'utf8')));
  assert.ok(file, 'a HAR sample with a SASL PLAIN frame');
  const text = fs.readFileSync(file, 'utf8');
  const secrets = [...text.matchAll(/mechanism=\\?["']PLAIN\\?["']>([A-Za-z0-9+/=]+)</g)].map(m => m[1]);
  assert.ok(secrets.length > 0);
  const passwords = secrets.map(b => Buffer.from(b, 'base64').toString('utf8').split('\0')[2]).filter(p => p && p.length >= 4);
  const before = (await state(page)).generation;
  await page.evaluate(t => window.finesseInspector.load(t, 'with-password.har'), text);
  await waitForLoad(page, before);
  await clickRect(page, 'export');
  const download = page.waitForEvent('download');
  await clickRect(page, 'export-sanitised');
  const saved = await (await download).path();
  const clean = fs.readFileSync(saved, 'utf8');
  for (const s of secrets) assert.ok(!clean.includes(s), 'the PLAIN payload is gone');
  for (const p of passwords) assert.ok(!clean.includes(p), 'the password is gone');
  const reimported = await page.evaluate(t => window.finesseInspector.analyze(t), clean);
  assert.deepEqual(reimported, cliJson(file));
  await context.close();
});

test('the single-file HTML works from file://', async () => {
  assert.ok(fs.existsSync(SINGLE_FILE));
  const { page, errors, requests, context } = await open(browser, 'file://' + SINGLE_FILE);
  const s = await state(page);
  assert.ok(s.loaded);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter(u => !u.startsWith('file:') && !u.startsWith('data:')), []);
  await shot(page, 'single-file.png');
  await context.close();
});

test('HiDPI and the light theme stay readable', async () => {
  const { page, context } = await open(browser, BASE_URL, { deviceScaleFactor: 2 });
  assert.equal((await state(page)).dpr, 2);
  await shot(page, 'hidpi-dark.png');
  await clickRect(page, 'theme');
  assert.equal((await state(page)).theme, 'light');
  await shot(page, 'hidpi-light.png');
  await context.close();
});
