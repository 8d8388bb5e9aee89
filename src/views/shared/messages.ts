/** Messages more than one view shows. */

/** In place of a map or plot a method without latent space does not produce. */
export const NO_LATENT_MESSAGE =
  'Not produced: this result was made with the Pearson-only method, which has no latent space. ' +
  'Run with the GMVAE method for this map.';
