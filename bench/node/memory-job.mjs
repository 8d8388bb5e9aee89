#!/usr/bin/env node
/**
 * One measurement of bench/memory.mjs, in a process of its own (so each peak
 * RSS is that job's alone). Prints one JSON line.
 *
 *   node --expose-gc bench/node/memory-job.mjs map STACK.h5 REFS.csv [--out RESULT.h5]
 *       baseline: RSS with h5wasm ready and the file opened and closed; then
 *       `stxm-phasemap map`'s own mapFile (lib/cli/map.js: the ring current
 *       applied as the file is read, the consumed cube let go and collected
 *       after training); --out writes the result file afterwards
 *   node bench/node/memory-job.mjs info STACK.h5
 *       `stxm-phasemap info` in-process: wall time and the process's peak RSS
 *   node bench/node/memory-job.mjs startup
 *       the same process with h5wasm ready and nothing read (info's floor)
 *   node --expose-gc bench/node/memory-job.mjs read STACK.h5 [--slice]
 *       readStack three times, the best MiB/s of the file's size (--slice: through
 *       Dataset.slice, the reader before issue 16, for comparison)
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const [what, file, refsFile] = process.argv.slice(2);
const t0 = performance.now();
const { nodeH5Runtime } = await import('../../lib/cli/runtime.js');
const rss = () => process.memoryUsage().rss;
const maxRss = () => process.resourceUsage().maxRSS * 1024;
const out = o => console.log(JSON.stringify(o));

if (what === 'startup') {
  await nodeH5Runtime();
  out({ ms: performance.now() - t0, peakRss: maxRss() });
} else if (what === 'info') {
  const { main } = await import('../../lib/cli/main.js');
  let text = '';
  const code = await main(['info', file, '--json'], { out: t => (text += t), err: () => {} });
  out({ ms: performance.now() - t0, peakRss: maxRss(), code, shape: JSON.parse(text).shape });
} else if (what === 'read') {
  const { readStack } = await import('../../lib/core/index.js');
  const rt = await nodeH5Runtime();
  const runtime = process.argv.includes('--slice') ? { File: rt.File, FS: rt.FS } : rt;
  const bytes = statSync(file).size;
  const times = [];
  let cube = 0;
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    const t = performance.now();
    const s = readStack(runtime, resolve(file), basename(file));
    times.push(performance.now() - t);
    cube = s.data.byteLength + (s.control?.byteLength ?? 0);
  }
  const best = Math.min(...times);
  out({ fileBytes: bytes, bytesRead: cube, ms: times, mibPerS: cube / 2 ** 20 / (best / 1000) });
} else if (what === 'map') {
  const { configureNodeWasm } = await import('../../lib/cli/tf-node.js');
  const { mapFile } = await import('../../lib/cli/map.js');
  const { readNxstxmHeader } = await import('../../lib/core/index.js');
  const rt = await nodeH5Runtime();
  configureNodeWasm();
  const header = readNxstxmHeader(rt, resolve(file), basename(file));
  const shape = [header.energies.length, header.y.length, header.x.length];
  const raw = 4 * shape[0] * shape[1] * shape[2];
  new rt.File(resolve(file), 'r').close(); // "just opening the file"
  global.gc?.();
  const baseline = rss();
  let sampled = baseline;
  const timer = setInterval(() => (sampled = Math.max(sampled, rss())), 10);
  const t = performance.now();
  // what `stxm-phasemap map FILE --refs R` runs, defaults and all
  const quiet = { out: () => {}, err: () => {} };
  const { result } = await mapFile(resolve(file), resolve(refsFile), {}, { io: quiet, quiet: true });
  clearInterval(timer);
  const peak = Math.max(sampled, maxRss(), rss());
  const ms = performance.now() - t;
  const outAt = process.argv.indexOf('--out');
  if (outAt > 0) {
    // after the measurement: the result file, for scoring (bench/large-files.mjs)
    const { writeResult } = await import('../../lib/core/io/result-write.js');
    writeResult(rt, resolve(process.argv[outAt + 1]), result, { sourceFile: basename(file) });
  }
  out({
    shape,
    rawBytes: raw,
    baselineRss: baseline,
    peakRss: peak,
    aboveBaseline: peak - baseline,
    ratio: (peak - baseline) / raw,
    ms,
    timings: result.timings,
    particle: result.counts.particle
  });
} else {
  console.error('usage: memory-job.mjs map|info|startup|read …');
  process.exit(2);
}
