/**
 * 'gmvae' (the default): GMVAE latent space with spatial context. The model
 * sees each pixel's spectrum; ambiguous pixels are assigned by Mahalanobis
 * distance plus a neighbourhood term (iterated conditional modes, resolve.ts).
 */
import { GMVAE_MODEL_PARAMETERS, latentMethod } from './latent.js';

/**
 * Default β of the neighbourhood term: a phase agreed by k of the 8
 * neighbours gains k·β against ½D². Chosen on a tuning set of simulated
 * stacks disjoint from the benchmark's (docs/benchmarks.md).
 */
export const DEFAULT_NEIGHBOUR_WEIGHT = 2.0;

export const gmvae = latentMethod({
  id: 'gmvae',
  label: 'PCC + GMVAE with spatial context',
  uses: ['threshold', 'seed', ...GMVAE_MODEL_PARAMETERS, 'gmvae.neighbourWeight'],
  neighbourWeight: params => params?.gmvae.neighbourWeight ?? DEFAULT_NEIGHBOUR_WEIGHT
});
