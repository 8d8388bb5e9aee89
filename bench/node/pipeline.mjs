#!/usr/bin/env node
/**
 * The whole pipeline in Node, file → final map, as `stxm-phasemap map` runs
 * it: read the NXstxm file (h5wasm), parse the references, runPipeline
 * (I0, OD, mask, Pearson, ambiguity, GMVAE training on the default
 * subsample, encoding, resolution, flags). Wall time from opening the file to
 * the result, per-stage times from the result, and memory: the process's
 * peak RSS (getrusage) against its RSS before the file was opened. Prints
 * one JSON line.
 *
 *   node bench/node/pipeline.mjs STACK.h5 REFS.csv [--method gmvae] [--backend kernel|wasm|cpu]
 *
 * (the backend defaults to the engine's own default)
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { collectGarbage, nodeH5Runtime } from '../../lib/cli/runtime.js';
import { configureNodeWasm } from '../../lib/cli/tf-node.js';
import { DEFAULT_GMVAE, readStack, runPipeline } from '../../lib/core/index.js';
import { parseReferenceCsv } from '../../lib/core/io/references-csv.js';
import { mib } from '../common.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    method: { type: 'string', default: 'gmvae' },
    backend: { type: 'string', default: DEFAULT_GMVAE.backend }
  }
});
if (positionals.length !== 2) {
  console.error('usage: node bench/node/pipeline.mjs STACK.h5 REFS.csv [--method M]');
  process.exit(2);
}
const [file, refsFile] = positionals;
const runtime = await nodeH5Runtime();
configureNodeWasm();
global.gc?.();
const rssBefore = process.memoryUsage().rss;
let peakSampled = rssBefore;
const sampler = setInterval(
  () => (peakSampled = Math.max(peakSampled, process.memoryUsage().rss)),
  20
);

const t0 = performance.now();
const references = parseReferenceCsv(readFileSync(refsFile, 'utf8'), basename(refsFile));
// as `map` reads it: the ring current applied as the cube is read (the defaults normalise by it)
const stack = readStack(runtime, resolve(file), basename(file), { applyRingCurrent: true });
const readMs = performance.now() - t0;
const rawBytes = stack.data.byteLength; // (the run lets the cube go)
const result = await runPipeline(
  stack,
  references,
  { method: values.method, gmvae: { backend: values.backend } },
  // as `map` runs it: the cube consumed, let go after training and collected
  { consumeInput: true, released: collectGarbage }
);
const totalMs = performance.now() - t0;
clearInterval(sampler);
const maxRss = process.resourceUsage().maxRSS * 1024;
const [ne] = [stack.energies.length];
const [ny, nx] = result.shape;
console.log(
  JSON.stringify({
    runtime: `Node ${process.version}`,
    file: basename(file),
    shape: [ne, ny, nx],
    rawBytes,
    method: values.method,
    totalMs: Math.round(totalMs),
    readMs: Math.round(readMs),
    stagesMs: Object.fromEntries(
      Object.entries(result.timings).map(([k, v]) => [k, Math.round(v)])
    ),
    particlePixels: result.counts.particle,
    ambiguousPixels: result.counts.ambiguous,
    samplesPerSecond: result.training?.samplesPerSecond ?? null,
    rssBeforeMiB: mib(rssBefore),
    peakRssMiB: mib(Math.max(maxRss, peakSampled)),
    peakAboveBaselineMiB: mib(Math.max(maxRss, peakSampled) - rssBefore),
    rawMiB: mib(rawBytes)
  })
);
