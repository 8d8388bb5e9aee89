/**
 * The wasm training kernel against the model of record (model.ts in tfjs,
 * cpu backend: its matMul sums in float64, so it is the closer of tfjs's
 * two backends to exact): loss, every gradient, Adam's updates, the
 * deterministic validation loss and the latent means.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { Rng } from '../../simulate/rng.js';
import { GmvaeKernel } from './gmvae-wasm.js';
import { parameterLayout, type GmvaeShape, type NamedWeights } from './layout.js';
import { initWeights, latentMeans, loss, type Weights } from './model.js';
import * as tf from './tf.js';

interface Case {
  name: string;
  shape: GmvaeShape;
  batch: number;
}

const shape = (inputDim: number, hidden: number, components: number, latentDim: number) => ({
  inputDim,
  hidden,
  components,
  latentDim
});

const CASES: Case[] = [
  { name: 'the default (D 20, H 32, K 5, L 2), batch 512', shape: shape(20, 32, 5, 2), batch: 512 },
  { name: 'D 5, H 32, K 2, L 2, batch 37', shape: shape(5, 32, 2, 2), batch: 37 },
  { name: 'D 100, H 32, K 6, L 4, batch 129', shape: shape(100, 32, 6, 4), batch: 129 },
  { name: 'D 13, H 7, K 3, L 3, batch 1', shape: shape(13, 7, 3, 3), batch: 1 },
  { name: 'D 20, H 48, K 4, L 2, batch 77', shape: shape(20, 48, 4, 2), batch: 77 },
  { name: 'D 7, H 30, K 5, L 2, batch 250', shape: shape(7, 30, 5, 2), batch: 250 },
  { name: 'D 9, H 16, K 1, L 1, batch 33', shape: shape(9, 16, 1, 1), batch: 33 }
];

/**
 * The model's initial weights moved off their special values (zero biases,
 * log σ² = 0), with log-variances at and beyond the clip limits: the raw
 * log σ² of q(z|x,y) crosses each limit for some samples; one decoder and
 * one prior log-variance lie above the limit (their gradient must be 0),
 * another decoder one on it (inclusive: its gradient passes).
 */
function weightsFor(s: GmvaeShape, seed: number): { w: Weights; named: NamedWeights } {
  const rng = new Rng(seed);
  const w = initWeights(s, rng);
  const named: NamedWeights = {};
  for (const slot of parameterLayout(s)) {
    const scale = slot.name.endsWith('b') ? 0.3 : 0.06;
    const values = Float32Array.from(
      w[slot.name].dataSync() as Float32Array,
      x => x + scale * rng.normal()
    );
    named[slot.name] = { shape: slot.shape, values };
  }
  const l = s.latentDim;
  named.qz2b.values[l] = 5;
  named.qz2b.values[2 * l - 1] = -9;
  named.decLogVar.values[0] = 5.5;
  named.decLogVar.values[1] = 5; // the limit itself: the gradient passes
  named.priorLogVar.values[named.priorLogVar.values.length - 1] = 5.5;
  for (const [name, t] of Object.entries(named)) {
    w[name].assign(tf.tensor(t.values, t.shape));
  }
  return { w, named };
}

function batchFor(s: GmvaeShape, b: number, seed: number): { x: Float32Array; eps: Float32Array } {
  const rng = new Rng(seed);
  return {
    x: Float32Array.from({ length: b * s.inputDim }, () => 1.3 * rng.normal()),
    eps: Float32Array.from({ length: b * s.components * s.latentDim }, () => rng.normal())
  };
}

/** ‖a − b‖₂ / ‖b‖₂ (0 when both are 0). */
function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return n > 0 ? Math.sqrt(d / n) : Math.sqrt(d);
}

function kernelFor(s: GmvaeShape, named: NamedWeights, capacity: number): GmvaeKernel {
  const kernel = new GmvaeKernel(s, capacity);
  kernel.setWeights(named);
  return kernel;
}

