/**
 * A Gaussian-mixture variational autoencoder (Dilokthanakul et al. 2016,
 * arXiv 1611.02648; the "marginalise over y" form) as a small MLP in
 * tfjs-core, with every weight drawn from a seeded generator:
 *
 *   q(y|x)    categorical over K components       h = MLP(x), logits = h·Wy
 *   q(z|x,y)  Gaussian, diagonal                  [h, onehot(y)] → (µ, log σ²)
 *   p(z|y)    learned Gaussian per component      (µ_y, log σ²_y)
 *   p(x|z)    Gaussian, learned per-feature σ²    MLP(z)
 *
 * Loss per sample (negative ELBO, y marginalised exactly):
 *   Σ_y q(y|x) [ −log p(x|z_y) + KL(q(z|x,y) ‖ p(z|y)) ] + KL(q(y|x) ‖ U(K))
 * with one reparameterised sample z_y per component. Only matMul, add, mul,
 * exp, tanh, logSoftmax and reductions: every gradient exists in the wasm
 * backend (no gather, conv or einsum).
 */
import * as tf from './tf.js';

import type { Rng } from '../../simulate/rng.js';
import { initialWeights } from './init.js';
import type { GmvaeShape } from './layout.js';

export type { GmvaeShape } from './layout.js';

/** Weights by name; `tf.Variable`s while training. */
export type Weights = Record<string, tf.Variable>;

/**
 * a·b with its gradient computed from explicit transposes: dA = dY·transpose(b),
 * dB = transpose(a)·dY. The same arithmetic as tfjs's own gradient, which
 * calls matMul with its transpose flags; the wasm backend's transposed matMul
 * takes 4–10× the time of a transpose plus a plain matMul at this model's
 * sizes (e.g. 1.1 ms against 0.2 ms for (640 × 32)ᵀ · (640 × 32)), and those
 * products were half of a training step.
 */
const matMul: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor2D = tf.customGrad<tf.Tensor2D>(
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor2D[];
        const g = dy as tf.Tensor2D;
        return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
      }
    };
  }
);

const LOGVAR_MIN = -9;
const LOGVAR_MAX = 5;

/** Glorot-uniform weights and zero biases, all from `rng` (init.ts), as tfjs variables. */
export function initWeights(shape: GmvaeShape, rng: Rng): Weights {
  const vars: Weights = {};
  for (const [name, w] of Object.entries(initialWeights(shape, rng))) {
    const t = tf.tensor(w.values, w.shape);
    vars[name] = tf.variable(t, true);
    t.dispose();
  }
  return vars;
}

export interface Encoded {
  /** log q(y|x), (B, K). */
  logQy: tf.Tensor2D;
  /** q(z|x,y) means and log-variances, (B, K, L). */
  mu: tf.Tensor3D;
  logVar: tf.Tensor3D;
}

export function encode(w: Weights, x: tf.Tensor2D, shape: GmvaeShape): Encoded {
  const { components: k, latentDim: l, hidden: h } = shape;
  const b = x.shape[0];
  const h1 = tf.tanh(tf.add(matMul(x, w.enc1W), w.enc1b));
  const h2 = tf.tanh(tf.add(matMul(h1, w.enc2W), w.enc2b));
  const logQy = tf.logSoftmax(tf.add(matMul(h2, w.qyW), w.qyb));
  const a = tf.reshape(matMul(h2, w.qzW), [b, 1, h]);
  const hy = tf.tanh(tf.add(a, tf.reshape(w.qzY, [1, k, h])));
  const out = tf.add(matMul(tf.reshape(hy, [b * k, h]), w.qz2W), w.qz2b);
  const mu = tf.reshape(tf.slice(out, [0, 0], [b * k, l]), [b, k, l]);
  const logVar = tf.reshape(
    tf.clipByValue(tf.slice(out, [0, l], [b * k, l]), LOGVAR_MIN, LOGVAR_MAX),
    [b, k, l]
  );
  return { logQy: logQy as tf.Tensor2D, mu: mu as tf.Tensor3D, logVar: logVar as tf.Tensor3D };
}

export function decode(w: Weights, z: tf.Tensor2D): tf.Tensor2D {
  const d1 = tf.tanh(tf.add(matMul(z, w.dec1W), w.dec1b));
  const d2 = tf.tanh(tf.add(matMul(d1, w.dec2W), w.dec2b));
  return tf.add(matMul(d2, w.dec3W), w.dec3b);
}

/**
 * Mean negative ELBO over the batch. `eps` (B·K × L) are the standard-normal
 * draws of the reparameterisation; zeros give the deterministic loss used
 * for validation.
 */
export function loss(w: Weights, x: tf.Tensor2D, eps: tf.Tensor2D, shape: GmvaeShape): tf.Scalar {
  const { components: k, latentDim: l, inputDim: d } = shape;
  const b = x.shape[0];
  const { logQy, mu, logVar } = encode(w, x, shape);
  const qy = tf.exp(logQy);
  const z = tf.add(
    tf.reshape(mu, [b * k, l]),
    tf.mul(tf.exp(tf.mul(tf.reshape(logVar, [b * k, l]), 0.5)), eps)
  );
  const xHat = tf.reshape(decode(w, z as tf.Tensor2D), [b, k, d]);
  const decLogVar = tf.clipByValue(w.decLogVar, LOGVAR_MIN, LOGVAR_MAX);
  const diff = tf.sub(xHat, tf.reshape(x, [b, 1, d]));
  // −log p(x|z) without the constant: ½ Σ_d [(x − x̂)² / σ² + log σ²]
  const recon = tf.mul(
    tf.sum(tf.add(tf.mul(tf.square(diff), tf.exp(tf.neg(decLogVar))), decLogVar), 2),
    0.5
  );
  // KL(q(z|x,y) ‖ p(z|y)) for diagonal Gaussians, per (b, y)
  const pMu = tf.reshape(w.priorMu, [1, k, l]);
  const pLv = tf.reshape(tf.clipByValue(w.priorLogVar, LOGVAR_MIN, LOGVAR_MAX), [1, k, l]);
  const klz = tf.mul(
    tf.sum(
      tf.sub(
        tf.add(
          tf.sub(pLv, logVar),
          tf.mul(tf.add(tf.exp(logVar), tf.square(tf.sub(mu, pMu))), tf.exp(tf.neg(pLv)))
        ),
        1
      ),
      2
    ),
    0.5
  );
  const perY = tf.sum(tf.mul(qy, tf.add(recon, klz)), 1);
  const kly = tf.sum(tf.mul(qy, tf.add(logQy, Math.log(k))), 1);
  return tf.mean(tf.add(perY, kly));
}

/** Latent means E_q(y|x)[µ(x, y)], (B, L), and q(y|x), (B, K). */
export function latentMeans(
  w: Weights,
  x: tf.Tensor2D,
  shape: GmvaeShape
): { z: tf.Tensor2D; qy: tf.Tensor2D } {
  const { logQy, mu } = encode(w, x, shape);
  const qy = tf.exp(logQy);
  const z = tf.sum(tf.mul(mu, tf.expandDims(qy, 2)), 1);
  return { z: z as tf.Tensor2D, qy: qy };
}
