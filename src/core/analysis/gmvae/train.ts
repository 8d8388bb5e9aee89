/**
 * Training of the GMVAE on particle-pixel features: a seeded train/validation
 * split (and subsample), shuffled mini-batches, Adam, early stopping on the
 * validation loss with the best weights restored, progress per epoch and
 * cancellation between batches. The steps run in the wasm SIMD kernel or in
 * tfjs (engine.ts); both start from the same weights and see the same
 * batches and noise. Same seed, same engine (and tfjs backend) →
 * bit-identical weights and latents.
 */
import { Rng, shuffleInPlace } from '../../simulate/rng.js';
import { CancelledError } from '../cancel.js';
import type { FeatureRows } from '../features.js';
import type { EngineName, EngineSetup, TrainingEngine } from './engine.js';
import { initialWeights } from './init.js';
import { kernelEncode, kernelEngine } from './kernel-engine.js';
import type { GmvaeShape, NamedWeights } from './layout.js';

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
  /** What computes the steps: the wasm kernel, or tfjs on its active backend (the default). */
  engine?: EngineName;
  onEpoch?: (epoch: number, loss: number, valLoss: number) => void;
  signal?: AbortSignal;
}

export interface TrainedGmvae {
  shape: GmvaeShape;
  /** What trained it (and encodes with it). */
  engine: EngineName;
  /** Best weights (lowest validation loss), as plain arrays. */
  weights: NamedWeights;
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

/**
 * Epochs yield to the event loop once this much time has passed since the
 * last turn, not after every epoch: the kernel's epochs take milliseconds,
 * and nested timers are clamped to 4 ms in browsers.
 */
const YIELD_EVERY_MS = 50;

/** A (count × dim) matrix as `FeatureRows`. */
export function matrixRows(
  values: Float32Array,
  dim: number
): Pick<FeatureRows, 'gather' | 'range'> {
  return {
    gather(idx, from, to, out) {
      for (let i = from, o = 0; i < to; i++) {
        for (let s = idx[i] * dim, e = s + dim; s < e; s++, o++) {
          out[o] = values[s];
        }
      }
    },
    range(start, n, out) {
      out.set(values.subarray(start * dim, (start + n) * dim));
    }
  };
}

/**
 * Train on `count` samples: a (count × inputDim) matrix, or rows computed on
 * demand (`FeatureRows`, of which only the subsample trained on is gathered).
 */
export async function trainGmvae(
  features: Float32Array | Pick<FeatureRows, 'gather'>,
  count: number,
  options: TrainOptions
): Promise<TrainedGmvae> {
  const { shape, batchSize, signal } = options;
  const dim = shape.inputDim;
  if (features instanceof Float32Array && features.length !== count * dim) {
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
  // the samples used (order[0…used)), gathered once; indices below are into `sample`
  const sample = new Float32Array(used * dim);
  (features instanceof Float32Array ? matrixRows(features, dim) : features).gather(
    order,
    0,
    used,
    sample
  );
  const positions = (from: number, to: number): Int32Array =>
    Int32Array.from({ length: to - from }, (_, i) => from + i);
  const valIdx = positions(0, nVal);
  // tiny sets: validate on the training samples themselves
  const trainIdx = nVal > 0 ? positions(nVal, used) : positions(0, used);
  const valRows = nVal > 0 ? valIdx : trainIdx;

  const initRng = new Rng(options.seed ^ 0x5eed0002);
  const shuffleRng = new Rng(options.seed ^ 0x5eed0003);
  const noiseRng = new Rng(options.seed ^ 0x5eed0004);
  // (an element loop: a subarray per row would allocate in the hot loop)
  const rows = (idx: Int32Array, from: number, to: number, out: Float32Array): Float32Array => {
    for (let i = from, o = 0; i < to; i++) {
      for (let s = idx[i] * dim, e = s + dim; s < e; s++, o++) {
        out[o] = sample[s];
      }
    }
    return out;
  };
  const engineName = options.engine ?? 'tfjs';
  const setup: EngineSetup = {
    shape,
    initial: initialWeights(shape, initRng),
    learningRate: options.learningRate,
    batchSize,
    validation: rows(valRows, 0, valRows.length, new Float32Array(valRows.length * dim)),
    validationCount: valRows.length
  };
  const engine: TrainingEngine =
    engineName === 'kernel'
      ? kernelEngine(setup)
      : (await import('./tfjs-engine.js')).tfjsEngine(setup);

  const trainingLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = -1;
  let bestWeights = engine.weights();
  let samples = 0;
  let trainMs = 0;
  let lastYield = performance.now();
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
        const { x, eps } = engine.batch(b);
        rows(trainIdx, start, end, x);
        for (let i = 0; i < eps.length; i++) {
          eps[i] = noiseRng.normal();
        }
        const batchLoss = engine.step(b);
        sum += batchLoss * b;
      }
      trainMs += performance.now() - t0;
      samples += trainIdx.length;
      const trainLoss = sum / trainIdx.length;
      const valLoss = engine.validationLoss();
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
        bestWeights = engine.weights();
      } else if (epoch - bestEpoch >= options.patience) {
        break;
      }
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  } finally {
    engine.dispose();
  }
  return {
    shape,
    engine: engineName,
    weights: bestWeights,
    trainingLoss,
    validationLoss,
    bestEpoch,
    trainSamples: trainIdx.length,
    validationSamples: nVal,
    samplesPerSecond: trainMs > 0 ? (samples * 1000) / trainMs : 0
  };
}

/**
 * Latent means (count × L) and q(y|x) (count × K) of every sample, with the
 * trained weights, by the engine that trained them.
 */
export async function encodeAll(
  model: TrainedGmvae,
  features: Float32Array | Pick<FeatureRows, 'range'>,
  count: number
): Promise<{ latent: Float32Array; qy: Float32Array }> {
  const rows =
    features instanceof Float32Array ? matrixRows(features, model.shape.inputDim) : features;
  if (model.engine === 'kernel') {
    return kernelEncode(model.shape, model.weights, rows, count);
  }
  const { tfjsEncode } = await import('./tfjs-engine.js');
  return tfjsEncode(model.shape, model.weights, rows, count);
}
