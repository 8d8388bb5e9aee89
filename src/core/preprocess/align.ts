/**
 * Frame alignment: every frame is registered to a reference by phase
 * correlation (sub-pixel), twice — first to the frame of highest contrast,
 * then to the mean of the frames so aligned (a reference that resembles every
 * energy) — and shifted back by its displacement, cropped to the area every
 * frame covers (see shift.ts).
 *
 * `measureDrift` registers only (on frames binned to at most 256 px a side,
 * on a sub-pixel grid as many times finer, so it is cheap on every stack and
 * its shifts are in full-resolution pixels): the automatic alignment decides
 * from it, and moves the frames by its shifts.
 */
import { binCube } from './bin.js';
import { PreprocessError } from './errors.js';
import { Arena, PhaseCorrelator } from './register.js';
import { selectInPlace } from './select.js';
import { commonArea, shiftFrame, type CropBox, type Interpolation } from './shift.js';

export interface AlignResult {
  /** Aligned cube, cropped: (ne, box.y1 − box.y0, box.x1 − box.x0). */
  data: Float32Array;
  box: CropBox;
  /** Shift applied to each frame, px (content moved by +dx, +dy). */
  dx: Float64Array;
  dy: Float64Array;
  /** Correlation peak per frame with the final reference, 0…1. */
  peaks: Float64Array;
  /** The frame the first pass aligned to. */
  reference: number;
  interpolation: Interpolation;
  upsample: number;
  maxShiftPx: number;
}

/** How frames are aligned (FFT phase correlation, sub-pixel). */
export interface AlignmentParams {
  /** Frame every other frame is aligned to; 'auto' = the frame of highest contrast. */
  reference?: number | 'auto';
  /** Largest shift accepted, in pixels (default: a quarter of the smaller image side). */
  maxShiftPx?: number | 'auto';
  /** How shifted frames are resampled (default 'linear': no overshoot at edges). */
  interpolation?: Interpolation;
  /** Sub-pixel grid of the correlation peak is 1/upsample px, refined by a parabola (default 10). */
  upsample?: number;
}

/** The registration of every frame, without moving any. */
export interface Registration {
  /** Shift each frame needs, px (content moved by +dx, +dy), relative to `reference`. */
  dx: Float64Array;
  dy: Float64Array;
  /** Correlation peak per frame with the final reference, 0…1. */
  peaks: Float64Array;
  reference: number;
  upsample: number;
  maxShiftPx: number;
  /** Frames were binned by this factor to be registered (1 = full resolution). */
  binning: number;
  /**
   * Frames whose shift comes from the particle's outline: their value
   * registration disagreed with it by more than 1 px (chemical contrast).
   */
  outlineFrames: number[];
}

export const DEFAULT_UPSAMPLE = 10;
const LOW_PASS = 0.15;
/** `measureDrift` registers frames binned to at most this many pixels a side. */
const MEASURE_SIDE = 256;

/** Largest shift (px) of any frame relative to any other. */
export function largestDrift(r: Pick<Registration, 'dx' | 'dy'>): number {
  let m = 0;
  for (let a = 0; a < r.dx.length; a++) {
    for (let b = a + 1; b < r.dx.length; b++) {
      m = Math.max(m, Math.hypot(r.dx[a] - r.dx[b], r.dy[a] - r.dy[b]));
    }
  }
  return m;
}

/**
 * The frames' drift, registered on frames binned to at most 256 px a side
 * (at full resolution for smaller frames, where the registration can be used
 * as it is to align). Shifts are in full-resolution pixels.
 */
export function measureDrift(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  params: AlignmentParams = {},
  file = 'stack',
  spare?: ArrayBuffer
): Registration {
  const b = Math.max(1, Math.ceil(Math.max(ny, nx) / MEASURE_SIDE));
  if (b === 1 || Math.floor(ny / b) < 8 || Math.floor(nx / b) < 8) {
    return registerFrames(cube, ne, ny, nx, params, file, spare);
  }
  const zeros = (n: number): Float64Array => new Float64Array(n);
  const binned = binCube(cube, ne, ny, nx, zeros(ny), zeros(nx), b);
  const maxShift =
    params.maxShiftPx === undefined || params.maxShiftPx === 'auto'
      ? undefined
      : params.maxShiftPx / b;
  // a b-times finer sub-pixel grid: the same precision in full-resolution pixels
  const upsample = (params.upsample ?? DEFAULT_UPSAMPLE) * b;
  const r = registerFrames(
    binned.data,
    ne,
    binned.ny,
    binned.nx,
    { ...params, maxShiftPx: maxShift, upsample },
    file
  );
  return {
    ...r,
    dx: r.dx.map(v => v * b),
    dy: r.dy.map(v => v * b),
    maxShiftPx: r.maxShiftPx * b,
    binning: b
  };
}

