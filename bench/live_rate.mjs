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
  const r = await page.evaluate(() => window.finesseInspector.connect({ url: 'ws://127.0.0.1:15281/ws/', domain: 'finesse.lab', user: '1001', password: 'agentpass', pingSeconds: 0 }));
  if (r.connections[0].verdict !== 'healthy') throw new Error('login failed');
  for (const rate of [1000, 5000, 20000]) {
    const before = (await page.evaluate(() => window.finesseInspector.state())).live.notifications;
    await page.evaluate(() => window.finesseInspector.resetStats());
    const pub = spawn(path.join(ROOT, 'samples/lab/lab.sh'), ['publish', '--node', '/finesse/api/User/1001', '--burst', String(rate), '--seconds', '3'], { env });
    let out = '';
    pub.stdout.on('data', d => { out += d; });
    const m = await page.evaluate(() => new Promise(resolve => {
      let frames = 0, worst = 0; const t = performance.now(); let last = t;
      (function tick() { const now = performance.now(); worst = Math.max(worst, now - last); last = now; frames++;
        if (now - t < 4000) requestAnimationFrame(tick); else resolve({ fps: frames / ((now - t) / 1000), worst }); })();
    }));
    await new Promise(res => pub.on('exit', res));
    await page.waitForTimeout(1500);
    const s = (await page.evaluate(() => window.finesseInspector.state()));
    console.log(`burst ${rate}/s for 3 s (${out.trim()}): page ${m.fps.toFixed(1)} fps, worst frame ${m.worst.toFixed(0)} ms, ` +
                `our longest frame ${s.frame_cpu_max_ms.toFixed(1)} ms, received ${s.live.notifications - before}`);
  }
} finally {
  await browser.close();
  lab('stop');
}
