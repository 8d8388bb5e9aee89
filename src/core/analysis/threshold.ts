/**
 * A new ambiguity threshold τ on an existing result: the ambiguity map and
 * the final map follow; correlations are never recomputed, and no model is
 * retrained. For the GMVAE methods the phase distributions are re-estimated
 * from the new set of unambiguous pixels and the ambiguous pixels re-assigned
 * in the latent space already computed. Fast enough to run on every move of
 * a slider (docs/benchmarks.md: 512 × 512 px).
 */
import type { PhaseMapResult } from '../model/result.js';
import { ambiguityMap } from './ambiguity.js';
import { withCountWarnings } from './fit-warnings.js';
import { resolutionMethod } from './methods/index.js';
import { resolveInSteps } from './resolve.js';
import { countOnes, phaseFractions } from './summary.js';

export function applyThreshold(result: PhaseMapResult, threshold: number): PhaseMapResult {
  return thresholdInSteps(result, threshold).finish();
}

/**
 * A move of τ in two steps, so that a slider answers at once: `preview` has
 * the new ambiguity map, final map, fractions and phase distributions, but
 * still the previous τ's confidence, flags and flag counts (the same arrays);
 * `finish()` gives the complete result (reusing the preview's arrays). For
 * methods without a latent model, both are the complete result.
 */
export interface ThresholdSteps {
  preview: PhaseMapResult;
  /** True when `finish()` has work left (confidence and flags of a latent method). */
  pending: boolean;
  finish(): PhaseMapResult;
}

export function thresholdInSteps(result: PhaseMapResult, threshold: number): ThresholdSteps {
  const ambiguous = ambiguityMap(result.margin, threshold);
  const nAmbiguous = countOnes(ambiguous);
  const params = { ...result.params, threshold };
  const method = resolutionMethod(result.params.method);
  if (method.trainsModel && result.latentDim > 0) {
    const steps = resolveInSteps({
      latent: result.latent,
      latentDim: result.latentDim,
      initialPhase: result.initialPhase,
      ambiguous,
      shape: result.shape,
      phases: result.phaseNames.length,
      neighbourWeight: method.neighbourWeight(result.params)
    });
    const { fractions, particle } = phaseFractions(steps.phase, result.phaseNames.length);
    const preview: PhaseMapResult = {
      ...result,
      threshold,
      ambiguous,
      phase: steps.phase,
      phaseGaussians: steps.gaussians,
      fractions,
      counts: { ...result.counts, particle, ambiguous: nAmbiguous, resolved: steps.resolved },
      params
    };
    preview.warnings = withCountWarnings(preview);
    let complete: PhaseMapResult | null = null;
    const finish = (): PhaseMapResult => {
      if (!complete) {
        const out = steps.finish();
        complete = {
          ...preview,
          confidence: out.confidence,
          transition: out.transition,
          falseAssignment: out.falseAssignment,
          unassigned: out.unassigned,
          counts: {
            particle,
            ambiguous: nAmbiguous,
            resolved: out.counts.resolved,
            transition: out.counts.transition,
            falseAssignment: out.counts.falseAssignment,
            unassigned: out.counts.unassigned
          }
        };
        complete.warnings = withCountWarnings(complete);
      }
      return complete;
    };
    return { preview, pending: true, finish };
  }
  // Pearson-only and the baselines: the map does not depend on τ (the
  // confidence may: the method says how)
  const complete: PhaseMapResult = {
    ...result,
    threshold,
    ambiguous,
    confidence: method.confidenceAt
      ? method.confidenceAt(result.margin, threshold)
      : result.confidence,
    counts: { ...result.counts, ambiguous: nAmbiguous },
    params
  };
  complete.warnings = withCountWarnings(complete);
  return { preview: complete, pending: false, finish: () => complete };
}
