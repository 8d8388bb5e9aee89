/**
 * Helpers the benchmarks share, in Node and in the Chromium bench worker
 * (esbuild bundles this file there): the median, the benchmarks' random data
 * (from the engine's own seeded generator), and the docs section writer.
 */
import { Rng } from '../lib/core/simulate/rng.js';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A random (E, npx) float32 cube in [0.5, 1.5) and N × E references. */
export function randomCube(ne, npx, nRefs, seed = 7) {
  const rng = new Rng(seed);
  const cube = new Float32Array(ne * npx);
  for (let i = 0; i < cube.length; i++) {
    cube[i] = 0.5 + rng.uniform();
  }
  const refs = Float64Array.from({ length: nRefs * ne }, () => rng.uniform());
  return { cube, refs };
}

/**
 * `count` samples of dimension `dim` from `k` Gaussian clusters (unit-scale
 * centres, σ = 0.1): data a GMVAE can fit, so training runs its normal course.
 */
export function clusteredFeatures(count, dim, k, seed = 3) {
  const rng = new Rng(seed);
  const centres = Float32Array.from({ length: k * dim }, () => rng.normal());
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const c = i % k;
    for (let d = 0; d < dim; d++) {
      out[i * dim + d] = centres[c * dim + d] + 0.1 * rng.normal();
    }
  }
  return out;
}

export function mib(bytes) {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

/**
 * `text` with the part between the `begin` and `end` marker lines replaced
 * by `section`; throws when a marker is missing.
 */
export function replaceMarkedSection(text, begin, end, section, file) {
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    throw new Error(`${file} lacks the markers ${begin} … ${end}`);
  }
  return text.slice(0, i + begin.length) + '\n' + section + '\n' + text.slice(j);
}
