// Browser benchmarks (figures, not pass/fail): in Debian's Chromium, served by nginx,
//  1. ingest of the ~200 MB benchmark HAR: finesseInspector.analyze(bytes) end to end, beside
//     TextDecoder + JSON.parse on the same bytes in the same page, and the wasm heap after;
//  2. frames per second while wheel-scrolling a capture of 1,000,000 frames.
// usage: node bench/web_bench.mjs BASE_URL HAR_URL MILLION_URL
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.join(process.env.FI_NODE_MODULES || '', 'x.js'));
const { chromium } = require('playwright-core');

const [base, harUrl, millionUrl] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
await page.goto(base);
await page.waitForFunction(() => { try { return window.finesseInspector.state().loaded; } catch (e) { return false; } }, null, { timeout: 30000 });

const ingest = await page.evaluate(async url => {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const mb = bytes.length / 1e6;
  const heapBefore = window.finesseInspector.heapBytes();
  const runs = [];
  for (let i = 0; i < 10; i++) {
    // Alternate which goes first, so neither always meets a cold cache or a pending GC.
    const order = i % 2 ? ['js', 'wasm'] : ['wasm', 'js'];
    const r = {};
    for (const which of order) {
      const t = performance.now();
      if (which === 'wasm') r.frames = (await window.finesseInspector.analyze(bytes)).connections[0].frames;
      else r.entries = JSON.parse(new TextDecoder().decode(bytes)).log.entries.length;
      r[which] = performance.now() - t;
    }
    runs.push(r);
  }
  return { mb, heapBefore, heapAfter: window.finesseInspector.heapBytes(), runs };
}, harUrl);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const warm = ingest.runs.slice(1);
const w = median(warm.map(r => r.wasm)), j = median(warm.map(r => r.js));
console.log(`ingest ${ingest.mb.toFixed(1)} MB, ${ingest.runs[0].frames} frames; first (cold) run: wasm ${ingest.runs[0].wasm.toFixed(0)} ms, JS ${ingest.runs[0].js.toFixed(0)} ms`);
console.log(`median of ${warm.length} warm runs: wasm analyze ${w.toFixed(0)} ms (${(ingest.mb / w * 1000).toFixed(0)} MB/s) | TextDecoder+JSON.parse ${j.toFixed(0)} ms (${(ingest.mb / j * 1000).toFixed(0)} MB/s) | wasm is ${(j / w).toFixed(2)}x as fast`);
const bw = Math.min(...warm.map(r => r.wasm)), bj = Math.min(...warm.map(r => r.js));
console.log(`best of ${warm.length}: wasm ${bw.toFixed(0)} ms (${(ingest.mb / bw * 1000).toFixed(0)} MB/s) | JS ${bj.toFixed(0)} ms (${(ingest.mb / bj * 1000).toFixed(0)} MB/s) | ${(bj / bw).toFixed(2)}x`);
console.log(`  runs (wasm/js ms): ${warm.map(r => r.wasm.toFixed(0) + '/' + r.js.toFixed(0)).join(' ')}`);
console.log(`wasm heap: ${(ingest.heapBefore / 1e6).toFixed(0)} MB before, ${(ingest.heapAfter / 1e6).toFixed(0)} MB after (${(ingest.heapAfter / (ingest.mb * 1e6)).toFixed(2)}x the file)`);

// A million frames, loaded into the UI in slices, then scrolled with the mouse wheel.
const t0 = Date.now();
const loading = await page.evaluate(async url => {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  window.finesseInspector.resetStats();
  let worst = 0, last = performance.now(), frames = 0, done = false;
  (function tick() { const now = performance.now(); worst = Math.max(worst, now - last); last = now; frames++; if (!done) requestAnimationFrame(tick); })();
  await window.finesseInspector.ready;
  const t = performance.now();
  const loaded = window.finesseInspector.load(bytes, 'million.json');
  await Promise.resolve();  // load() hands the bytes over in a microtask
  const handOver = performance.now() - t;
  await loaded;
  const ours = window.finesseInspector.state().frame_cpu_max_ms;
  done = true;
  return { worst, frames, handOver, ours };
}, millionUrl);
console.log(`while loading 1,000,000 frames: ${loading.frames} frames drawn, worst gap ${loading.worst.toFixed(0)} ms; longest frame of our own ${loading.ours.toFixed(0)} ms; handing the 80 MB to the wasm ${loading.handOver.toFixed(0)} ms`);
const s = await page.evaluate(() => window.finesseInspector.state());
console.log(`1,000,000 frames loaded into the UI in ${Date.now() - t0} ms (page responsive meanwhile); visible rows ${s.visible_rows}`);
const f = s.ui['filter'];
await page.mouse.move(900, 300);
const fps = await page.evaluate(() => new Promise(resolve => {
  let frames = 0; const t = performance.now();
  (function tick() { frames++; if (performance.now() - t < 5000) requestAnimationFrame(tick); else resolve(frames / ((performance.now() - t) / 1000)); })();
}).then(x => x), null);
const scroll = (async () => { const end = Date.now() + 5000; while (Date.now() < end) { await page.mouse.wheel(0, 2400); await page.waitForTimeout(16); } })();
const during = await page.evaluate(() => new Promise(resolve => {
  let frames = 0, worst = 0, last = performance.now(); const t = last;
  (function tick() {
    const now = performance.now(); worst = Math.max(worst, now - last); last = now; frames++;
    if (now - t < 4500) requestAnimationFrame(tick); else resolve({ fps: frames / ((now - t) / 1000), worst });
  })();
}));
await scroll;
const cpu = (await page.evaluate(() => window.finesseInspector.state())).frame_cpu_ms;
console.log(`idle: ${fps.toFixed(1)} fps; while scrolling 1,000,000 frames: ${during.fps.toFixed(1)} fps, worst frame ${during.worst.toFixed(0)} ms; our own CPU per frame ${cpu.toFixed(2)} ms (the rest is SwiftShader drawing the canvas)`);
await browser.close();
