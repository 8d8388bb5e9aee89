/**
 * Contrast limits for display: the 1st and 99th percentiles of the finite
 * values, so a few hot or dead pixels do not wash the image out.
 */
export function percentileLimits(values: Float32Array, lo = 0.01, hi = 0.99): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) {
    return [0, 1];
  }
  finite.sort();
  const at = (q: number): number =>
    finite[Math.min(finite.length - 1, Math.max(0, Math.round(q * (finite.length - 1))))];
  const a = at(lo);
  const b = at(hi);
  return a < b ? [a, b] : [a - 0.5, a + 0.5];
}
