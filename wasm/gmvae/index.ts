/**
 * AssemblyScript source of the GMVAE training kernel: one fused training
 * step (forward, backward and Adam over the flat parameters) of the model
 * of src/core/analysis/gmvae/model.ts, in wasm SIMD (f32x4, no FMA, no
 * threads: the same bits on every engine).
 *
 * `npm run build:wasm` compiles it into src/core/analysis/gmvae/gmvae-kernel.ts
 * (base64; a unit test checks that the two agree); gmvae-wasm.ts lays out
 * the memory and moves samples, noise and weights in and out.
 *
 * A batch is processed in tiles of T samples (layout.ts), each through the
 * whole network and back, so that a tile's activations stay in cache; the
 * weight gradients of the tiles add up in G4, summed once per step.
 */
import {
  K,
  L,
  NP4,
  T,
  oDecLv,
  oPLv,
  configure as layoutConfigure,
  pGrad,
  pGrad4,
  pLatent,
  pM,
  pOut,
  pParams,
  pQ,
  pQyOut,
  pV,
  prepare as layoutPrepare,
  D,
  pIn,
  pNoise
} from './layout';
import { backward } from './backward';
import { LOGVAR_MAX, LOGVAR_MIN, at, decoderForward, encoderForward, loadTile, prm, sample } from './forward';
import { stepConstants, tileLoss } from './loss';
import { exp4, tanh4 } from './math';

// Adam with tfjs's defaults (tf.train.adam: β1 0.9, β2 0.999, ε = the
// backend's float32 epsilon 1e-7), in tfjs's order of f32 operations
const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const ADAM_EPS: f32 = 1e-7;
let accBeta1: f32 = BETA1;
let accBeta2: f32 = BETA2;

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Memory map for a model (D, H, K, L), T samples per tile, `cap` samples per call; returns its end. */
export function configure(d: i32, h: i32, k: i32, l: i32, t: i32, cap: i32): usize {
  return layoutConfigure(d, h, k, l, t, cap, __heap_base);
}

/** After the memory has grown: constant rows, Adam's state reset. */
export function prepare(): void {
  layoutPrepare();
  memory.fill(pM, 0, <usize>NP4 << 2);
  memory.fill(pV, 0, <usize>NP4 << 2);
  accBeta1 = BETA1;
  accBeta2 = BETA2;
}

export function paramsPtr(): usize {
  return pParams;
}
export function gradPtr(): usize {
  return pGrad;
}
export function inputPtr(): usize {
  return pIn;
}
export function noisePtr(): usize {
  return pNoise;
}
export function latentPtr(): usize {
  return pLatent;
}
export function qyPtr(): usize {
  return pQyOut;
}

/**
 * Loss summed over the `n` samples of the input buffer (noise from the
 * noise buffer) and the gradient of the mean loss into the gradient buffer.
 */
export function gradients(n: i32): f64 {
  stepConstants();
  memory.fill(pGrad4, 0, <usize>NP4 << 4);
  const w = <f32>(1.0 / <f64>n);
  let loss: f64 = 0;
  for (let t0 = 0; t0 < n; t0 += T) {
    loadTile(t0, min(T, n - t0), true, w);
    encoderForward();
    sample();
    decoderForward();
    loss += tileLoss(true);
    backward();
  }
  // the four partial sums of each weight; clipped parameters pass their
  // gradient only inside the clip range (as tfjs's clipByValue)
  for (let p = 0; p < NP4; p++) {
    const g = v128.load(pGrad4 + (<usize>p << 4));
    const s =
      f32x4.extract_lane(g, 0) +
      f32x4.extract_lane(g, 1) +
      (f32x4.extract_lane(g, 2) + f32x4.extract_lane(g, 3));
    store<f32>(pGrad + (<usize>p << 2), s);
  }
  for (let i = 0; i < D; i++) {
    clipMask(oDecLv + i);
  }
  for (let i = 0; i < K * L; i++) {
    clipMask(oPLv + i);
  }
  return loss;
}

