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
  const map = result[mapName];
  const npx = truth.phase.length;
  if (map.length !== npx) {
    throw new RangeError(`result has ${map.length} pixels, truth ${npx}`);
  }
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
    if (result.transition[p]) {
      acc.transition.flagged++;
      acc.transition.flaggedMixed += isMixed ? 1 : 0;
    }
    if (toResult[t] < 0) {
      acc.missingPhase.total++;
      acc.missingPhase.flaggedUnassigned += result.unassigned[p] ? 1 : 0;
      continue;
    }
    if (result.falseAssignment[p]) {
      acc.falseAssignment.flagged++;
      acc.falseAssignment.pearsonWrong += result.initialPhase[p] !== toResult[t] ? 1 : 0;
    }
    const ok = r === toResult[t] ? 1 : 0;
    acc.overall.total++;
    acc.overall.correct += ok;
    const group = isMixed ? acc.mixed : acc.pure;
    group.total++;
    group.correct += ok;
    if (result.ambiguous[p]) {
      acc.ambiguous.total++;
      acc.ambiguous.correct += ok;
    }
  }
  return acc;
}