describe('GMVAE kernel = the tfjs model', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('loss and every gradient: $name', ({ shape: s, batch }) => {
    const { w, named } = weightsFor(s, 7);
    const { x, eps } = batchFor(s, batch, 11);
    const ref = tf.tidy(() =>
      tf.variableGrads(
        () =>
          loss(
            w,
            tf.tensor2d(x, [batch, s.inputDim]),
            tf.tensor2d(eps, [batch * s.components, s.latentDim]),
            s
          ),
        Object.values(w)
      )
    );
    const kernel = kernelFor(s, named, batch);
    kernel.input.set(x);
    kernel.noise.set(eps);
    const got = kernel.gradients(batch);
    const refLoss = ref.value.dataSync()[0];
    expect(Math.abs(got.loss - refLoss) / Math.abs(refLoss)).toBeLessThan(1e-5);
    for (const slot of parameterLayout(s)) {
      const g = ref.grads[w[slot.name].name].dataSync();
      const k = got.gradients[slot.name].values;
      expect(k, slot.name).toHaveLength(g.length);
      expect(relL2(k, g), slot.name).toBeLessThan(1e-5);
    }
    // outside the clip range the gradient is 0, exactly, as in tfjs
    expect(got.gradients.decLogVar.values[0]).toBe(0);
    expect(got.gradients.priorLogVar.values.at(-1)).toBe(0);
    expect(ref.grads[w.decLogVar.name].dataSync()[0]).toBe(0);
    expect(got.gradients.decLogVar.values[1]).not.toBe(0);
    tf.dispose([ref.value, ...Object.values(ref.grads)]);
    Object.values(w).forEach(v => v.dispose());
  });

  it('Adam: five steps give tfjs optimizer.minimize’s weights (tf.train.adam defaults)', () => {
    const s = shape(20, 32, 5, 2);
    const batch = 96;
    const lr = 5e-3;
    const { w, named } = weightsFor(s, 3);
    const kernel = kernelFor(s, named, batch);
    const optimizer = tf.train.adam(lr);
    for (let step = 0; step < 5; step++) {
      const { x, eps } = batchFor(s, batch, 100 + step);
      const refLoss = tf.tidy(() => {
        const xt = tf.tensor2d(x, [batch, s.inputDim]);
        const et = tf.tensor2d(eps, [batch * s.components, s.latentDim]);
        return optimizer.minimize(() => loss(w, xt, et, s), true, Object.values(w))!.dataSync()[0];
      });
      kernel.input.set(x);
      kernel.noise.set(eps);
      const got = kernel.step(batch, lr);
      expect(Math.abs(got - refLoss) / Math.abs(refLoss)).toBeLessThan(1e-5);
    }
    const after = kernel.weights();
    for (const slot of parameterLayout(s)) {
      const ref = w[slot.name].dataSync();
      const start = named[slot.name].values;
      // the updates themselves (5 steps of at most lr each) agree to 1e-4 of their size
      const moved = ref.map((v, i) => v - start[i]);
      const movedK = after[slot.name].values.map((v, i) => v - start[i]);
      expect(relL2(movedK, moved), slot.name).toBeLessThan(1e-4);
      expect(relL2(after[slot.name].values, ref), slot.name).toBeLessThan(1e-6);
    }
    optimizer.dispose();
    Object.values(w).forEach(v => v.dispose());
  });

  it.each(CASES)('validation loss (zero noise) and latent means: $name', ({ shape: s, batch }) => {
    const { w, named } = weightsFor(s, 5);
    const { x } = batchFor(s, batch, 13);
    const [refLoss, refZ, refQy] = tf.tidy(() => {
      const xt = tf.tensor2d(x, [batch, s.inputDim]);
      const zeros = tf.zeros<tf.Rank.R2>([batch * s.components, s.latentDim]);
      const m = latentMeans(w, xt, s);
      return [loss(w, xt, zeros, s).dataSync()[0], m.z.dataSync(), m.qy.dataSync()] as const;
    });
    const kernel = kernelFor(s, named, batch);
    kernel.input.set(x);
    const sum = kernel.lossSum(batch);
    expect(Math.abs(sum / batch - refLoss) / Math.abs(refLoss)).toBeLessThan(1e-5);
    const { latent, qy } = kernel.encode(batch);
    expect(latent).toHaveLength(batch * s.latentDim);
    expect(relL2(latent, refZ)).toBeLessThan(1e-5);
    expect(relL2(qy, refQy)).toBeLessThan(1e-5);
    Object.values(w).forEach(v => v.dispose());
  });

  it('is deterministic: the same inputs give the same bits', () => {
    const s = shape(20, 32, 5, 2);
    const { named } = weightsFor(s, 1);
    const { x, eps } = batchFor(s, 300, 2);
    const run = (): Float32Array => {
      const kernel = kernelFor(s, named, 300);
      for (let i = 0; i < 3; i++) {
        kernel.input.set(x);
        kernel.noise.set(eps);
        kernel.step(300, 5e-3);
      }
      return Float32Array.from(kernel.encode(300).latent);
    };
    const a = run();
    expect(Buffer.from(run().buffer).equals(Buffer.from(a.buffer))).toBe(true);
  });
});
