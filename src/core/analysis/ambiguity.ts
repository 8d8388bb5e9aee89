/**
 * The ambiguity map: a pixel is ambiguous when its best and second-best
 * correlations differ by at most τ (paper: τ = 0.005). Works on the margin
 * map alone, so a new τ never recomputes correlations.
 */
export function ambiguityMap(
  margin: Float32Array,
  threshold: number,
  out?: Uint8Array
): Uint8Array {
  if (!(threshold >= 0)) {
    throw new RangeError(`the ambiguity threshold must be ≥ 0, got ${threshold}`);
  }
  const amb = out ?? new Uint8Array(margin.length);
  for (let p = 0; p < margin.length; p++) {
    // NaN (background) compares false: never ambiguous
    amb[p] = margin[p] <= threshold ? 1 : 0;
  }
  return amb;
}

/**
 * Confidence of a Pearson-argmax label from its margin: 1 − ½·exp(−margin/τ)
 * (0.5 at a tie, ≈0.82 at the threshold, → 1 for a clear winner); NaN outside.
 */
export function marginConfidence(margin: Float32Array, threshold: number): Float32Array {
  const out = new Float32Array(margin.length);
  const scale = threshold > 0 ? threshold : 1e-6;
  for (let p = 0; p < margin.length; p++) {
    const m = margin[p];
    out[p] = Number.isNaN(m) ? Number.NaN : 1 - 0.5 * Math.exp(-Math.max(0, m) / scale);
  }
  return out;
}
