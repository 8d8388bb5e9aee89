#!/usr/bin/env node
// Reading speed and memory for a large NXstxm stack (default 1000 × 1000 × 30
// float32 ≈ 120 MB), through the compiled core (npm run build:lib first).
//
//   node bench/read-speed.mjs [--ny 1000] [--nx 1000] [--ne 30] [--prepare] [--align]
//                             [--keep FILE] [--json]
//
// Writes the stack frame by frame into a temporary file, reads it back with
// readStack (frame-by-frame hyperslabs), and prints MB/s and memory. With
// --prepare, also times prepareStack (I0, OD, mask; --align adds alignment).
// --keep writes the stack to FILE and leaves it there (make bench reads the
// same file with h5py); --json prints one JSON line at the end.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import h5wasm from 'h5wasm/node';

import { DEFAULT_PREPROCESS, createH5Runtime, prepareStack, readStack } from '../lib/core/index.js';

const { values } = parseArgs({
  options: {
    ny: { type: 'string', default: '1000' },
    nx: { type: 'string', default: '1000' },
    ne: { type: 'string', default: '30' },
    prepare: { type: 'boolean', default: false },
    align: { type: 'boolean', default: false },
    keep: { type: 'string' },
    json: { type: 'boolean', default: false }
  }
});
const [ny, nx, ne] = [Number(values.ny), Number(values.nx), Number(values.ne)];
const module = await h5wasm.ready;
const rt = createH5Runtime(h5wasm.File, module);
const dir = mkdtempSync(join(tmpdir(), 'stxm-bench-'));
const path = values.keep ?? join(dir, 'large.h5');
const mb = n => (n / 2 ** 20).toFixed(0);

// write: counter0/data float32 (E, y, x), chunked one frame per chunk, filled frame by frame
{
  const f = new h5wasm.File(path, 'w');
  const entry = f.create_group('entry1');
  entry.create_attribute('NX_class', 'NXentry');
  const g = entry.create_group('counter0');
  g.create_attribute('NX_class', 'NXdata');
  g.create_attribute('signal', 'data');
  g.create_attribute('axes', ['energy', 'sample_y', 'sample_x']);
  const frame = new Float32Array(ny * nx);
  const ds = g.create_dataset({
    name: 'data',
    data: frame,
    shape: [1, ny, nx],
    dtype: '<f',
    maxshape: [null, ny, nx],
    chunks: [1, ny, nx]
  });
  ds.resize([ne, ny, nx]);
  for (let e = 0; e < ne; e++) {
    for (let p = 0; p < ny * nx; p++) {
      const y = Math.floor(p / nx);
      const x = p % nx;
      const inside = (y - ny / 2) ** 2 + (x - nx / 2) ** 2 < (0.3 * Math.min(ny, nx)) ** 2;
      frame[p] = 3000 * Math.exp(-(inside ? 0.5 + 0.02 * e : 0)) + ((p * 7919 + e) % 50);
    }
    ds.write_slice([[e, e + 1], [], []], frame);
  }
  g.create_dataset({
    name: 'energy',
    data: Float64Array.from({ length: ne }, (_, i) => 512 + i),
    dtype: '<d'
  });
  g.create_dataset({
    name: 'sample_y',
    data: Float64Array.from({ length: ny }, (_, i) => i * 0.03),
    dtype: '<d'
  });
  g.create_dataset({
    name: 'sample_x',
    data: Float64Array.from({ length: nx }, (_, i) => i * 0.03),
    dtype: '<d'
  });
  f.close();
}
const bytes = statSync(path).size;
global.gc?.();
const before = process.memoryUsage();
const heapBefore = module.HEAPU8.length;
let peakRss = before.rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);

const runs = [];
let stack;
for (let i = 0; i < 3; i++) {
  stack = undefined;
  global.gc?.();
  const t0 = performance.now();
  stack = readStack(rt, path, 'large.h5');
  runs.push(performance.now() - t0);
}
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const after = process.memoryUsage();
const best = Math.min(...runs);
console.log(
  `stack ${ne} × ${ny} × ${nx} float32: ${mb(ne * ny * nx * 4)} MiB cube, file ${mb(bytes)} MiB`
);
console.log(
  `read: ${runs.map(t => t.toFixed(0)).join(', ')} ms → best ${(bytes / 2 ** 20 / (best / 1000)).toFixed(0)} MiB/s`
);
console.log(
  `memory: JS array buffers ${mb(before.arrayBuffers)} → ${mb(after.arrayBuffers)} MiB, ` +
    `h5wasm heap ${mb(heapBefore)} → ${mb(module.HEAPU8.length)} MiB, peak RSS ${mb(peakRss)} MiB (RSS before ${mb(before.rss)} MiB)`
);
if (values.prepare) {
  const t0 = performance.now();
  const p = prepareStack(stack, { ...DEFAULT_PREPROCESS, align: values.align });
  console.log(
    `prepareStack${values.align ? ' (with alignment)' : ''}: ${(performance.now() - t0).toFixed(0)} ms, ` +
      `${p.mask.reduce((a, b) => a + b, 0)} particle px, peak RSS now ${mb(process.memoryUsage().rss)} MiB`
  );
}
if (values.json) {
  console.log(
    JSON.stringify({
      fileBytes: bytes,
      cubeBytes: ne * ny * nx * 4,
      shape: [ne, ny, nx],
      readMs: runs.map(t => Math.round(t)),
      bestMiBps: Math.round(bytes / 2 ** 20 / (best / 1000)),
      medianMiBps: Math.round(bytes / 2 ** 20 / ([...runs].sort((a, b) => a - b)[1] / 1000)),
      peakRssMiB: Number(mb(peakRss)),
      rssBeforeMiB: Number(mb(before.rss))
    })
  );
}
rmSync(dir, { recursive: true, force: true });
