/**
 * Accuracy of a phase map against a simulator's ground truth: overall, on
 * the pixels Pearson found ambiguous, on pure and on mixed (transition-band)
 * pixels, matched by phase name (the engine's phases may be a subset of the
 * sample's).
 */
import type { PhaseMapResult } from '../model/result.js';

export interface AccuracyCounts {
  correct: number;
  total: number;
}

export interface Accuracy {
  /** Truth-particle pixels the engine analysed. */
  overall: AccuracyCounts;
  /** … of which Pearson called ambiguous at the result's τ. */
  ambiguous: AccuracyCounts;
  /** … of which pure (dominant fraction ≥ 0.95). */
  pure: AccuracyCounts;
  /** … of which mixed (dominant fraction < 0.95). */
  mixed: AccuracyCounts;
  /** Truth-particle pixels of a phase the references do not contain. */
  missingPhase: { total: number; flaggedUnassigned: number };
  /** Truth-particle pixels outside the engine's mask. */
  notAnalysed: number;
  /** Engine-mask pixels on the truth's background. */
  falseParticle: number;
  /** Flag quality: transition flag vs mixed truth pixels. */
  transition: { flagged: number; flaggedMixed: number; mixed: number };
  /** False-assignment flags, and how many of them Pearson had indeed got wrong. */
  falseAssignment: { flagged: number; pearsonWrong: number };
}

export interface TruthLike {
  phaseNames: string[];
  /** The truth image's size (needed to place a cropped result) and the frames' energies. */
  config?: { ny: number; nx: number; energies?: number[] };
  /**
   * Frame shifts the simulator applied, px: an aligned result sits in the
   * coordinates of its alignment's reference frame, which moved by these.
   */
  shiftY?: Float64Array;
  shiftX?: Float64Array;
  phase: Int16Array;
  /** (N, y, x) fractions. */
  fractions: Float32Array;
}

export function rate(c: AccuracyCounts): number {
  return c.total > 0 ? c.correct / c.total : Number.NaN;
}

export function evaluateAgainstTruth(
  result: PhaseMapResult,
  truth: TruthLike,
  mapName: 'phase' | 'initialPhase' = 'phase'
): Accuracy {
  const full = result[mapName];
  const npx = truth.phase.length;
  // a cropped result (aligned frames): compare on the truth's grid, outside = not analysed
  const map = uncrop(full, result, truth, npx);
  const flag = (a: Uint8Array): Uint8Array => uncrop(a, result, truth, npx);
  const transitionMap = flag(result.transition);
  const unassignedMap = flag(result.unassigned);
  const ambiguousMap = flag(result.ambiguous);
  const falseMap = flag(result.falseAssignment);
  const initialMap = uncrop(result.initialPhase, result, truth, npx);
  // truth index → result index (−1 when the references lack that phase)
  const toResult = truth.phaseNames.map(n => result.phaseNames.indexOf(n));
  const nTruth = truth.phaseNames.length;
  const acc: Accuracy = {
    overall: { correct: 0, total: 0 },
    ambiguous: { correct: 0, total: 0 },
    pure: { correct: 0, total: 0 },
    mixed: { correct: 0, total: 0 },
    missingPhase: { total: 0, flaggedUnassigned: 0 },
    notAnalysed: 0,
    falseParticle: 0,
    transition: { flagged: 0, flaggedMixed: 0, mixed: 0 },
    falseAssignment: { flagged: 0, pearsonWrong: 0 }
  };
  for (let p = 0; p < npx; p++) {
    const t = truth.phase[p];
    const r = map[p];
    if (t < 0) {
      acc.falseParticle += r >= 0 ? 1 : 0;
      continue;
    }
    if (r < 0) {
      acc.notAnalysed++;
      continue;
    }
    let dominant = 0;
    for (let n = 0; n < nTruth; n++) {
      dominant = Math.max(dominant, truth.fractions[n * npx + p]);
    }
    const isMixed = dominant < 0.95;
    if (isMixed) {
      acc.transition.mixed++;
    }
    if (transitionMap[p]) {
      acc.transition.flagged++;
      acc.transition.flaggedMixed += isMixed ? 1 : 0;
    }
    if (toResult[t] < 0) {
      acc.missingPhase.total++;
      acc.missingPhase.flaggedUnassigned += unassignedMap[p] ? 1 : 0;
      continue;
    }
    if (falseMap[p]) {
      acc.falseAssignment.flagged++;
      acc.falseAssignment.pearsonWrong += initialMap[p] !== toResult[t] ? 1 : 0;
    }
    const ok = r === toResult[t] ? 1 : 0;
    acc.overall.total++;
    acc.overall.correct += ok;
    const group = isMixed ? acc.mixed : acc.pure;
    group.total++;
    group.correct += ok;
    if (ambiguousMap[p]) {
      acc.ambiguous.total++;
      acc.ambiguous.correct += ok;
    }
  }
  return acc;
}

/**
 * A result map on the truth's pixel grid: maps of a cropped result are
 * placed at their crop offset, −1 (or 0 for flags) elsewhere. Binned results
 * are not supported.
 */
function uncrop<T extends Int16Array | Uint8Array>(
  map: T,
  result: PhaseMapResult,
  truth: TruthLike,
  npx: number
): T {
  const [oy, ox] = referenceFrameShift(result, truth);
  if (map.length === npx && oy === 0 && ox === 0) {
    return map;
  }
  const crop = result.crop ?? { y0: 0, y1: result.shape[0], x0: 0, x1: result.shape[1] };
  const [ny, nx] = result.shape;
  const width = truth.config?.nx;
  const height = npx / (width ?? 1);
  if (!width || (result.binning ?? 1) > 1 || map.length !== ny * nx) {
    throw new RangeError(`result has ${map.length} pixels, truth ${npx}`);
  }
  const out = (map instanceof Int16Array ? new Int16Array(npx).fill(-1) : new Uint8Array(npx)) as T;
  for (let y = 0; y < ny; y++) {
    const ty = y + crop.y0 - oy;
    if (ty < 0 || ty >= height) {
      continue;
    }
    for (let x = 0; x < nx; x++) {
      const tx = x + crop.x0 - ox;
      if (tx >= 0 && tx < width) {
        out[ty * width + tx] = map[y * nx + x];
      }
    }
  }
  return out;
}

/**
 * Whole-pixel shift of the frame an aligned result is registered to (the
 * simulator's truth sits in the coordinates of the unshifted first frame).
 */
function referenceFrameShift(result: PhaseMapResult, truth: TruthLike): [number, number] {
  const step = result.provenance.find(s => s.step === 'alignment');
  const ev = step?.details.applied === false ? undefined : step?.details.referenceFrameEv;
  const energies = truth.config?.energies;
  if (typeof ev !== 'number' || !energies || !truth.shiftY || !truth.shiftX) {
    return [0, 0];
  }
  let best = 0;
  energies.forEach((e, i) => {
    if (Math.abs(e - ev) < Math.abs(energies[best] - ev)) {
      best = i;
    }
  });
  return [Math.round(truth.shiftY[best]), Math.round(truth.shiftX[best])];
}
