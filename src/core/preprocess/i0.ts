/**
 * The incident intensity I0(E), three ways:
 *
 * - `auto`: from the empty background, found in the histogram of each pixel's
 *   brightness (its counts relative to the brightest pixels of each frame,
 *   averaged over energies). Otsu's threshold separates sample from background;
 *   the background's histogram peak and its upper half-width (which no
 *   sample pixel widens) select the pixels within 3σ of it. I0 per energy is
 *   their median.
 * - `roi`: the mean of a user-chosen rectangle.
 * - `spectrum`: a measured I0 (an I0 file, an empty-area scan), on the stack's
 *   energies or interpolated from its own, scaled to the stack's dwell and
 *   ring current.
 */
import type { PreprocessParams } from '../model/result.js';
import type { Stack } from '../model/stack.js';
import { PreprocessError } from './errors.js';
import { otsuThreshold } from './otsu.js';
import { medianInPlace, selectInPlace } from './select.js';

export interface I0Result {
  values: Float64Array;
  /** Pixels I0 was taken from (0 for a spectrum). */
  pixels: number;
  /** Details for the provenance. */
  details: Record<string, string | number | boolean | number[] | null>;
}

/** Value at quantile q of the finite values (sampled to at most 100 000 values). */
function quantile(values: ArrayLike<number>, q: number, from = 0, to = values.length): number {
  const n = to - from;
  const stride = Math.max(1, Math.floor(n / 100_000));
  const sample = new Float64Array(Math.ceil(n / stride));
  let k = 0;
  for (let i = from; i < to; i += stride) {
    const v = values[i];
    if (Number.isFinite(v)) {
      sample[k++] = v;
    }
  }
  if (k === 0) {
    return Number.NaN;
  }
  return selectInPlace(sample.subarray(0, k), Math.min(k - 1, Math.floor(q * k)));
}

/** `value(p)` for each p < n with `keep(p)`, in order, in a typed array of their count. */
function collect<T extends Float64Array | Uint32Array>(
  n: number,
  keep: (p: number) => boolean,
  value: (p: number) => number,
  Ctor: new (length: number) => T
): T {
  let count = 0;
  for (let p = 0; p < n; p++) {
    if (keep(p)) {
      count++;
    }
  }
  const out = new Ctor(count);
  let k = 0;
  for (let p = 0; p < n; p++) {
    if (keep(p)) {
      out[k++] = value(p);
    }
  }
  return out;
}

