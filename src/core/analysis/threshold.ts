/**
 * A new ambiguity threshold τ on an existing result: the ambiguity map and
 * the final map follow; correlations are never recomputed. Fast enough to run
 * on every move of a slider.
 */
import type { PhaseMapResult } from '../model/result.js';
import { ambiguityMap } from './ambiguity.js';

export function applyThreshold(result: PhaseMapResult, threshold: number): PhaseMapResult {
  const ambiguous = ambiguityMap(result.margin, threshold);
  let nAmbiguous = 0;
  for (let p = 0; p < ambiguous.length; p++) {
    nAmbiguous += ambiguous[p];
  }
  if (result.params.method !== 'pcc') {
    throw new Error(`re-resolution for "${result.params.method}" is not available yet`);
  }
  return {
    ...result,
    threshold,
    ambiguous,
    counts: { ...result.counts, ambiguous: nAmbiguous },
    params: { ...result.params, threshold }
  };
}
