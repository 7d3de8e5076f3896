// Shared set-up for the browser tests: Debian's Chromium through playwright-core, the page served
// by nginx (scripts/serve.sh), the CLI for reference reports, and a screenshots folder.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(path.join(process.env.FI_NODE_MODULES || '', 'x.js'));
const { chromium } = require('playwright-core');

export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
export const BASE_URL = process.env.FI_BASE_URL || 'http://127.0.0.1:18080/';
export const CLI = process.env.FI_CLI || path.join(ROOT, 'build/finesse-inspect');
export const SHOTS = process.env.FI_SHOTS || path.join(ROOT, 'build-wasm/screenshots');
export const SINGLE_FILE = path.join(ROOT, 'build-wasm/finesse-inspector.html');
export const SAMPLES = path.join(ROOT, 'samples');
fs.mkdirSync(SHOTS, { recursive: true });

export function sampleFiles() {
  return fs.readdirSync(SAMPLES).filter(f => /\.(har|txt)$/.test(f)).sort().map(f => path.join(SAMPLES, f));
}

export function cliJson(file) {
  const r = spawnSync(CLI, ['--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`CLI exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'],
  });
}

// A page at 1280x800 that records console errors and every request it makes.
export async function open(browser, url = BASE_URL, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  page.on('request', r => requests.push(r.url()));
  await page.goto(url);
  await page.waitForFunction(() => {
    try { return window.finesseInspector.state().loaded && !window.finesseInspector.state().busy; } catch (e) { return false; }
  }, null, { timeout: 30000 });
  return { context, page, errors, requests };
}

export const state = page => page.evaluate(() => window.finesseInspector.state());

// Waits until the UI shows a new input (its generation moved on) and is idle.
export async function waitForLoad(page, before, timeout = 60000) {
  await page.waitForFunction(g => {
    const s = window.finesseInspector.state();
    return s.generation > g && !s.busy;
  }, before, { timeout });
  // One more frame so the views are drawn with the new data.
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
  return state(page);
}

// `at`: where across the rect to click, 0 to 1 (the middle by default). A table row spans its
// columns, and a column border there is the resize handle, so rows are clicked near their start.
export async function clickRect(page, id, at = 0.5) {
  const s = await state(page);
  const r = s.ui[id];
  if (!r) throw new Error(`no UI rect "${id}"; have: ${Object.keys(s.ui).join(', ')}`);
  await page.mouse.click(r[0] + r[2] * at, r[1] + r[3] / 2);
  // ImGui acts on the click in the next frames.
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

export async function shot(page, name) {
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: path.join(SHOTS, name) });
}

// The lab of samples/lab/ on its own port, for live tests: start() gives it a fresh folder (after
// a kill, a restart starts clean), stop() ends it; env.LAB_DIR names the running one's folder.
export function labOn(port, prefix) {
  const script = path.join(ROOT, 'samples/lab/lab.sh');
  const env = { ...process.env, LAB_HTTP_PORT: String(port), LAB_WATCH_PID: String(process.pid) };
  const run = (...args) => {
    const r = spawnSync(script, args, { env, encoding: 'utf8', timeout: 60000 });
    if (r.status !== 0) throw new Error(`lab.sh ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const start = () => { env.LAB_DIR = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); run('start', '--background'); };
  return { env, run, start };
}
