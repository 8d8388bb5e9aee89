/**
 * Warnings that follow from the fit itself (model/warnings.ts): how well the
 * references describe the particle, how much of it is ambiguous, how much of
 * it lies far from every phase. The first depends on the correlations only;
 * the others follow τ (threshold.ts recomputes them on every move).
 */
import type { PhaseMapResult } from '../model/result.js';
import { WARNING_LIMITS, percent, type RunWarning } from '../model/warnings.js';
import { medianInPlace } from '../preprocess/select.js';

/** Median over the particle of each pixel's best correlation; NaN without particle pixels. */
export function medianBestCorrelation(pcc: Float32Array, nRefs: number, mask: Uint8Array): number {
  const npx = mask.length;
  const best = new Float64Array(npx);
  let n = 0;
  for (let p = 0; p < npx; p++) {
    if (!mask[p]) {
      continue;
    }
    let b = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < nRefs; k++) {
      const v = pcc[k * npx + p];
      if (v > b) {
        b = v;
      }
    }
    if (Number.isFinite(b)) {
      best[n++] = b;
    }
  }
  return n > 0 ? medianInPlace(best.subarray(0, n)) : Number.NaN;
}

export function correlationWarnings(median: number): RunWarning[] {
  return median < WARNING_LIMITS.lowCorrelation
    ? [
        {
          code: 'low-correlation',
          level: 'warning',
          message: `median best correlation ${median.toFixed(2)}: the references may not describe this sample (or its spectra are noisy)`
        }
      ]
    : [];
}

/** The warnings that follow τ: the ambiguous share and the pixels far from every phase. */
export function countWarnings(
  counts: PhaseMapResult['counts'],
  threshold: number,
  latent: boolean
): RunWarning[] {
  const out: RunWarning[] = [];
  if (counts.particle > 0) {
    const amb = counts.ambiguous / counts.particle;
    if (amb >= WARNING_LIMITS.ambiguousFraction) {
      out.push({
        code: 'ambiguous',
        level: 'warning',
        message: `${percent(amb)} of the particle is ambiguous at τ = ${threshold}${latent ? '' : ' (and left at its Pearson argmax)'}`
      });
    }
    const far = counts.unassigned / counts.particle;
    if (far >= WARNING_LIMITS.unassignedFraction) {
      out.push({
        code: 'unassigned',
        level: 'warning',
        message: `${percent(far)} of the particle is far from every reference phase: a phase may be missing from the references`
      });
    }
  }
  return out;
}

/** The result's warnings with those that follow τ brought up to date. */
export function withCountWarnings(result: PhaseMapResult): RunWarning[] {
  return [
    ...result.warnings.filter(w => w.code !== 'ambiguous' && w.code !== 'unassigned'),
    ...countWarnings(
      result.counts,
      result.threshold,
      result.latentDim > 0 && result.params.method.startsWith('gmvae')
    )
  ];
}
