/**
 * A new ambiguity threshold τ on an existing result: the ambiguity map and
 * the final map follow; correlations are never recomputed, and no model is
 * retrained. For the GMVAE methods the phase distributions are re-estimated
 * from the new set of unambiguous pixels and the ambiguous pixels re-assigned
 * in the latent space already computed. Fast enough to run on every move of
 * a slider (docs/benchmarks.md: 512 × 512 px).
 */
import type { PhaseMapResult } from '../model/result.js';
import { ambiguityMap, marginConfidence } from './ambiguity.js';
import { methodSettings } from './methods.js';
import { resolveInLatentSpace } from './resolve.js';
import { countOnes, phaseFractions } from './summary.js';

export function applyThreshold(result: PhaseMapResult, threshold: number): PhaseMapResult {
  const ambiguous = ambiguityMap(result.margin, threshold);
  const nAmbiguous = countOnes(ambiguous);
  const params = { ...result.params, threshold };
  const settings = methodSettings(result.params.method, result.params);
  if (settings.latent && result.latentDim > 0) {
    const out = resolveInLatentSpace({
      latent: result.latent,
      latentDim: result.latentDim,
      initialPhase: result.initialPhase,
      ambiguous,
      shape: result.shape,
      phases: result.phaseNames.length,
      neighbourWeight: settings.neighbourWeight
    });
    const { fractions, particle } = phaseFractions(out.phase, result.phaseNames.length);
    return {
      ...result,
      threshold,
      ambiguous,
      phase: out.phase,
      phaseGaussians: out.gaussians,
      confidence: out.confidence,
      transition: out.transition,
      falseAssignment: out.falseAssignment,
      unassigned: out.unassigned,
      fractions,
      counts: {
        particle,
        ambiguous: nAmbiguous,
        resolved: out.counts.resolved,
        transition: out.counts.transition,
        falseAssignment: out.counts.falseAssignment,
        unassigned: out.counts.unassigned
      },
      params
    };
  }
  // Pearson-only and the baselines: the map does not depend on τ
  return {
    ...result,
    threshold,
    ambiguous,
    confidence:
      result.params.method === 'pcc'
        ? marginConfidence(result.margin, threshold)
        : result.confidence,
    counts: { ...result.counts, ambiguous: nAmbiguous },
    params
  };
}
