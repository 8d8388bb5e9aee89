/**
 * 'pcc': Pearson argmax only. Ambiguous pixels keep their argmax phase; the
 * confidence is the margin between the two best correlations against τ.
 */
import { marginConfidence } from '../ambiguity.js';
import { withoutLatentSpace } from './baseline.js';
import type { ResolutionMethodModule } from './types.js';

export const pcc: ResolutionMethodModule<'pcc'> = {
  id: 'pcc',
  label: 'PCC argmax only',
  uses: ['threshold'],
  trainsModel: false,
  resolveReadsCube: false,
  relabelsAll: false,
  neighbourWeight: () => 0,
  resolve: input =>
    withoutLatentSpace(
      input,
      input.initialPhase.slice(),
      marginConfidence(input.margin, input.params.threshold)
    ),
  confidenceAt: (margin, threshold) => marginConfidence(margin, threshold)
};
