/**
 * From raw counts to optical density: I0, `OD = -ln(I / I0)`, ring-current
 * normalisation and the particle mask. (Alignment, energy calibration and
 * binning live beside this file and are called from here.)
 */
import type { PreparedStack } from '../model/prepared.js';
import type { PreprocessParams, ProvenanceStep } from '../model/result.js';
import { DEFAULT_PREPROCESS } from '../model/result.js';
import { stackShape, type Stack } from '../model/stack.js';
import { otsuThreshold } from './otsu.js';

/** Pre-processing problems that make a stack unusable, with the file's name. */
export class PreprocessError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'PreprocessError';
  }
}

/** Smallest count used in the logarithm: zero counts give a large but finite OD. */
const MIN_COUNTS = 0.5;

export function prepareStack(
  stack: Stack,
  params: PreprocessParams = DEFAULT_PREPROCESS
): PreparedStack {
  const [ne, ny, nx] = stackShape(stack);
  const npx = ny * nx;
  const provenance: ProvenanceStep[] = [];
  const file = stack.source.file;

  if (stack.metadata.quantity === 'optical density') {
    const od = stack.data;
    const mask = particleMask(od, ne, npx, params);
    provenance.push({ step: 'input', details: { quantity: 'optical density' } });
    provenance.push(maskStep(params, mask.threshold, mask.count));
    return {
      stack,
      mask: mask.mask,
      i0: new Float64Array(ne).fill(Number.NaN),
      shifts: { dx: new Float64Array(ne), dy: new Float64Array(ne) },
      energyShiftEv: params.energyShiftEv,
      provenance
    };
  }

  // Counts, normalised by the ring current relative to its mean.
  const counts = new Float32Array(stack.data);
  if (params.ringCurrent && stack.control) {
    const ctl = stack.control;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < ctl.length; i++) {
      if (ctl[i] > 0 && Number.isFinite(ctl[i])) {
        sum += ctl[i];
        n++;
      }
    }
    const mean = n > 0 ? sum / n : 1;
    for (let i = 0; i < counts.length; i++) {
      const c = ctl[i];
      counts[i] = c > 0 && Number.isFinite(c) ? (counts[i] * mean) / c : counts[i];
    }
    provenance.push({ step: 'ring current', details: { meanCurrent: round(mean) } });
  }

  const i0 =
    params.i0.mode === 'auto' ? autoI0(counts, ne, npx) : roiI0(counts, ne, ny, nx, params.i0);
  for (let e = 0; e < ne; e++) {
    if (!(i0.values[e] > 0)) {
      throw new PreprocessError(
        file,
        `I0 at ${stack.energies[e]} eV is ${i0.values[e]}: the background carries no counts (all-zero or NaN frame?)`
      );
    }
  }
  provenance.push({
    step: 'I0',
    details: {
      mode: params.i0.mode,
      pixels: i0.pixels,
      i0: Array.from(i0.values, round)
    }
  });

  const od = new Float32Array(ne * npx);
  for (let e = 0; e < ne; e++) {
    const inv = 1 / i0.values[e];
    for (let p = 0; p < npx; p++) {
      const c = counts[e * npx + p];
      od[e * npx + p] = Number.isNaN(c) ? Number.NaN : -Math.log(Math.max(c, MIN_COUNTS) * inv);
    }
  }
  provenance.push({
    step: 'optical density',
    details: { formula: '-ln(I/I0)', minCounts: MIN_COUNTS }
  });

  const mask = particleMask(od, ne, npx, params);
  provenance.push(maskStep(params, mask.threshold, mask.count));
  return {
    stack: {
      ...stack,
      data: od,
      control: undefined,
      metadata: { ...stack.metadata, quantity: 'optical density' }
    },
    mask: mask.mask,
    i0: i0.values,
    shifts: { dx: new Float64Array(ne), dy: new Float64Array(ne) },
    energyShiftEv: params.energyShiftEv,
    provenance
  };
}

/**
 * I0 from the empty background: the pixels whose summed counts lie within 5 %
 * of the brightest (99th percentile) pixel; per energy, their median.
 */
function autoI0(
  counts: Float32Array,
  ne: number,
  npx: number
): { values: Float64Array; pixels: number } {
  const total = new Float64Array(npx);
  for (let e = 0; e < ne; e++) {
    for (let p = 0; p < npx; p++) {
      const c = counts[e * npx + p];
      total[p] += Number.isFinite(c) ? c : 0;
    }
  }
  const sorted = Float64Array.from(total).sort();
  const top = sorted[Math.min(npx - 1, Math.floor(0.99 * npx))];
  const pixels: number[] = [];
  for (let p = 0; p < npx; p++) {
    if (total[p] >= 0.95 * top) {
      pixels.push(p);
    }
  }
  const values = new Float64Array(ne);
  const buf = new Float64Array(pixels.length);
  for (let e = 0; e < ne; e++) {
    let n = 0;
    for (const p of pixels) {
      const c = counts[e * npx + p];
      if (Number.isFinite(c)) {
        buf[n++] = c;
      }
    }
    values[e] = n > 0 ? median(buf.subarray(0, n)) : Number.NaN;
  }
  return { values, pixels: pixels.length };
}

function roiI0(
  counts: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  roi: { y0: number; y1: number; x0: number; x1: number }
): { values: Float64Array; pixels: number } {
  const y0 = Math.max(0, Math.floor(roi.y0));
  const y1 = Math.min(ny, Math.ceil(roi.y1));
  const x0 = Math.max(0, Math.floor(roi.x0));
  const x1 = Math.min(nx, Math.ceil(roi.x1));
  const values = new Float64Array(ne);
  let pixels = 0;
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
    pixels = n;
  }
  return { values, pixels };
}

function particleMask(
  od: Float32Array,
  ne: number,
  npx: number,
  params: PreprocessParams
): { mask: Uint8Array; threshold: number; count: number } {
  const mean = new Float32Array(npx);
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
    mean[p] = n === ne ? s / n : Number.NaN; // a pixel with a NaN energy is not analysed
  }
  const threshold = params.mask.mode === 'otsu' ? otsuThreshold(mean) : params.mask.od;
  const mask = new Uint8Array(npx);
  let count = 0;
  for (let p = 0; p < npx; p++) {
    if (mean[p] > threshold) {
      mask[p] = 1;
      count++;
    }
  }
  return { mask, threshold, count };
}

function maskStep(params: PreprocessParams, threshold: number, count: number): ProvenanceStep {
  return {
    step: 'particle mask',
    details: { mode: params.mask.mode, meanOdThreshold: round(threshold), pixels: count }
  };
}

function median(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}
