/**
 * Training steps and encoding in the wasm SIMD kernel (gmvae-wasm.ts): the
 * batch is written straight into the kernel's memory, one call does the
 * forward pass, the backward pass and Adam.
 */
import type { EngineSetup, TrainingEngine } from './engine.js';
import { GmvaeKernel } from './gmvae-wasm.js';
import type { FeatureRows } from '../features.js';
import type { GmvaeShape, NamedWeights } from './layout.js';

/** Samples per kernel call outside the training batches (validation, encoding). */
const CHUNK = 4096;

export function kernelEngine(setup: EngineSetup): TrainingEngine {
  const { shape, validation, validationCount } = setup;
  const dim = shape.inputDim;
  const kernel = new GmvaeKernel(shape, Math.max(setup.batchSize, CHUNK));
  kernel.setWeights(setup.initial);
  const perSample = shape.components * shape.latentDim;
  return {
    batch: b => ({
      x: kernel.input.subarray(0, b * dim),
      eps: kernel.noise.subarray(0, b * perSample)
    }),
    step: b => kernel.step(b, setup.learningRate),
    validationLoss() {
      let sum = 0;
      for (let start = 0; start < validationCount; start += kernel.capacity) {
        const n = Math.min(kernel.capacity, validationCount - start);
        kernel.input.set(validation.subarray(start * dim, (start + n) * dim));
        sum += kernel.lossSum(n);
      }
      return sum / validationCount;
    },
    weights: () => kernel.weights(),
    dispose() {
      // the instance and its memory go with the last reference
    }
  };
}

/** Latent means (count × L) and q(y|x) (count × K) of every sample (model.ts latentMeans). */
export function kernelEncode(
  shape: GmvaeShape,
  weights: NamedWeights,
  features: Pick<FeatureRows, 'range'>,
  count: number
): { latent: Float32Array; qy: Float32Array } {
  const kernel = new GmvaeKernel(shape, Math.min(CHUNK, Math.max(1, count)));
  kernel.setWeights(weights);
  const latent = new Float32Array(count * shape.latentDim);
  const qy = new Float32Array(count * shape.components);
  for (let start = 0; start < count; start += kernel.capacity) {
    const n = Math.min(kernel.capacity, count - start);
    features.range(start, n, kernel.input);
    const out = kernel.encode(n);
    latent.set(out.latent, start * shape.latentDim);
    qy.set(out.qy, start * shape.components);
  }
  return { latent, qy };
}
