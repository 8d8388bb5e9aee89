/**
 * Otsu's threshold over the finite values of an array (256-bin histogram):
 * the value that maximises the between-class variance.
 */
export function otsuThreshold(values: ArrayLike<number>, bins = 256): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi > lo)) {
    return Number.isFinite(lo) ? lo : Number.NaN;
  }
  const hist = new Float64Array(bins);
  const scale = bins / (hi - lo);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      hist[Math.min(bins - 1, Math.floor((v - lo) * scale))]++;
      total++;
    }
  }
  let sumAll = 0;
  for (let b = 0; b < bins; b++) {
    sumAll += b * hist[b];
  }
  let w0 = 0;
  let sum0 = 0;
  let best = -1;
  let bestBin = 0;
  for (let b = 0; b < bins - 1; b++) {
    w0 += hist[b];
    sum0 += b * hist[b];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) {
      continue;
    }
    const m0 = sum0 / w0;
    const m1 = (sumAll - sum0) / w1;
    const between = w0 * w1 * (m0 - m1) ** 2;
    if (between > best) {
      best = between;
      bestBin = b;
    }
  }
  return lo + (bestBin + 1) / scale;
}
