/**
 * What the two GMVAE methods share: the pipeline's 'train' stage fits the
 * model, and the ambiguous pixels are assigned in its latent space by
 * Mahalanobis distance, with or without the neighbourhood term.
 */
import type { ResolutionMethod } from '../../model/params.js';
import { resolveInLatentSpace } from '../resolve.js';
import type { ResolutionMethodModule } from './types.js';

/** Every GMVAE parameter: the model, its training and its engine. */
export const GMVAE_MODEL_PARAMETERS = [
  'gmvae.latentDim',
  'gmvae.components',
  'gmvae.hidden',
  'gmvae.epochs',
  'gmvae.batchSize',
  'gmvae.learningRate',
  'gmvae.patience',
  'gmvae.maxTrainPixels',
  'gmvae.backend'
] as const;

export function latentMethod<M extends ResolutionMethod>(
  method: Pick<ResolutionMethodModule<M>, 'id' | 'label' | 'uses' | 'neighbourWeight'>
): ResolutionMethodModule<M> {
  return {
    ...method,
    trainsModel: true,
    resolveReadsCube: false,
    relabelsAll: false,
    context: false,
    resolve(input, model) {
      if (!model) {
        throw new Error(`method ${method.id}: the resolution needs the trained model`);
      }
      const out = resolveInLatentSpace({
        latent: model.latent,
        latentDim: model.latentDim,
        initialPhase: input.initialPhase,
        ambiguous: input.ambiguous,
        shape: input.shape,
        phases: input.nRefs,
        neighbourWeight: method.neighbourWeight(input.params)
      });
      return { ...out, latent: model.latent, latentDim: model.latentDim };
    }
  };
}
