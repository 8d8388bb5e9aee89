#!/usr/bin/env node
/**
 * Large stack files (issue 16 §4), in one run (`make bench-large`; npm run
 * build:lib first):
 *
 * - a 0.5 GB stack (1000 × 1000 × 120 float32) and a 2.5 GB one (2048 × 2048
 *   × 150, larger than the 2 GiB wasm heap): simulated NVPF grains with drift
 *   and a 0.2 eV reference offset (`stxm-phasemap simulate`), the ring current
 *   one value per frame, the 2.5 GB one tiled 2 × 2 from a 1024² simulation
 *   (bench/reference/large_stack.py); made once into --dir and kept;
 * - read throughput of the same file: h5py (best of 3 after a warm-up),
 *   readStack in Node (h5wasm from disk), and the workbench's read in
 *   Chromium (range requests to a local HTTP server, as to Jupyter's /files/);
 * - `map` as the command line runs it, defaults: time, peak RSS above the
 *   opened file / raw cube, accuracy against the simulator's truth;
 * - the workbench in Chromium (bench/browser/run.mjs workbench: the model,
 *   the worker client, range reads, pre-processing, the run): times, renderer
 *   peak / raw cube, range requests, and its phase counts beside Node's.
 *
 *   node bench/large-files.mjs [--dir /tmp/stxm-large] [--only 0.5|2.5] [--no-browser]
 *                              [--json FILE] [--python PATH]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import h5wasm from 'h5wasm/node';

import { readResult } from '../lib/core/io/result-read.js';
import { createH5Runtime } from '../lib/core/io/h5.js';
import { evaluateAgainstTruth, rate } from '../lib/core/simulate/evaluate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/stxm-large' },
    only: { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    json: { type: 'string' },
    python: { type: 'string' }
  }
});
const python =
  values.python ??
  [join(ROOT, '.venv/bin/python'), 'python3'].find(p => p === 'python3' || existsSync(p));
const MiB = 2 ** 20;
const log = m => process.stderr.write(`[large] ${m}\n`);

const FILES = [
  { label: '0.5', size: '1000x1000', energies: 120, tile: [1, 1], seed: 3 },
  { label: '2.5', size: '1024x1024', energies: 150, tile: [2, 2], seed: 4 }
].filter(f => !values.only || f.label === values.only);

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  }
  const line = r.stdout.trim().split('\n').at(-1);
  return line?.startsWith('{') ? JSON.parse(line) : r.stdout;
}

function make(f) {
  mkdirSync(values.dir, { recursive: true });
  const base = join(values.dir, `nvpf-${f.label}GB`);
  const stack = `${base}.h5`;
  const refs = `${base}-refs.csv`;
  const truth = `${base}-truth.h5`;
  if (existsSync(stack) && existsSync(refs) && existsSync(truth)) {
    return { stack, refs, truth };
  }
  log(`simulating ${f.size} × ${f.energies} (tiled ${f.tile.join(' × ')}) into ${values.dir}`);
  const src = `${base}-src.h5`;
  const srcTruth = `${base}-src-truth.h5`;
  run(process.execPath, [
    'bin/stxm-phasemap',
    'simulate',
    ...['--out', src, '--refs', refs, '--truth', srcTruth],
    ...['--material', 'nvpf', '--morphology', 'grains', '--size', f.size],
    ...['--energies', `uniform:${f.energies}`, '--seed', String(f.seed)],
    ...['--drift', '1', '--energy-offset', '0.2']
  ]);
  run(python, [
    'bench/reference/large_stack.py',
    src,
    stack,
    ...f.tile.map(String),
    ...['--truth', srcTruth, truth]
  ]);
  rmSync(src);
  rmSync(srcTruth);
  return { stack, refs, truth };
}

/** The simulator's truth file as evaluateAgainstTruth wants it. */
function readTruth(rt, path) {
  const file = new rt.File(path, 'r');
  try {
    const g = name => file.get(`entry/truth/${name}`);
    const phase = g('phase');
    const [ny, nx] = phase.shape;
    return {
      phaseNames: Array.from(g('phase_names').value),
      config: { ny, nx, energies: Array.from(g('energy').value) },
      shiftX: Float64Array.from(g('shift_x').value),
      shiftY: Float64Array.from(g('shift_y').value),
      phase: Int16Array.from(phase.value),
      fractions: Float32Array.from(g('fractions').value)
    };
  } finally {
    file.close();
  }
}