export function autoI0(counts: Float32Array, ne: number, npx: number, file: string): I0Result {
  // brightness of each pixel relative to each frame's bright end, median over energies
  const scale = Float64Array.from({ length: ne }, (_, e) =>
    quantile(counts, 0.99, e * npx, (e + 1) * npx)
  );
  const t = new Float64Array(npx);
  const n = new Uint16Array(npx);
  for (let e = 0; e < ne; e++) {
    if (!(scale[e] > 0)) {
      continue;
    }
    const inv = 1 / scale[e];
    for (let p = 0; p < npx; p++) {
      const v = counts[e * npx + p];
      if (v === v) {
        t[p] += v * inv;
        n[p]++;
      }
    }
  }
  for (let p = 0; p < npx; p++) {
    t[p] = n[p] > 0 ? t[p] / n[p] : Number.NaN;
  }
  const split = otsuThreshold(t);
  let lo = Number.isFinite(split) ? split : Number.NEGATIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < npx; p++) {
    if (Number.isFinite(t[p])) {
      hi = Math.max(hi, t[p]);
    }
  }
  if (!Number.isFinite(hi)) {
    throw new PreprocessError(file, 'no finite counts to take I0 from');
  }
  if (!(hi > lo)) {
    lo = Number.NEGATIVE_INFINITY; // a uniform field: all of it is background
  }
  // histogram of the bright class: its peak (mode) and upper half-width
  // typed arrays, not number lists: at 1024² these are a million values each
  const bright = collect(
    npx,
    p => t[p] >= lo,
    p => t[p],
    Float64Array
  );
  let lower: number;
  let upper: number;
  let mode: number;
  if (bright.length > 0 && Number.isFinite(lo)) {
    const bins = Math.max(8, Math.min(256, Math.round(Math.sqrt(bright.length))));
    const width = (hi - lo) / bins || 1;
    const hist = new Float64Array(bins);
    for (const v of bright) {
      hist[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
    }
    let top = 0;
    for (let b = 1; b < bins; b++) {
      if (hist[b] > hist[top]) {
        top = b;
      }
    }
    mode = lo + (top + 0.5) * width;
    let s2 = 0;
    let n = 0;
    for (const v of bright) {
      if (v >= mode) {
        s2 += (v - mode) ** 2;
        n++;
      }
    }
    const sigma = Math.max(n > 0 ? Math.sqrt(s2 / n) : 0, width);
    lower = Math.max(lo, mode - 3 * sigma);
    upper = mode + 3 * sigma;
  } else {
    mode = Number.NaN;
    lower = Number.NEGATIVE_INFINITY;
    upper = Number.POSITIVE_INFINITY;
  }
  const pixels = collect(
    npx,
    p => t[p] >= lower && t[p] <= upper,
    p => p,
    Uint32Array
  );
  const minPixels = Math.max(4, Math.ceil(0.001 * npx));
  if (pixels.length < minPixels) {
    throw new PreprocessError(
      file,
      `no empty background to take I0 from (${pixels.length} bright pixels): choose an I0 region or give an I0 spectrum`
    );
  }
  // per energy, the median of (an even sample of at most 200 000 of) those pixels
  const stride = Math.max(1, Math.floor(pixels.length / 200_000));
  const values = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    const v = new Float64Array(Math.ceil(pixels.length / stride));
    let k = 0;
    for (let i = 0; i < pixels.length; i += stride) {
      const c = counts[e * npx + pixels[i]];
      if (Number.isFinite(c)) {
        v[k++] = c;
      }
    }
    values[e] = medianInPlace(v.subarray(0, k));
  }
  return {
    values,
    pixels: pixels.length,
    details: {
      mode: 'auto',
      method: 'bright-pixel histogram (Otsu split, background peak ± 3σ)',
      pixels: pixels.length,
      backgroundFraction: round(pixels.length / npx)
    }
  };
}

export function roiI0(
  counts: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  roi: { y0: number; y1: number; x0: number; x1: number },
  file: string
): I0Result {
  const { y0, y1, x0, x1 } = roi;
  const ok =
    [y0, y1, x0, x1].every(Number.isInteger) &&
    y0 >= 0 &&
    x0 >= 0 &&
    y1 <= ny &&
    x1 <= nx &&
    y1 > y0 &&
    x1 > x0;
  if (!ok) {
    throw new PreprocessError(
      file,
      `the I0 region rows ${y0}–${y1}, columns ${x0}–${x1} is not inside the ${ny} × ${nx} image (rows y0 ≤ y < y1, columns x0 ≤ x < x1)`
    );
  }
  const values = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    let sum = 0;
    let n = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const c = counts[(e * ny + y) * nx + x];
        if (Number.isFinite(c)) {
          sum += c;
          n++;
        }
      }
    }
    values[e] = n > 0 ? sum / n : Number.NaN;
  }
  const pixels = (y1 - y0) * (x1 - x0);
  return { values, pixels, details: { mode: 'roi', rows: [y0, y1], columns: [x0, x1], pixels } };
}

type SpectrumI0 = Extract<PreprocessParams['i0'], { mode: 'spectrum' }>;

/**
 * A measured I0 at the stack's energies, scaled to the stack's conditions:
 * × (stack dwell / I0 dwell) and × (stack ring current / I0 ring current)
 * when both are known.
 */
