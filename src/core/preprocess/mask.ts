/**
 * The particle mask: pixels whose mean optical density (over every energy)
 * is above Otsu's threshold, or above a user threshold. A pixel with a NaN at
 * any energy is never in the mask.
 */
import type { PreprocessParams } from '../model/result.js';
import { otsuThreshold } from './otsu.js';

export interface MaskResult {
  mask: Uint8Array;
  threshold: number;
  count: number;
  /** Pixels left out because a value is NaN. */
  incomplete: number;
}

export function particleMask(
  od: Float32Array,
  ne: number,
  npx: number,
  mode: PreprocessParams['mask']
): MaskResult {
  const mean = new Float32Array(npx);
  let incomplete = 0;
  for (let p = 0; p < npx; p++) {
    let s = 0;
    let n = 0;
    for (let e = 0; e < ne; e++) {
      const v = od[e * npx + p];
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    mean[p] = n === ne ? s / n : Number.NaN;
    if (n !== ne) {
      incomplete++;
    }
  }
  const threshold = mode.mode === 'otsu' ? otsuThreshold(mean) : mode.od;
  const mask = new Uint8Array(npx);
  let count = 0;
  for (let p = 0; p < npx; p++) {
    if (mean[p] > threshold) {
      mask[p] = 1;
      count++;
    }
  }
  return { mask, threshold, count, incomplete };
}
