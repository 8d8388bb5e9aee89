/**
 * Initial weights of the GMVAE, all from one seeded generator: Glorot-uniform
 * matrices, zero biases, prior means on a ring. The tfjs model (model.ts
 * initWeights) and the wasm kernel start from these same arrays.
 */
import { Rng } from '../../simulate/rng.js';
import type { GmvaeShape, NamedWeights } from './layout.js';

export function initialWeights(shape: GmvaeShape, rng: Rng): NamedWeights {
  const { inputDim: d, hidden: h, components: k, latentDim: l } = shape;
  const glorot = (rows: number, cols: number): NamedWeights[string] => {
    const limit = Math.sqrt(6 / (rows + cols));
    const values = Float32Array.from(
      { length: rows * cols },
      () => (2 * rng.uniform() - 1) * limit
    );
    return { shape: [rows, cols], values };
  };
  const filled = (s: number[], v: number): NamedWeights[string] => ({
    shape: s,
    values: new Float32Array(s.reduce((a, b) => a * b, 1)).fill(v)
  });
  // (object literal order = draw order: keep it)
  return {
    enc1W: glorot(d, h),
    enc1b: filled([h], 0),
    enc2W: glorot(h, h),
    enc2b: filled([h], 0),
    qyW: glorot(h, k),
    qyb: filled([k], 0),
    qzW: glorot(h, h),
    // one row per component: the one-hot part of [h, onehot(y)]·W
    qzY: glorot(k, h),
    qz2W: glorot(h, 2 * l),
    qz2b: filled([2 * l], 0),
    // prior means spread on a ring so that components start apart
    priorMu: {
      shape: [k, l],
      values: Float32Array.from({ length: k * l }, (_, i) => {
        const c = Math.floor(i / l);
        const j = i % l;
        const a = (2 * Math.PI * c) / k;
        return j === 0 ? 2 * Math.cos(a) : j === 1 ? 2 * Math.sin(a) : 0.5 * rng.normal();
      })
    },
    priorLogVar: filled([k, l], 0),
    dec1W: glorot(l, h),
    dec1b: filled([h], 0),
    dec2W: glorot(h, h),
    dec2b: filled([h], 0),
    dec3W: glorot(h, d),
    dec3b: filled([d], 0),
    decLogVar: filled([d], -1)
  };
}
