/**
 * 'lsq' and 'nnls' (baselines): each pixel's spectrum fitted as a linear
 * combination of the references (aXis2000), the phase of the largest
 * coefficient; 'nnls' keeps the coefficients non-negative. A pixel the fit
 * cannot solve keeps its Pearson label. Every particle pixel is relabelled.
 */
import { fitReferences } from '../baselines/least-squares.js';
import { withoutLatentSpace } from './baseline.js';
import type { MethodInput, MethodResolution, ResolutionMethodModule } from './types.js';

function fitted(input: MethodInput, nonNegative: boolean): MethodResolution {
  const { cube, ne, refs, nRefs, mask, initialPhase } = input;
  const fit = fitReferences(cube, ne, refs, nRefs, mask, nonNegative);
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] && fit.phase[p] < 0) {
      fit.phase[p] = initialPhase[p];
    }
  }
  return withoutLatentSpace(input, fit.phase, fit.confidence);
}

export const lsq: ResolutionMethodModule<'lsq'> = {
  id: 'lsq',
  label: 'linear least-squares fit (aXis2000-style)',
  uses: [],
  trainsModel: false,
  resolveReadsCube: true,
  relabelsAll: true,
  neighbourWeight: () => 0,
  resolve: input => fitted(input, false)
};

export const nnls: ResolutionMethodModule<'nnls'> = {
  id: 'nnls',
  label: 'non-negative least-squares fit',
  uses: [],
  trainsModel: false,
  resolveReadsCube: true,
  relabelsAll: true,
  neighbourWeight: () => 0,
  resolve: input => fitted(input, true)
};
