/**
 * Global energy calibration against the references: the shift (added to the
 * reference energies) that maximises the mean, over the particle's pixels,
 * of each pixel's best Pearson correlation with a reference. A grid search
 * over ±range eV, refined by a parabola through the best grid point.
 */
import { ReferenceSetError, resampleReferences, type ReferenceSet } from '../model/references.js';
import { PreprocessError } from './errors.js';

export interface EnergyShiftOptions {
  /** Shifts tried span ±rangeEv (default 2 eV). */
  rangeEv?: number;
  /** Grid step (default 0.05 eV). */
  stepEv?: number;
  /** Particle pixels used, evenly sampled (default 4000). */
  maxPixels?: number;
}

export interface EnergyShiftResult {
  shiftEv: number;
  /** Mean best correlation at that shift, and without a shift. */
  meanCorrelation: number;
  meanCorrelationAtZero: number;
  /** Shifts tried (those where the references cover every stack energy). */
  tried: number;
  pixels: number;
}

export function estimateEnergyShift(
  od: Float32Array,
  energies: Float64Array,
  mask: Uint8Array,
  references: ReferenceSet,
  options: EnergyShiftOptions = {},
  file = 'stack'
): EnergyShiftResult {
  const ne = energies.length;
  const npx = mask.length;
  const range = options.rangeEv ?? 2;
  const step = options.stepEv ?? 0.05;
  const maxPixels = options.maxPixels ?? 4000;
  if (ne < 3) {
    throw new PreprocessError(file, `energy calibration needs ≥ 3 energies, the stack has ${ne}`);
  }
  if (!(range > 0) || !(step > 0) || range / step > 10_000) {
    throw new PreprocessError(
      file,
      `energy shift search ±${range} eV in ${step} eV steps is out of range`
    );
  }
  // normalised spectra of (a sample of) the particle's pixels
  const candidates: number[] = [];
  for (let p = 0; p < npx; p++) {
    if (mask[p]) {
      candidates.push(p);
    }
  }
  const stride = Math.max(1, Math.ceil(candidates.length / maxPixels));
  const pixels: Float64Array[] = [];
  for (let i = 0; i < candidates.length; i += stride) {
    const p = candidates[i];
    const s = Float64Array.from({ length: ne }, (_, e) => od[e * npx + p]);
    const z = normalise(s);
    if (z) {
      pixels.push(z);
    }
  }
  if (pixels.length === 0) {
    throw new PreprocessError(file, 'energy calibration needs particle pixels (the mask is empty)');
  }
  const score = (shift: number): number | undefined => {
    let refs: Float64Array[];
    try {
      const r = resampleReferences(references, energies, shift);
      refs = r.names.map(
        (_, n) => normalise(r.values.subarray(n * ne, (n + 1) * ne)) ?? new Float64Array(ne)
      );
    } catch (err) {
      if (err instanceof ReferenceSetError) {
        return undefined;
      }
      throw err;
    }
    let total = 0;
    for (const px of pixels) {
      let best = -1;
      for (const r of refs) {
        let d = 0;
        for (let e = 0; e < ne; e++) {
          d += px[e] * r[e];
        }
        best = Math.max(best, d);
      }
      total += best;
    }
    return total / pixels.length;
  };
  const n = Math.round(range / step);
  const shifts: number[] = [];
  const scores: (number | undefined)[] = [];
  for (let i = -n; i <= n; i++) {
    shifts.push(i * step);
    scores.push(score(i * step));
  }
  let best = -1;
  scores.forEach((s, i) => {
    if (s !== undefined && (best < 0 || s > (scores[best] as number))) {
      best = i;
    }
  });
  if (best < 0) {
    // say why: the references do not cover the stack's energies even unshifted
    try {
      resampleReferences(references, energies, 0);
    } catch (err) {
      throw new PreprocessError(file, `energy calibration impossible: ${(err as Error).message}`);
    }
    throw new PreprocessError(file, 'energy calibration found no usable shift');
  }
  let shiftEv = shifts[best];
  let bestScore = scores[best] as number;
  const l = scores[best - 1];
  const r = scores[best + 1];
  if (l !== undefined && r !== undefined) {
    const d = l - 2 * bestScore + r;
    if (d < 0) {
      const refined = shiftEv + Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / d)) * step;
      const s = score(refined);
      if (s !== undefined && s >= bestScore) {
        shiftEv = refined;
        bestScore = s;
      }
    }
  }
  return {
    shiftEv: Number(shiftEv.toFixed(6)),
    meanCorrelation: bestScore,
    meanCorrelationAtZero: scores[n] ?? Number.NaN,
    tried: scores.filter(s => s !== undefined).length,
    pixels: pixels.length
  };
}

/** Centred, unit-norm copy; `undefined` when constant or not finite. */
function normalise(s: ArrayLike<number>): Float64Array | undefined {
  const ne = s.length;
  let mean = 0;
  for (let e = 0; e < ne; e++) {
    if (!Number.isFinite(s[e])) {
      return undefined;
    }
    mean += s[e];
  }
  mean /= ne;
  const out = new Float64Array(ne);
  let norm = 0;
  for (let e = 0; e < ne; e++) {
    out[e] = s[e] - mean;
    norm += out[e] * out[e];
  }
  if (!(norm > 0)) {
    return undefined;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let e = 0; e < ne; e++) {
    out[e] *= inv;
  }
  return out;
}
