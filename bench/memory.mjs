#!/usr/bin/env node
/**
 * Memory and reading (issue 16, §3–4), in one run, each job in a process of
 * its own, one at a time (npm run build:lib first; `make bench-memory`):
 *
 * - `map` at 256² and 1024² × 20: peak RSS above the RSS of a process with
 *   h5wasm ready and the file opened, divided by the raw cube (float32);
 * - `info` on a 1000 × 1000 × 20 stack: time and peak RSS, beside a process
 *   that only starts and readies h5wasm;
 * - reading the 1024² stack (signal and ring current): MiB/s of readStack,
 *   of the reader before issue 16 (Dataset.slice), and of h5py on the same file.
 *
 * Stacks are simulated into a temporary folder (`stxm-phasemap simulate`) and
 * removed at the end. Prints a table; `--json FILE` writes the raw figures.
 *
 *   node bench/memory.mjs [--quick] [--json FILE] [--python PATH]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    python: { type: 'string' }
  }
});
const python =
  values.python ??
  [join(ROOT, '.venv/bin/python'), join(ROOT, '../main/.venv/bin/python'), 'python3'].find(
    p => p === 'python3' || existsSync(p)
  );
const work = mkdtempSync(join(tmpdir(), 'stxm-bench-memory-'));
const MiB = 2 ** 20;
const fmt = n => (n / MiB).toFixed(0);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  const line = r.stdout.trim().split('\n').at(-1);
  return line?.startsWith('{') ? JSON.parse(line) : r.stdout;
}

function simulate(name, size) {
  const stack = join(work, `${name}.h5`);
  const refs = join(work, `${name}-refs.csv`);
  run(process.execPath, [
    'bin/stxm-phasemap',
    'simulate',
    ...['--out', stack, '--refs', refs, '--material', 'nvpf', '--morphology', 'grains'],
    ...['--size', size, '--energies', 'hand:20', '--seed', '5']
  ]);
  return { stack, refs };
}

const node = (...args) =>
  run(process.execPath, ['--expose-gc', 'bench/node/memory-job.mjs', ...args]);
const results = { date: new Date().toISOString(), maps: [], info: null, read: null };
try {
  for (const size of values.quick ? [256] : [256, 1024]) {
    const { stack, refs } = simulate(`nvpf-${size}`, `${size}x${size}`);
    const m = node('map', stack, refs);
    results.maps.push({ size, ...m });
    if (size === 1024 || values.quick) {
      const info = run(process.execPath, ['bench/node/memory-job.mjs', 'info', stack]);
      const startup = run(process.execPath, ['bench/node/memory-job.mjs', 'startup']);
      results.info = { file: `${size}²`, ...info, startup };
      const ours = node('read', stack);
      const slice = node('read', stack, '--slice');
      const h5py = run(python, [
        'bench/reference/read_h5py.py',
        stack,
        'entry1/counter0/data',
        'entry1/control/data'
      ]);
      results.read = { size, ours, slice, h5py };
    }
  }
  if (!values.quick) {
    // info on a 1000 × 1000 × 20 stack, as issue 16 measured it
    const { stack } = simulate('nvpf-1000', '1000x1000');
    const info = run(process.execPath, ['bench/node/memory-job.mjs', 'info', stack]);
    const startup = run(process.execPath, ['bench/node/memory-job.mjs', 'startup']);
    results.info = { file: '1000 × 1000 × 20', ...info, startup };
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const [l1, l5, l15] = loadavg().map(v => v.toFixed(2));
results.machine = {
  cpus: cpus().length,
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverage: [l1, l5, l15]
};
const lines = [
  `Measured by \`make bench-memory\` on ${results.date.slice(0, 10)}: ${cpus().length} cores, ` +
    `${results.machine.memGiB} GiB, Node ${process.version}; load average at the end ${l1} / ${l5} / ${l15}.`,
  '',
  '| figure | ours | reference (same run) | ratio | target | met |',
  '|---|---:|---:|---:|---:|:---:|'
];
for (const m of results.maps) {
  // issue 16: ≤ 2.5× the raw cube at 1024²; fixed costs ≤ 60 MiB for a small stack
  const small = m.size < 1024;
  const met = small ? m.aboveBaseline <= 60 * MiB : m.ratio <= 2.5;
  lines.push(
    `| \`map\`, ${m.size}² × 20 (${m.shape.join(' × ')} read): peak RSS above the opened file / raw cube (${fmt(m.rawBytes)} MiB) | ${fmt(m.aboveBaseline)} MiB | opened file ${fmt(m.baselineRss)} MiB | ${m.ratio.toFixed(2)}× | ${small ? '≤ 60 MiB' : '≤ 2.5×'} | ${met ? 'yes' : 'no'} |`
  );
}
if (results.info) {
  const i = results.info;
  lines.push(
    `| \`info\`, ${i.file} stack: time, peak RSS | ${i.ms.toFixed(0)} ms, ${fmt(i.peakRss)} MiB | Node + h5wasm ready: ${i.startup.ms.toFixed(0)} ms, ${fmt(i.startup.peakRss)} MiB |  |  |  |`
  );
}
if (results.read) {
  const { ours, slice, h5py } = results.read;
  lines.push(
    `| read ${results.read.size}² × 20 signal + ring current (${fmt(ours.bytesRead)} MiB), readStack / h5py | ${ours.mibPerS.toFixed(0)} MiB/s | h5py ${h5py.mibPerS.toFixed(0)} MiB/s | ${(ours.mibPerS / h5py.mibPerS).toFixed(2)}× |  |  |`,
    `| the same through Dataset.slice (the reader before issue 16) / h5py | ${slice.mibPerS.toFixed(0)} MiB/s | h5py ${h5py.mibPerS.toFixed(0)} MiB/s | ${(slice.mibPerS / h5py.mibPerS).toFixed(2)}× |  |  |`
  );
}
console.log(lines.join('\n'));
if (values.json) {
  writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
}
