/**
 * Pearson correlation of every particle pixel's spectrum with every reference:
 * `ρn(i, j) = pearson(s(i, j), rn)`, the argmax phase map and the margin
 * between the best and second-best correlation (the ambiguity test is then a
 * comparison with τ that never recomputes correlations).
 *
 * One pass over the cube in its (E, y, x) order, in blocks of pixels that
 * stay in cache; references are centred and normalised once, so each pixel
 * needs only its sum, sum of squares and N dot products. Two implementations
 * of that pass: the wasm SIMD kernel (pearson-wasm.ts, f32 lanes on spectra
 * shifted by their first value), used wherever WebAssembly SIMD exists, and
 * the TypeScript loop below (float64 accumulators), the fallback and the
 * reference the kernel is tested against. They agree to ~1e-6.
 */
import type { PearsonMaps } from './pearson-maps.js';
import { pearsonKernel, pearsonWithKernel } from './pearson-wasm.js';

export type { PearsonMaps } from './pearson-maps.js';

const BLOCK = 2048;

/** Which implementation computes the maps: `auto` = the wasm kernel where it runs. */
export type PearsonKernelChoice = 'auto' | 'wasm' | 'js';

/** The implementation `auto` picks in this runtime. */
export function pearsonImplementation(): 'wasm' | 'js' {
  return pearsonKernel() ? 'wasm' : 'js';
}

/**
 * @param cube float32 (E, y, x), C order
 * @param ne number of energies
 * @param refs N × E reference values (row-major)
 * @param mask (y, x), 1 = analyse; `undefined` = every pixel
 * @param use `js` forces the TypeScript loop; `wasm` fails where the kernel cannot run
 */
export function pearsonMaps(
  cube: Float32Array,
  ne: number,
  refs: Float64Array,
  nRefs: number,
  mask?: Uint8Array,
  use: PearsonKernelChoice = 'auto'
): PearsonMaps {
  if (ne < 3) {
    throw new RangeError(`Pearson correlation needs at least 3 energies, the stack has ${ne}`);
  }
  if (refs.length !== nRefs * ne) {
    throw new RangeError(`references hold ${refs.length} values, ${nRefs} × ${ne} expected`);
  }
  const npx = cube.length / ne;
  if (!Number.isInteger(npx)) {
    throw new RangeError(`the cube holds ${cube.length} values, not a multiple of ${ne} energies`);
  }
  if (mask && mask.length !== npx) {
    throw new RangeError(`the mask has ${mask.length} pixels, the cube ${npx}`);
  }
  const rhat = centredUnitRows(refs, nRefs, ne);
  const kernel = use === 'js' ? null : pearsonKernel();
  if (use === 'wasm' && !kernel) {
    throw new Error('the wasm Pearson kernel cannot run here (WebAssembly SIMD is missing)');
  }
  if (kernel) {
    return pearsonWithKernel(kernel, cube, ne, rhat, nRefs, mask);
  }
  const pcc = new Float32Array(nRefs * npx).fill(Number.NaN);
  const initialPhase = new Int16Array(npx).fill(-1);
  const margin = new Float32Array(npx).fill(Number.NaN);

  const sum = new Float64Array(BLOCK);
  const sumSq = new Float64Array(BLOCK);
  const dots = new Float64Array(nRefs * BLOCK);
  for (let p0 = 0; p0 < npx; p0 += BLOCK) {
    const len = Math.min(BLOCK, npx - p0);
    sum.fill(0, 0, len);
    sumSq.fill(0, 0, len);
    dots.fill(0);
    for (let e = 0; e < ne; e++) {
      const row = e * npx + p0;
      for (let n = 0; n < nRefs; n++) {
        const r = rhat[n * ne + e];
        const d = n * BLOCK;
        for (let k = 0; k < len; k++) {
          dots[d + k] += cube[row + k] * r;
        }
      }
      for (let k = 0; k < len; k++) {
        const v = cube[row + k];
        sum[k] += v;
        sumSq[k] += v * v;
      }
    }
    for (let k = 0; k < len; k++) {
      const p = p0 + k;
      if (mask && mask[p] === 0) {
        continue;
      }
      const varSum = sumSq[k] - (sum[k] * sum[k]) / ne;
      if (!(varSum > 0) || !Number.isFinite(varSum)) {
        continue; // flat or non-finite spectrum: no correlation
      }
      const inv = 1 / Math.sqrt(varSum);
      let best = -1;
      let bestV = Number.NEGATIVE_INFINITY;
      let secondV = Number.NEGATIVE_INFINITY;
      for (let n = 0; n < nRefs; n++) {
        const v = dots[n * BLOCK + k] * inv;
        pcc[n * npx + p] = v;
        if (v > bestV) {
          secondV = bestV;
          bestV = v;
          best = n;
        } else if (v > secondV) {
          secondV = v;
        }
      }
      initialPhase[p] = best;
      margin[p] = nRefs > 1 ? bestV - secondV : Number.POSITIVE_INFINITY;
    }
  }
  return { pcc, initialPhase, margin };
}

/** Rows centred to zero mean and scaled to unit norm; a flat row is an error. */
function centredUnitRows(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let n = 0; n < rows; n++) {
    let mean = 0;
    for (let e = 0; e < cols; e++) {
      mean += values[n * cols + e];
    }
    mean /= cols;
    let norm = 0;
    for (let e = 0; e < cols; e++) {
      const v = values[n * cols + e] - mean;
      out[n * cols + e] = v;
      norm += v * v;
    }
    if (!(norm > 0)) {
      throw new RangeError(
        `reference ${n + 1} is flat at the stack's energies: no correlation is defined`
      );
    }
    const inv = 1 / Math.sqrt(norm);
    for (let e = 0; e < cols; e++) {
      out[n * cols + e] *= inv;
    }
  }
  return out;
}