function clipMask(off: i32): void {
  const v = load<f32>(prm(off));
  if (!(v >= LOGVAR_MIN && v <= LOGVAR_MAX)) {
    store<f32>(pGrad + (<usize>off << 2), 0);
  }
}

/** One Adam update of the parameters from the gradient buffer (tfjs AdamOptimizer.applyGradients). */
export function adam(learningRate: f32): void {
  const b1 = f32x4.splat(BETA1);
  const b2 = f32x4.splat(BETA2);
  const c1 = f32x4.splat(<f32>(1.0 - <f64>BETA1));
  const c2 = f32x4.splat(<f32>(1.0 - <f64>BETA2));
  const oma1 = f32x4.splat(<f32>1.0 - accBeta1);
  const oma2 = f32x4.splat(<f32>1.0 - accBeta2);
  const eps = f32x4.splat(ADAM_EPS);
  const step = f32x4.splat(-learningRate);
  for (let p = 0; p < NP4; p += 4) {
    const off = <usize>p << 2;
    const g = v128.load(pGrad + off);
    const m = f32x4.add(f32x4.mul(v128.load(pM + off), b1), f32x4.mul(g, c1));
    const v = f32x4.add(f32x4.mul(v128.load(pV + off), b2), f32x4.mul(f32x4.mul(g, g), c2));
    v128.store(pM + off, m);
    v128.store(pV + off, v);
    const mh = f32x4.div(m, oma1);
    const vh = f32x4.div(v, oma2);
    const upd = f32x4.mul(f32x4.div(mh, f32x4.add(f32x4.sqrt(vh), eps)), step);
    v128.store(pParams + off, f32x4.add(upd, v128.load(pParams + off)));
  }
  accBeta1 = accBeta1 * BETA1;
  accBeta2 = accBeta2 * BETA2;
}

/** One training step on the `n` samples and noise of the input buffers: the mean loss. */
export function step(n: i32, learningRate: f32): f64 {
  const loss = gradients(n);
  adam(learningRate);
  return loss / <f64>n;
}

/** Loss summed over the `n` input samples with zero noise (the validation loss), no gradient. */
export function evaluate(n: i32): f64 {
  stepConstants();
  let loss: f64 = 0;
  for (let t0 = 0; t0 < n; t0 += T) {
    loadTile(t0, min(T, n - t0), false, 1);
    encoderForward();
    sample();
    decoderForward();
    loss += tileLoss(false);
  }
  return loss;
}

/** Latent means E_q(y|x)[µ] (n × L) and q(y|x) (n × K) of the `n` input samples (model.ts latentMeans). */
export function encode(n: i32): void {
  for (let t0 = 0; t0 < n; t0 += T) {
    const m = min(T, n - t0);
    loadTile(t0, m, false, 1);
    encoderForward();
    for (let b = 0; b < m; b++) {
      const row = <usize>(t0 + b);
      for (let l = 0; l < L; l++) {
        let z: f32 = 0;
        for (let k = 0; k < K; k++) {
          z += load<f32>(at(pOut, l, K * T, k * T + b)) * load<f32>(at(pQ, k, T, b));
        }
        store<f32>(pLatent + ((row * <usize>L + <usize>l) << 2), z);
      }
      for (let k = 0; k < K; k++) {
        store<f32>(pQyOut + ((row * <usize>K + <usize>k) << 2), load<f32>(at(pQ, k, T, b)));
      }
    }
  }
}

/** tanh4 / exp4 over n floats (n % 4 == 0), for the tests of their accuracy. */
export function mapTanh(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    v128.store(dst + (<usize>i << 2), tanh4(v128.load(src + (<usize>i << 2))));
  }
}
export function mapExp(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    v128.store(dst + (<usize>i << 2), exp4(v128.load(src + (<usize>i << 2))));
  }
}
