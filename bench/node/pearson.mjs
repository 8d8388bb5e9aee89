#!/usr/bin/env node
/**
 * Pearson + ambiguity in Node: pearsonMaps (wasm SIMD kernel, and the
 * TypeScript loop it replaced) + ambiguityMap on a random (E, npx) float32
 * cube with N random references, against two plain passes over the same
 * memory in the same process: a JS loop summing every value (what any
 * one-pass JS algorithm must at least do) and a copy (Float32Array.set, the
 * runtime's memcpy). Prints one JSON line; times are medians in ms.
 *
 *   node bench/node/pearson.mjs [--pixels 1000000] [--energies 20] [--refs 5] [--repeats 5]
 */
import { parseArgs } from 'node:util';

import { ambiguityMap } from '../../lib/core/analysis/ambiguity.js';
import { pearsonImplementation, pearsonMaps } from '../../lib/core/analysis/pearson.js';
import { median, randomCube } from '../common.mjs';

const { values } = parseArgs({
  options: {
    pixels: { type: 'string', default: '1000000' },
    energies: { type: 'string', default: '20' },
    refs: { type: 'string', default: '5' },
    repeats: { type: 'string', default: '5' },
    'skip-js': { type: 'boolean', default: false }
  }
});
const npx = Number(values.pixels);
const ne = Number(values.energies);
const nRefs = Number(values.refs);
const repeats = Number(values.repeats);
const { cube, refs } = randomCube(ne, npx, nRefs);

function time(fn) {
  fn(); // warm-up (JIT, wasm tier-up, page faults of the outputs)
  const ms = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return { median: median(ms), runs: ms.map(v => Math.round(v * 10) / 10) };
}

let sink = 0;
const out = {
  runtime: `Node ${process.version}`,
  pixels: npx,
  energies: ne,
  references: nRefs,
  implementation: pearsonImplementation(),
  wasm: time(() => {
    const m = pearsonMaps(cube, ne, refs, nRefs, undefined, 'wasm');
    sink += ambiguityMap(m.margin, 0.005)[0];
  }),
  js: values['skip-js']
    ? null
    : time(() => {
        const m = pearsonMaps(cube, ne, refs, nRefs, undefined, 'js');
        sink += ambiguityMap(m.margin, 0.005)[0];
      }),
  sumPass: time(() => {
    let s = 0;
    for (let i = 0; i < cube.length; i++) {
      s += cube[i];
    }
    sink += s;
  }),
  copyPass: (() => {
    const dst = new Float32Array(cube.length);
    return time(() => dst.set(cube));
  })()
};
out.sink = Number.isFinite(sink) ? 0 : 1;
console.log(JSON.stringify(out));
