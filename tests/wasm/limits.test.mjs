// The wasm core under node 20 with ALLOW_MEMORY_GROWTH up to 2 GB: it analyses like the CLI,
// refuses inputs over the limit with the size and the limit, and never dies on an out-of-memory
// abort, even when asked for more than the heap can hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const require = createRequire(import.meta.url);
const NODE_JS = path.join(ROOT, 'build-wasm/node/finesse-node.js');

// Emscripten 3.1.6's loader tries fetch() under node 20; handing it the binary avoids that.
async function load() {
  const factory = require(NODE_JS);
  return factory({ wasmBinary: fs.readFileSync(NODE_JS.replace(/\.js$/, '.wasm')) });
}
function analyze(m, bytes) {
  const ptr = m._fi_alloc(bytes.length);
  if (!ptr) return { refused: m.UTF8ToString(m._fi_error()) };
  m.HEAPU8.set(bytes, ptr);
  return JSON.parse(m.UTF8ToString(m._fi_analyze_pending()));
}

test('the wasm core gives the CLI\'s report for every sample', async () => {
  const m = await load();
  const samples = fs.readdirSync(path.join(ROOT, 'samples')).filter(f => /\.(har|txt)$/.test(f));
  assert.ok(samples.length > 5);
  for (const f of samples) {
    const file = path.join(ROOT, 'samples', f);
    const cli = spawnSync(path.join(ROOT, 'build/finesse-inspect'), ['--format', 'json', file], { encoding: 'utf8' });
    assert.deepEqual(analyze(m, fs.readFileSync(file)), JSON.parse(cli.stdout), f);
  }
});

test('over the limit: refused with the size and the limit, nothing allocated', async () => {
  const m = await load();
  assert.equal(m._fi_heap_limit(), 2 * 1024 * 1024 * 1024);
  const ptr = m._fi_alloc(1.2 * 1024 * 1024 * 1024);
  assert.equal(ptr, 0);
  const why = m.UTF8ToString(m._fi_error());
  assert.match(why, /the input is 1\.20 GB, above the limit of 1\.00 GB/);
});

test('near the limit: either read, or refused for memory, never an abort', async () => {
  const m = await load();
  // 900 MB: a HAR that is almost all white space, so it reads fast.
  const size = 900 * 1024 * 1024;
  const ptr = m._fi_alloc(size);
  if (ptr === 0) {
    assert.match(m.UTF8ToString(m._fi_error()), /not enough memory/);
    console.log('# 900 MB: refused for memory, with a message');
    return;
  }
  console.log('# 900 MB: read');
  const head = Buffer.from('{"log":{"entries":[]}}');
  m.HEAPU8.fill(0x20, ptr, ptr + size);
  m.HEAPU8.set(head, ptr);
  const report = JSON.parse(m.UTF8ToString(m._fi_analyze_pending()));
  assert.equal(report.input.format, 'har');
  assert.deepEqual(report.connections, []);
  // And the module still works afterwards.
  const again = analyze(m, Buffer.from('SENT: <open to="d"/>\n'));
  assert.equal(again.connections.length, 1);
});
