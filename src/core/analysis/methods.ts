/**
 * What each resolution method does, in one place: the pipeline, the threshold
 * slider and the benchmarks read it from here.
 */
import type { PipelineParams, ResolutionMethod } from '../model/result.js';

/**
 * Default β of the neighbourhood term (method 'gmvae'): a phase agreed by k
 * of the 8 neighbours gains k·β against ½D². Chosen on a tuning set of
 * simulated stacks disjoint from the benchmark's (docs/benchmarks.md).
 */
export const DEFAULT_NEIGHBOUR_WEIGHT = 2.0;

export interface MethodSettings {
  /** Trains a GMVAE and resolves ambiguous pixels in its latent space. */
  latent: boolean;
  /**
   * The model's input includes the neighbours' mean spectrum. Off for every
   * method: on the tuning set it made ambiguous pixels at fronts and grain
   * boundaries worse (their neighbourhood mixes two phases); the
   * neighbourhood term of the resolution uses the context better
   * (docs/benchmarks.md). Kept for the benchmark's ablation.
   */
  context: boolean;
  /** β of the neighbourhood term in the resolution (0 = per-pixel rule). */
  neighbourWeight: number;
  /** Relabels every particle pixel (baselines) instead of only the ambiguous ones. */
  relabelsAll: boolean;
}

export function methodSettings(method: ResolutionMethod, params?: PipelineParams): MethodSettings {
  switch (method) {
    case 'gmvae':
      return {
        latent: true,
        context: false,
        neighbourWeight: params?.gmvae.neighbourWeight ?? DEFAULT_NEIGHBOUR_WEIGHT,
        relabelsAll: false
      };
    case 'gmvae-pixel':
      return { latent: true, context: false, neighbourWeight: 0, relabelsAll: false };
    case 'pcc':
      return { latent: false, context: false, neighbourWeight: 0, relabelsAll: false };
    case 'pca-kmeans':
    case 'lsq':
    case 'nnls':
      return { latent: false, context: false, neighbourWeight: 0, relabelsAll: true };
    default:
      throw new RangeError(`unknown resolution method "${String(method)}"`);
  }
}

/** Human description of a method, for provenance, the CLI and the docs. */
export const METHOD_LABELS: Record<ResolutionMethod, string> = {
  gmvae: 'PCC + GMVAE with spatial context',
  'gmvae-pixel': 'PCC + GMVAE per pixel (the paper)',
  pcc: 'PCC argmax only',
  'pca-kmeans': 'PCA + k-means (MANTiS-style)',
  lsq: 'linear least-squares fit (aXis2000-style)',
  nnls: 'non-negative least-squares fit'
};