export function alignFrames(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  params: AlignmentParams = {},
  file = 'stack'
): AlignResult {
  return applyRegistration(
    cube,
    ne,
    ny,
    nx,
    registerFrames(cube, ne, ny, nx, params, file),
    params,
    file
  );
}

/**
 * Move every frame by its registered shift and crop to the area every frame
 * covers. With `inPlace` the aligned frames are written into `cube` itself
 * (the result is a view of its first ne·h·w values): each frame is read
 * whole before its cropped, shifted copy is written, at an offset no later
 * than its own, so no frame is overwritten before it is read.
 */
export function applyRegistration(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  reg: Registration,
  params: AlignmentParams = {},
  file = 'stack',
  inPlace = false
): AlignResult {
  const npx = ny * nx;
  const frameOf = (e: number): Float32Array => cube.subarray(e * npx, (e + 1) * npx);
  const interpolation = params.interpolation ?? 'linear';
  const { dx, dy } = reg;
  const box = commonArea(ny, nx, dy, dx, interpolation);
  if (!box) {
    throw new PreprocessError(
      file,
      'the alignment shifts leave no area that every frame covers (frames too far apart?)'
    );
  }
  const h = box.y1 - box.y0;
  const w = box.x1 - box.x0;
  const data = inPlace ? cube.subarray(0, ne * h * w) : new Float32Array(ne * h * w);
  const scratch = {};
  for (let e = 0; e < ne; e++) {
    shiftFrame(
      frameOf(e),
      nx,
      dy[e],
      dx[e],
      box,
      interpolation,
      data.subarray(e * h * w, (e + 1) * h * w),
      scratch
    );
  }
  return {
    data,
    box,
    dx,
    dy,
    peaks: reg.peaks,
    reference: reg.reference,
    interpolation,
    upsample: reg.upsample,
    maxShiftPx: reg.maxShiftPx
  };
}

/**
 * Register every frame (two passes, see the top of this file). The work
 * buffers are carved out of `spare` (a buffer nothing else uses any more)
 * while it has room.
 */
export function registerFrames(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  params: AlignmentParams = {},
  file = 'stack',
  spare?: ArrayBuffer
): Registration {
  const arena = new Arena(spare);
  const npx = ny * nx;
  const frameOf = (e: number): Float32Array => cube.subarray(e * npx, (e + 1) * npx);
  const upsample = params.upsample ?? DEFAULT_UPSAMPLE;
  const maxShiftPx =
    params.maxShiftPx === undefined || params.maxShiftPx === 'auto'
      ? Math.max(1, Math.floor(Math.min(ny, nx) / 4))
      : params.maxShiftPx;
  if (ny < 8 || nx < 8) {
    throw new PreprocessError(file, `a ${ny} × ${nx} image is too small to align (needs ≥ 8 × 8)`);
  }
  if (!(upsample >= 1 && upsample <= 1000) || !(maxShiftPx >= 0)) {
    throw new PreprocessError(
      file,
      `alignment parameters out of range (upsample ${upsample}, maxShiftPx ${maxShiftPx})`
    );
  }
  let reference: number;
  if (params.reference === undefined || params.reference === 'auto') {
    reference = highestContrast(cube, ne, npx);
  } else if (Number.isInteger(params.reference) && params.reference >= 0 && params.reference < ne) {
    reference = params.reference;
  } else {
    throw new PreprocessError(
      file,
      `alignment reference frame ${String(params.reference)} is outside 0…${ne - 1}`
    );
  }

  const corr = new PhaseCorrelator(ny, nx, { maxShiftPx, upsample, lowPass: LOW_PASS }, arena);
  const values = twoPass(corr, frameOf, ne, ny, nx, reference);
  // the particle's outline does not change with energy; its chemical contrast does, and a
  // frame whose contrast differs most from the reference can lock onto the wrong edge
  const outline = silhouetteFrames(cube, npx);
  const shape = twoPass(corr, outline, ne, ny, nx, reference);
  const dx = new Float64Array(ne);
  const dy = new Float64Array(ne);
  const outlineFrames: number[] = [];
  for (let e = 0; e < ne; e++) {
    const apart = Math.hypot(values.dx[e] - shape.dx[e], values.dy[e] - shape.dy[e]);
    const byOutline = apart > OUTLINE_TOLERANCE_PX;
    dx[e] = byOutline ? shape.dx[e] : values.dx[e];
    dy[e] = byOutline ? shape.dy[e] : values.dy[e];
    if (byOutline) {
      outlineFrames.push(e);
    }
  }
  return {
    dx,
    dy,
    peaks: values.peaks,
    reference,
    upsample,
    maxShiftPx,
    binning: 1,
    outlineFrames
  };
}

/**
 * Two passes of phase correlation: to the reference frame, then to the mean
 * of the frames moved back by their whole-pixel displacement. Shifts are
 * relative to the reference (the content moves by +dx, +dy). Each frame
 * `frameOf` returns is used before the next is asked for.
 */
