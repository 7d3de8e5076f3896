// Live mode under load: the page connects to the lab, the publisher sends bursts of 1,000, 5,000
// and 20,000 notifications a second, and the page's frame rate and our own CPU per frame are
// measured while they stream in.   usage: node bench/live_rate.mjs BASE_URL (lab on 15281)
import { createRequire } from 'node:module';
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const require = createRequire(path.join(process.env.FI_NODE_MODULES || '', 'x.js'));
const { chromium } = require('playwright-core');
const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const env = { ...process.env, LAB_HTTP_PORT: '15281', LAB_WATCH_PID: String(process.pid), LAB_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'finesse-lab-rate.')) };
const lab = (...a) => spawnSync(path.join(ROOT, 'samples/lab/lab.sh'), a, { env, encoding: 'utf8' });
lab('start', '--background');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'] });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(process.argv[2]);
  await page.waitForFunction(() => { try { return window.finesseInspector.state().loaded; } catch (e) { return false; } }, null, { timeout: 30000 });
  const url = process.argv[3] === '--bosh' ? 'http://127.0.0.1:15281/http-bind/' : 'ws://127.0.0.1:15281/ws/';
  console.log(`live over ${url}`);
  const r = await page.evaluate((url) => window.finesseInspector.connect({ url, domain: 'finesse.lab', user: '1001', password: 'agentpass', pingSeconds: 0 }), url);
  if (r.connections[0].verdict !== 'healthy') throw new Error('login failed');
  const publish = (rate, seconds) => new Promise((resolve) => {
    const pub = spawn(path.join(ROOT, 'samples/lab/lab.sh'), ['publish', '--node', '/finesse/api/User/1001', '--burst', String(rate), '--seconds', String(seconds)], { env });
    let out = '';
    pub.stdout.on('data', d => { out += d; });
    pub.on('exit', () => resolve(out.trim()));
  });
  const live = async () => (await page.evaluate(() => window.finesseInspector.state())).live;
  const settle = async (want) => page.waitForFunction(n => window.finesseInspector.state().live.notifications >= n, want, { timeout: 120000, polling: 200 });
  // Our CPU per notification (the driver's parse and record, and the checker fed only what is new)
  // over a window of 2,000 notifications, at the start of the session and after 100,000.
  const perNotification = async (label) => {
    const a = await live();
    await publish(1000, 2);
    await settle(a.notifications + 2000);
    const b = await live();
    console.log(`${label}: ${((b.cpu_ms - a.cpu_ms) * 1000 / (b.notifications - a.notifications)).toFixed(1)} µs of our CPU per notification ` +
                `(${b.notifications - a.notifications} notifications, ${b.notifications} so far)`);
  };
  await perNotification('at the start');
  for (const rate of [1000, 5000, 20000]) {
    const before = (await live()).notifications;
    await page.evaluate(() => window.finesseInspector.resetStats());
    const published = publish(rate, 3);
    const m = await page.evaluate(() => new Promise(resolve => {
      let frames = 0, worst = 0; const t = performance.now(); let last = t;
      (function tick() { const now = performance.now(); worst = Math.max(worst, now - last); last = now; frames++;
        if (now - t < 4000) requestAnimationFrame(tick); else resolve({ fps: frames / ((now - t) / 1000), worst }); })();
    }));
    const out = await published;
    await page.waitForTimeout(1500);
    const s = (await page.evaluate(() => window.finesseInspector.state()));
    console.log(`burst ${rate}/s for 3 s (${out}): page ${m.fps.toFixed(1)} fps, worst frame ${m.worst.toFixed(0)} ms, ` +
                `our longest frame ${s.frame_cpu_max_ms.toFixed(1)} ms, received ${s.live.notifications - before}`);
  }
  // On to 100,000 notifications in the session, then the same window again.
  while ((await live()).notifications < 100000) {
    const n = (await live()).notifications;
    await publish(10000, Math.min(5, Math.ceil((100000 - n) / 10000)));
    await settle(Math.min(100000, n + 1));
  }
  await page.waitForTimeout(2000);
  await perNotification('after 100,000');
} finally {
  await browser.close();
  lab('stop');
}
