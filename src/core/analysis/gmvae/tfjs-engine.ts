/**
 * Training steps and encoding in tfjs (model.ts), on whichever tfjs backend
 * is active (backend.ts): the definition of record that the kernel is
 * tested against, and the fallback where WebAssembly SIMD is missing.
 */
import * as tf from './tf.js';

import type { EngineSetup, TrainingEngine } from './engine.js';
import type { FeatureRows } from '../features.js';
import type { GmvaeShape, NamedWeights } from './layout.js';
import { latentMeans, loss, type Weights } from './model.js';

export function tfjsEngine(setup: EngineSetup): TrainingEngine {
  const { shape } = setup;
  const w: Weights = {};
  for (const [name, v] of Object.entries(setup.initial)) {
    const t = tf.tensor(v.values, v.shape);
    w[name] = tf.variable(t, true);
    t.dispose();
  }
  const varList = Object.values(w);
  const optimizer = tf.train.adam(setup.learningRate);
  const valX = tf.tensor2d(setup.validation, [setup.validationCount, shape.inputDim]);
  const valEps = tf.zeros<tf.Rank.R2>([setup.validationCount * shape.components, shape.latentDim]);
  let last = { x: new Float32Array(0), eps: new Float32Array(0) };
  return {
    batch(b) {
      last = {
        x: new Float32Array(b * shape.inputDim),
        eps: new Float32Array(b * shape.components * shape.latentDim)
      };
      return last;
    },
    step(b) {
      const { x: xs, eps } = last;
      return tf.tidy(() => {
        const x = tf.tensor2d(xs, [b, shape.inputDim]);
        const e = tf.tensor2d(eps, [b * shape.components, shape.latentDim]);
        const cost = optimizer.minimize(() => loss(w, x, e, shape), true, varList);
        return cost ? cost.dataSync()[0] : Number.NaN;
      });
    },
    validationLoss: () => tf.tidy(() => loss(w, valX, valEps, shape).dataSync()[0]),
    weights: () => snapshot(w),
    dispose() {
      valX.dispose();
      valEps.dispose();
      optimizer.dispose();
      for (const v of varList) {
        v.dispose();
      }
    }
  };
}

function snapshot(w: Weights): NamedWeights {
  const out: NamedWeights = {};
  for (const [name, v] of Object.entries(w)) {
    out[name] = { shape: v.shape.slice(), values: Float32Array.from(v.dataSync() as Float32Array) };
  }
  return out;
}

/** Latent means (count × L) and q(y|x) (count × K) of every sample, in batches of 4096. */
export function tfjsEncode(
  shape: GmvaeShape,
  weights: NamedWeights,
  features: Pick<FeatureRows, 'range'>,
  count: number
): { latent: Float32Array; qy: Float32Array } {
  const dim = shape.inputDim;
  const latent = new Float32Array(count * shape.latentDim);
  const qy = new Float32Array(count * shape.components);
  const w: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(weights)) {
    w[name] = tf.tensor(t.values, t.shape);
  }
  try {
    const batch = 4096;
    const block = new Float32Array(Math.min(batch, count) * dim);
    for (let start = 0; start < count; start += batch) {
      const end = Math.min(count, start + batch);
      features.range(start, end - start, block);
      tf.tidy(() => {
        const x = tf.tensor2d(block.subarray(0, (end - start) * dim), [end - start, dim]);
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