const rt = createH5Runtime(h5wasm.File, await h5wasm.ready);
const results = { date: new Date().toISOString(), files: [] };
for (const f of FILES) {
  const { stack, refs, truth } = make(f);
  const bytes = statSync(stack).size;
  log(`${f.label} GB: ${stack} (${(bytes / MiB).toFixed(0)} MiB)`);
  const h5py = run(python, ['bench/reference/read_h5py.py', stack, 'entry1/counter0/data']);
  log(`h5py ${h5py.mibPerS.toFixed(0)} MiB/s`);
  const read = run(process.execPath, ['--expose-gc', 'bench/node/memory-job.mjs', 'read', stack]);
  log(`readStack (Node) ${read.mibPerS.toFixed(0)} MiB/s`);
  const out = join(values.dir, `nvpf-${f.label}GB-result.h5`);
  const map = run(process.execPath, [
    '--expose-gc',
    'bench/node/memory-job.mjs',
    'map',
    stack,
    refs,
    '--out',
    out
  ]);
  const acc = evaluateAgainstTruth(readResult(rt, out), readTruth(rt, truth));
  const node = {
    ...map,
    accuracy: {
      overall: rate(acc.overall),
      ambiguous: rate(acc.ambiguous),
      ambiguousPixels: acc.ambiguous.total
    }
  };
  log(
    `map (Node): ${(map.ms / 1000).toFixed(1)} s, ${map.ratio.toFixed(2)}× raw, ${JSON.stringify(node.accuracy)}`
  );
  let browser = null;
  if (!values['no-browser']) {
    let wb;
    try {
      wb = run(process.execPath, [
        'bench/browser/run.mjs',
        'workbench',
        '--stack',
        stack,
        '--refs',
        refs
      ]);
    } catch (err) {
      // the workbench refuses stacks over its limit (2^30 values, 4 GiB of float32) with a message
      const refused = /too large here[^\n]*/.exec(String(err.message))?.[0];
      if (!refused) {
        throw err;
      }
      results.files.push({
        label: f.label,
        file: stack,
        bytes,
        h5py,
        nodeRead: read,
        node,
        browser: { refused }
      });
      log(`workbench (Chromium): refused: ${refused}`);
      continue;
    }
    const r = wb;
    const sameCounts =
      JSON.stringify(r.result.counts) === JSON.stringify(readResult(rt, out).counts);
    browser = {
      heldInStackWorker: r.heldInStackWorker,
      timingsMs: r.timingsMs,
      resultStageMs: r.resultStageMs,
      serverRead: r.serverRead,
      readProgressEvents: r.readProgressEvents,
      hoverSpectrumMs: r.hoverSpectrumMs,
      memory: Object.fromEntries(
        Object.entries(r.memory).filter(([k]) => !['phases', 'samples', 'how'].includes(k))
      ),
      countsAsNode: sameCounts
    };
    log(`workbench (Chromium): ${JSON.stringify(browser)}`);
  }
  results.files.push({ label: f.label, file: stack, bytes, h5py, nodeRead: read, node, browser });
}

const [l1, l5, l15] = loadavg().map(v => v.toFixed(2));
results.machine = {
  cpus: cpus().length,
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version
};
const s = ms => (ms / 1000).toFixed(1);
const lines = [
  `Measured by \`make bench-large\` on ${results.date.slice(0, 10)}: ${cpus().length} cores, ` +
    `${results.machine.memGiB} GiB, Node ${process.version}; load average at the end ${l1} / ${l5} / ${l15}.`,
  '',
  '| file | read: h5py / Node readStack / Chromium workbench (range requests) | `map` in Node: time, peak above the opened file / raw cube, accuracy overall / ambiguous | workbench in Chromium: read, open + prepare, run; renderer peak / raw cube; range requests |',
  '|---|---|---|---|'
];
for (const r of results.files) {
  const b = r.browser?.refused ? null : r.browser;
  const m = r.node;
  const raw = m.rawBytes / MiB;
  lines.push(
    `| ${r.label} GB (${m.shape.join(' × ')}, ${(r.bytes / MiB).toFixed(0)} MiB) | ` +
      `${r.h5py.mibPerS.toFixed(0)} / ${r.nodeRead.mibPerS.toFixed(0)} / ${b?.memory.readMiBPerS ?? '–'} MiB/s | ` +
      `${s(m.ms)} s, ${(m.aboveBaseline / MiB).toFixed(0)} MiB / ${raw.toFixed(0)} MiB = ${m.ratio.toFixed(2)}×, ` +
      `${(100 * m.accuracy.overall).toFixed(1)} % / ${(100 * m.accuracy.ambiguous).toFixed(1)} % of ${m.accuracy.ambiguousPixels} | ` +
      (b
        ? `${s(b.timingsMs.read)} s, ${s(b.timingsMs.openAndPrepare)} s, ${s(b.timingsMs.run)} s; ` +
          `${b.memory.peakAboveMiB} MiB = ${b.memory.peakAboveRaw}×; ${b.memory.rangeRequests} requests of ` +
          `${b.memory.rangeBytesMiB} MiB; map ${b.countsAsNode ? 'identical to' : 'differs from'} Node's |`
        : `${r.browser?.refused ? `refused with "${r.browser.refused.slice(0, 70)}…"` : '–'} |`)
  );
}
console.log(lines.join('\n'));
if (values.json) {
  writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
}
