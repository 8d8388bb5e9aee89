/**
 * 'gmvae-pixel': the paper's per-pixel method. GMVAE on each pixel's spectrum
 * alone; an ambiguous pixel goes to the phase of least Mahalanobis distance.
 */
import { GMVAE_MODEL_PARAMETERS, latentMethod } from './latent.js';

export const gmvaePixel = latentMethod({
  id: 'gmvae-pixel',
  label: 'PCC + GMVAE per pixel (the paper)',
  uses: ['threshold', 'seed', ...GMVAE_MODEL_PARAMETERS],
  neighbourWeight: () => 0
});
