/**
 * Training of the GMVAE on particle-pixel features: a seeded train/validation
 * split (and subsample), shuffled mini-batches, Adam, early stopping on the
 * validation loss with the best weights restored, progress per epoch and
 * cancellation between batches. Same seed, same backend → bit-identical
 * weights and latents.
 */
import * as tf from './tf.js';

import { Rng, shuffleInPlace } from '../../simulate/rng.js';
import { CancelledError } from '../cancel.js';
import { initWeights, latentMeans, loss, type GmvaeShape, type Weights } from './model.js';

export interface TrainOptions {
  shape: GmvaeShape;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  /** Train on at most this many samples (a seeded subsample); 0 = all. */
  maxSamples: number;
  /** Held-out fraction for early stopping. */
  validationFraction?: number;
  seed: number;
  onEpoch?: (epoch: number, loss: number, valLoss: number) => void;
  signal?: AbortSignal;
}

export interface TrainedGmvae {
  shape: GmvaeShape;
  /** Best weights (lowest validation loss), as plain arrays. */
  weights: Record<string, { shape: number[]; values: Float32Array }>;
  trainingLoss: number[];
  validationLoss: number[];
  bestEpoch: number;
  /** Samples used for training (without the held-out ones). */
  trainSamples: number;
  validationSamples: number;
  /** Training throughput, samples per second (forward + backward). */
  samplesPerSecond: number;
}

/** Give the event loop a turn (so an abort can be noticed), cheaply. */
function yieldToEventLoop(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

export async function trainGmvae(
  features: Float32Array,
  count: number,
  options: TrainOptions
): Promise<TrainedGmvae> {
  const { shape, batchSize, signal } = options;
  const dim = shape.inputDim;
  if (features.length !== count * dim) {
    throw new RangeError(`features hold ${features.length} values, ${count} × ${dim} expected`);
  }
  if (count < 2) {
    throw new RangeError(`the latent model needs at least 2 particle pixels, got ${count}`);
  }
  const splitRng = new Rng(options.seed ^ 0x5eed0001);
  const order = shuffleInPlace(
    splitRng,
    Int32Array.from({ length: count }, (_, i) => i)
  );
  const used = options.maxSamples > 0 ? Math.min(count, options.maxSamples) : count;
  const nVal = used >= 20 ? Math.max(1, Math.round(used * (options.validationFraction ?? 0.1))) : 0;
  const valIdx = order.subarray(0, nVal);
  // tiny sets: validate on the training samples themselves
  const trainIdx =
    nVal > 0
      ? Int32Array.from(order.subarray(nVal, used))
      : Int32Array.from(order.subarray(0, used));
  const valRows = nVal > 0 ? valIdx : trainIdx;

  const initRng = new Rng(options.seed ^ 0x5eed0002);
  const shuffleRng = new Rng(options.seed ^ 0x5eed0003);
  const noiseRng = new Rng(options.seed ^ 0x5eed0004);
  const w = initWeights(shape, initRng);
  const optimizer = tf.train.adam(options.learningRate);
  const varList = Object.values(w);
  const rows = (idx: Int32Array, from: number, to: number): Float32Array => {
    const out = new Float32Array((to - from) * dim);
    for (let i = from; i < to; i++) {
      out.set(features.subarray(idx[i] * dim, (idx[i] + 1) * dim), (i - from) * dim);
    }
    return out;
  };
  const valX = tf.tensor2d(rows(valRows, 0, valRows.length), [valRows.length, dim]);
  const valEps = tf.zeros<tf.Rank.R2>([valRows.length * shape.components, shape.latentDim]);

  const trainingLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = -1;
  let bestWeights = snapshot(w);
  let samples = 0;
  let trainMs = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffleInPlace(shuffleRng, trainIdx);
      let sum = 0;
      const t0 = performance.now();
      for (let start = 0; start < trainIdx.length; start += batchSize) {
        if (signal?.aborted) {
          throw new CancelledError();
        }
        const end = Math.min(trainIdx.length, start + batchSize);
        const b = end - start;
        const xs = rows(trainIdx, start, end);
        const eps = new Float32Array(b * shape.components * shape.latentDim);
        for (let i = 0; i < eps.length; i++) {
          eps[i] = noiseRng.normal();
        }
        const batchLoss = tf.tidy(() => {
          const x = tf.tensor2d(xs, [b, dim]);
          const e = tf.tensor2d(eps, [b * shape.components, shape.latentDim]);
          const cost = optimizer.minimize(() => loss(w, x, e, shape), true, varList);
          return cost ? cost.dataSync()[0] : Number.NaN;
        });
        sum += batchLoss * b;
      }
      trainMs += performance.now() - t0;
      samples += trainIdx.length;
      const trainLoss = sum / trainIdx.length;
      const valLoss = tf.tidy(() => loss(w, valX, valEps, shape).dataSync()[0]);
      trainingLoss.push(trainLoss);
      validationLoss.push(valLoss);
      options.onEpoch?.(epoch, trainLoss, valLoss);
      if (!Number.isFinite(trainLoss) || !Number.isFinite(valLoss)) {
        throw new Error(
          `training diverged at epoch ${epoch + 1} (loss ${trainLoss}); try a smaller learning rate`
        );
      }
      if (valLoss < best) {
        best = valLoss;
        bestEpoch = epoch;
        bestWeights = snapshot(w);
      } else if (epoch - bestEpoch >= options.patience) {
        break;
      }
      await yieldToEventLoop();
    }
  } finally {
    valX.dispose();
    valEps.dispose();
    optimizer.dispose();
    for (const v of varList) {
      v.dispose();
    }
  }
  return {
    shape,
    weights: bestWeights,
    trainingLoss,
    validationLoss,
    bestEpoch,
    trainSamples: trainIdx.length,
    validationSamples: nVal,
    samplesPerSecond: trainMs > 0 ? (samples * 1000) / trainMs : 0
  };
}

function snapshot(w: Weights): TrainedGmvae['weights'] {
  const out: TrainedGmvae['weights'] = {};
  for (const [name, v] of Object.entries(w)) {
    out[name] = { shape: v.shape.slice(), values: Float32Array.from(v.dataSync() as Float32Array) };
  }
  return out;
}

/**
 * Latent means (count × L) and q(y|x) (count × K) of every sample, with the
 * trained weights, in batches.
 */
export function encodeAll(
  model: TrainedGmvae,
  features: Float32Array,
  count: number
): { latent: Float32Array; qy: Float32Array } {
  const { shape } = model;
  const dim = shape.inputDim;
  const latent = new Float32Array(count * shape.latentDim);
  const qy = new Float32Array(count * shape.components);
  const w: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(model.weights)) {
    w[name] = tf.tensor(t.values, t.shape);
  }
  try {
    const batch = 4096;
    for (let start = 0; start < count; start += batch) {
      const end = Math.min(count, start + batch);
      tf.tidy(() => {
        const x = tf.tensor2d(features.subarray(start * dim, end * dim), [end - start, dim]);
        const out = latentMeans(w as Weights, x, shape);
        latent.set(out.z.dataSync(), start * shape.latentDim);
        qy.set(out.qy.dataSync(), start * shape.components);
      });
    }
  } finally {
    for (const t of Object.values(w)) {
      t.dispose();
    }
  }
  return { latent, qy };
}
