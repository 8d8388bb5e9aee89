/**
 * 'pca-kmeans' (baseline): PCA + k-means cluster analysis of the particle's
 * spectra, each cluster named by its best-correlated reference (MANTiS).
 * Every particle pixel is relabelled; the PCA scores are its latent space.
 */
import { pcaKmeans } from '../baselines/pca-kmeans.js';
import { maskedPixels } from '../features.js';
import { withoutLatentSpace } from './baseline.js';
import type { ResolutionMethodModule } from './types.js';

export const pcaKmeansMethod: ResolutionMethodModule<'pca-kmeans'> = {
  id: 'pca-kmeans',
  label: 'PCA + k-means (MANTiS-style)',
  uses: ['seed'],
  trainsModel: false,
  resolveReadsCube: true,
  relabelsAll: true,
  neighbourWeight: () => 0,
  resolve(input) {
    const { cube, ne, mask, refs, nRefs, params } = input;
    const km = pcaKmeans(cube, ne, maskedPixels(mask), mask.length, refs, nRefs, params.seed);
    return withoutLatentSpace(input, km.phase, km.confidence, {
      latent: km.scores,
      latentDim: km.components
    });
  }
};
