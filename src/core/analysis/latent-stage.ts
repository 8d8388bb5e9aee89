/**
 * The latent stage of the pipeline: pixel features → GMVAE training → latent
 * means of every particle pixel, as a (y, x, L) map. The features are
 * computed on demand (the subsample trained on, then block by block as they
 * are encoded), never as a whole (pixels × dim) matrix.
 *
 * The training code is loaded on first use (dynamic import), and tfjs only
 * when a tfjs backend trains: the page bundle, which imports the core for
 * its types and small helpers, never loads it; the worker bundle (esbuild,
 * one file) and Node load it when a run needs it.
 */
import type { GmvaeParams, ProgressEvent, TrainingSummary } from '../model/result.js';
import { featureRows } from './features.js';

export interface LatentStageResult {
  latent: Float32Array;
  latentDim: number;
  trainingLoss: number[];
  validationLoss: number[];
  training: TrainingSummary;
}

export async function latentStage(
  cube: Float32Array,
  ne: number,
  shape: [number, number],
  mask: Uint8Array,
  phases: number,
  options: {
    gmvae: GmvaeParams;
    context: boolean;
    seed: number;
    onProgress?: (e: ProgressEvent) => void;
    signal?: AbortSignal;
  }
): Promise<LatentStageResult> {
  const { gmvae } = options;
  const [ny, nx] = shape;
  const { useBackend } = await import('./gmvae/backend.js');
  const { encodeAll, trainGmvae } = await import('./gmvae/train.js');
  const { backend, note } = await useBackend(gmvae.backend);
  const features = featureRows(cube, ne, shape, mask, options.context);
  const count = features.pixels.length;
  const modelShape = {
    inputDim: features.dim,
    hidden: gmvae.hidden,
    components: gmvae.components > 0 ? gmvae.components : phases,
    latentDim: gmvae.latentDim
  };
  const trained = await trainGmvae(features, count, {
    shape: modelShape,
    epochs: gmvae.epochs,
    batchSize: gmvae.batchSize,
    learningRate: gmvae.learningRate,
    patience: gmvae.patience,
    maxSamples: gmvae.maxTrainPixels,
    seed: options.seed,
    engine: backend === 'kernel' ? 'kernel' : 'tfjs',
    signal: options.signal,
    onEpoch: (epoch, loss, valLoss) =>
      options.onProgress?.({
        stage: 'train',
        fraction: Math.min(1, (epoch + 1) / gmvae.epochs),
        epoch,
        loss,
        valLoss,
        message: `epoch ${epoch + 1}: loss ${loss.toFixed(4)}, validation ${valLoss.toFixed(4)}`
      })
  });
  const { latent: rows } = await encodeAll(trained, features, count);
  const l = modelShape.latentDim;
  const latent = new Float32Array(ny * nx * l).fill(Number.NaN);
  features.pixels.forEach((p, k) => latent.set(rows.subarray(k * l, (k + 1) * l), p * l));
  return {
    latent,
    latentDim: l,
    trainingLoss: trained.trainingLoss,
    validationLoss: trained.validationLoss,
    training: {
      backend,
      ...(note ? { backendNote: note } : {}),
      features: options.context ? 'pixel+neighbours' : 'pixel',
      inputDim: modelShape.inputDim,
      components: modelShape.components,
      hidden: modelShape.hidden,
      epochs: trained.trainingLoss.length,
      bestEpoch: trained.bestEpoch,
      trainSamples: trained.trainSamples,
      validationSamples: trained.validationSamples,
      samplesPerSecond: Math.round(trained.samplesPerSecond)
    }
  };
}
