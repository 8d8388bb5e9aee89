/**
 * Normalisation of raw counts, in place: by the ring current (`control`,
 * per pixel) relative to its mean, and by the dwell time per energy relative
 * to the median dwell. Both leave counts in the units of a typical pixel.
 */

export interface RingCurrentResult {
  meanCurrent: number;
  /** Pixels whose current was missing, zero or negative (left unnormalised). */
  skipped: number;
}

export function normaliseRingCurrent(
  counts: Float32Array,
  control: Float32Array
): RingCurrentResult {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < control.length; i++) {
    const c = control[i];
    if (c > 0 && Number.isFinite(c)) {
      sum += c;
      n++;
    }
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  let skipped = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = control[i];
    if (c > 0 && Number.isFinite(c)) {
      counts[i] = (counts[i] * mean) / c;
    } else {
      skipped++;
    }
  }
  return { meanCurrent: mean, skipped };
}

/** Scale each frame to the median dwell; `undefined` when the dwell is the same everywhere. */
export function normaliseDwell(
  counts: Float32Array,
  dwellMs: number[],
  npx: number
): { referenceMs: number } | undefined {
  const ne = counts.length / npx;
  if (dwellMs.length !== ne || dwellMs.some(d => !(d > 0) || !Number.isFinite(d))) {
    return undefined;
  }
  if (dwellMs.every(d => d === dwellMs[0])) {
    return undefined;
  }
  const sorted = [...dwellMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const ref = sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  for (let e = 0; e < ne; e++) {
    const f = ref / dwellMs[e];
    for (let p = e * npx; p < (e + 1) * npx; p++) {
      counts[p] *= f;
    }
  }
  return { referenceMs: ref };
}