function twoPass(
  corr: PhaseCorrelator,
  frameOf: (e: number) => ArrayLike<number>,
  ne: number,
  ny: number,
  nx: number,
  reference: number
): { dx: Float64Array; dy: Float64Array; peaks: Float64Array } {
  const npx = ny * nx;
  // spectra are recomputed in each pass rather than kept: one FFT is cheaper than 16 MiB per frame
  const refSpectrum = corr.referenceSpectrum(frameOf(reference));
  // pass 1: to the reference frame
  const d1 = Array.from({ length: ne }, (_, e) =>
    e === reference ? { dy: 0, dx: 0, peak: 1 } : corr.registerFrame(refSpectrum, frameOf(e))
  );
  // pass 2: to the mean of the frames moved back by their whole-pixel displacement
  const { mean, count } = corr.meanScratch();
  for (let e = 0; e < ne; e++) {
    const f = frameOf(e);
    const oy = Math.round(d1[e].dy);
    const ox = Math.round(d1[e].dx);
    for (let y = 0; y < ny; y++) {
      const sy = y + oy;
      if (sy < 0 || sy >= ny) {
        continue;
      }
      for (let x = 0; x < nx; x++) {
        const sx = x + ox;
        const v = sx >= 0 && sx < nx ? f[sy * nx + sx] : Number.NaN;
        if (Number.isFinite(v)) {
          mean[y * nx + x] += v;
          count[y * nx + x]++;
        }
      }
    }
  }
  for (let p = 0; p < npx; p++) {
    mean[p] = count[p] > 0 ? mean[p] / count[p] : Number.NaN;
  }
  const meanSpectrum = corr.referenceSpectrum(mean); // replaces refSpectrum, used no more
  const d2 = Array.from({ length: ne }, (_, e) => corr.registerFrame(meanSpectrum, frameOf(e)));
  const dy = Float64Array.from(d2, d => -(d.dy - d2[reference].dy));
  const dx = Float64Array.from(d2, d => -(d.dx - d2[reference].dx));
  const peaks = Float64Array.from(d2, d => d.peak);
  return { dx, dy, peaks };
}

/** Shifts of the value and outline registrations further apart than this: the outline's is used. */
const OUTLINE_TOLERANCE_PX = 1;

/**
 * Each frame's particle outline: 0 on the background, 1 from a tenth of the
 * way between the background (5th percentile) and the particle's top (95th)
 * on, a ramp in between (a soft, sub-pixel edge); NaN stays NaN. Computed
 * frame by frame when asked for, into one buffer: the frame returned is valid
 * until the next call (twoPass uses each at once), so the outlines never take
 * a cube of memory.
 */
function silhouetteFrames(cube: Float32Array, npx: number): (e: number) => Float32Array {
  const out = new Float32Array(npx);
  const sample = new Float64Array(Math.min(npx, 65_536));
  const stride = Math.max(1, Math.floor(npx / sample.length));
  // each frame's levels, found once (both registration passes ask for every frame)
  const levels = new Map<number, { lo: number; inv: number }>();
  const levelsOf = (e: number): { lo: number; inv: number } => {
    let k = 0;
    for (let p = e * npx; p < (e + 1) * npx && k < sample.length; p += stride) {
      if (Number.isFinite(cube[p])) {
        sample[k++] = cube[p];
      }
    }
    // the 5th and 95th percentiles by selection (the same order statistics a sort gives)
    const values = sample.subarray(0, k);
    const lo = k ? selectInPlace(values, Math.floor(0.05 * (k - 1))) : 0;
    const hi = k ? selectInPlace(values, Math.floor(0.95 * (k - 1))) : 1;
    const t = lo + OUTLINE_LEVEL * (hi - lo);
    return { lo, inv: t > lo ? 1 / (t - lo) : 0 };
  };
  return (e: number): Float32Array => {
    let found = levels.get(e);
    if (!found) {
      found = levelsOf(e);
      levels.set(e, found);
    }
    const { lo, inv } = found;
    for (let p = e * npx, q = 0; q < npx; p++, q++) {
      const v = cube[p];
      out[q] = Number.isFinite(v) ? Math.min(1, Math.max(0, (v - lo) * inv)) : Number.NaN;
    }
    return out;
  };
}

/** Where the outline saturates, as a fraction of the way from the background to the particle's top. */
const OUTLINE_LEVEL = 0.1;

/** The frame with the largest variance of its finite values. */
function highestContrast(cube: Float32Array, ne: number, npx: number): number {
  let best = 0;
  let bestVar = -1;
  for (let e = 0; e < ne; e++) {
    let s = 0;
    let s2 = 0;
    let n = 0;
    for (let p = e * npx; p < (e + 1) * npx; p++) {
      const v = cube[p];
      if (Number.isFinite(v)) {
        s += v;
        s2 += v * v;
        n++;
      }
    }
    const variance = n > 1 ? s2 / n - (s / n) ** 2 : 0;
    if (variance > bestVar) {
      bestVar = variance;
      best = e;
    }
  }
  return best;
}