export function spectrumI0(
  i0: SpectrumI0,
  energies: Float64Array,
  conditions: { dwellMs?: number; ringCurrentMa?: number },
  file: string
): I0Result {
  const src = i0.source ?? 'the I0 spectrum';
  const ne = energies.length;
  const values = new Float64Array(ne);
  if (!Array.isArray(i0.values) || i0.values.some(v => typeof v !== 'number')) {
    throw new PreprocessError(file, `${src}: I0 values must be numbers`);
  }
  if (i0.energies) {
    const ex = i0.energies;
    if (ex.length !== i0.values.length || ex.length < 2) {
      throw new PreprocessError(
        file,
        `${src}: ${ex.length} I0 energies for ${i0.values.length} values (needs ≥ 2 of each)`
      );
    }
    const order = ex.map((_, i) => i).sort((a, b) => ex[a] - ex[b]);
    const xs = order.map(i => ex[i]);
    const ys = order.map(i => i0.values[i]);
    for (let e = 0; e < ne; e++) {
      const x = energies[e];
      if (!(x >= xs[0] - 1e-6 && x <= xs[xs.length - 1] + 1e-6)) {
        throw new PreprocessError(
          file,
          `${src} covers ${xs[0]}–${xs[xs.length - 1]} eV, but the stack has an energy at ${x} eV`
        );
      }
      let j = 0;
      while (j < xs.length - 2 && xs[j + 1] < x) {
        j++;
      }
      const t =
        xs[j + 1] === xs[j] ? 0 : Math.min(1, Math.max(0, (x - xs[j]) / (xs[j + 1] - xs[j])));
      values[e] = ys[j] * (1 - t) + ys[j + 1] * t;
    }
  } else {
    if (i0.values.length !== ne) {
      throw new PreprocessError(
        file,
        `${src} has ${i0.values.length} values for ${ne} energies (give its energies to interpolate)`
      );
    }
    values.set(i0.values);
  }
  let factor = 1;
  if (i0.dwellMs !== undefined && conditions.dwellMs !== undefined && i0.dwellMs > 0) {
    factor *= conditions.dwellMs / i0.dwellMs;
  }
  if (
    i0.ringCurrentMa !== undefined &&
    conditions.ringCurrentMa !== undefined &&
    i0.ringCurrentMa > 0
  ) {
    factor *= conditions.ringCurrentMa / i0.ringCurrentMa;
  }
  for (let e = 0; e < ne; e++) {
    values[e] *= factor;
  }
  return {
    values,
    pixels: 0,
    details: { mode: 'spectrum', source: src, scale: round(factor) }
  };
}

/**
 * An I0 spectrum from a scan of an empty area (an image stack, an image or
 * point spectra): the mean counts of each frame, with the scan's dwell and
 * ring current, ready for `PreprocessParams.i0`.
 */
export function i0SpectrumFromStack(stack: Stack): SpectrumI0 {
  const ne = stack.energies.length;
  const npx = stack.data.length / ne;
  const values: number[] = [];
  for (let e = 0; e < ne; e++) {
    let s = 0;
    let n = 0;
    for (let p = e * npx; p < (e + 1) * npx; p++) {
      if (Number.isFinite(stack.data[p])) {
        s += stack.data[p];
        n++;
      }
    }
    values.push(n > 0 ? s / n : Number.NaN);
  }
  let ring: number | undefined;
  if (stack.control) {
    let s = 0;
    let n = 0;
    for (const c of stack.control) {
      if (c > 0 && Number.isFinite(c)) {
        s += c;
        n++;
      }
    }
    ring = n > 0 ? s / n : undefined;
  }
  const dwell = stack.metadata.dwellMs;
  return {
    mode: 'spectrum',
    values,
    energies: Array.from(stack.energies),
    dwellMs:
      dwell && dwell.length > 0 ? dwell.reduce((a, b) => a + b, 0) / dwell.length : undefined,
    ringCurrentMa: ring,
    source: stack.source.file
  };
}

function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}
