/**
 * Forward pass of one tile (model.ts `encode`, the reparameterised sample
 * and `decode`), feature-major. Samples are copied in from the row-major
 * input buffer; rows past the batch are zeros with weight 0.
 */
import {
  CAP,
  D,
  H,
  K,
  L,
  R,
  T,
  oDec1,
  oDec2,
  oDec3,
  oEnc1,
  oEnc2,
  oQy,
  oQz2,
  oQzW,
  oQzY,
  pAz,
  pD1,
  pD2,
  pEps,
  pH1,
  pH2,
  pHy,
  pIn,
  pLq,
  pLv,
  pNoise,
  pOut,
  pParams,
  pQ,
  pSd,
  pWt,
  pX,
  pXh,
  pZ
} from './layout';
import { TANH, product } from './linalg';
import { clip4, exp4, log4, tanh4 } from './math';

export const LOGVAR_MIN: f32 = -9.0;
export const LOGVAR_MAX: f32 = 5.0;

/** Address of parameter float `off`. */
@inline
export function prm(off: i32): usize {
  return pParams + (<usize>off << 2);
}

/** Address of float `row`·len + col of a buffer. */
@inline
export function at(buf: usize, row: i32, len: i32, col: i32): usize {
  return buf + ((<usize>row * <usize>len + <usize>col) << 2);
}

/**
 * Samples [start, start + n) into the tile: X (feature-major, zero past n),
 * their weights (`weight`, 0 past n) and, when `noise`, their standard-normal
 * draws (else zeros: the deterministic loss).
 */
export function loadTile(start: i32, n: i32, noise: bool, weight: f32): void {
  for (let b = 0; b < T; b++) {
    if (b < n && start + b < CAP) {
      const src = pIn + ((<usize>(start + b) * <usize>D) << 2);
      for (let d = 0; d < D; d++) {
        store<f32>(at(pX, d, T, b), load<f32>(src + (<usize>d << 2)));
      }
      store<f32>(pWt + (<usize>b << 2), weight);
    } else {
      for (let d = 0; d < D; d++) {
        store<f32>(at(pX, d, T, b), 0);
      }
      store<f32>(pWt + (<usize>b << 2), 0);
    }
  }
  for (let k = 0; k < K; k++) {
    for (let b = 0; b < T; b++) {
      const live = noise && b < n;
      const src = pNoise + ((<usize>((start + b) * K + k) * <usize>L) << 2);
      for (let l = 0; l < L; l++) {
        let e: f32 = 0;
        if (live) {
          e = load<f32>(src + (<usize>l << 2));
        }
        store<f32>(at(pEps, l, R, k * T + b), e);
      }
    }
  }
}

/** log q(y|x) into Lq (from the logits there) and q(y|x) into Q, four samples at a time. */
function logSoftmax(): void {
  for (let b = 0; b < T; b += 4) {
    let mx = v128.load(at(pLq, 0, T, b));
    for (let k = 1; k < K; k++) {
      mx = f32x4.max(mx, v128.load(at(pLq, k, T, b)));
    }
    let s = f32x4.splat(0);
    for (let k = 0; k < K; k++) {
      s = f32x4.add(s, exp4(f32x4.sub(v128.load(at(pLq, k, T, b)), mx)));
    }
    const ls = log4(s);
    for (let k = 0; k < K; k++) {
      const v = f32x4.sub(f32x4.sub(v128.load(at(pLq, k, T, b)), mx), ls);
      v128.store(at(pLq, k, T, b), v);
      v128.store(at(pQ, k, T, b), exp4(v));
    }
  }
}

/** Encoder: h1, h2, log q(y|x), q(y|x), and (µ, raw log σ²) of q(z|x,y) for every component. */
export function encoderForward(): void {
  product(pH1, prm(oEnc1), 1, H, H, D + 1, pX, T, 0, TANH);
  product(pH2, prm(oEnc2), 1, H, H, H + 1, pH1, T, 0, TANH);
  product(pLq, prm(oQy), 1, K, K, H + 1, pH2, T, 0, 0);
  logSoftmax();
  product(pAz, prm(oQzW), 1, H, H, H, pH2, T, 0, 0);
  // hy[b, k, :] = tanh(h2·qzW + qzY[k]), decoder row k·T + b
  for (let h = 0; h < H; h++) {
    for (let k = 0; k < K; k++) {
      const w = v128.load32_splat(prm(oQzY + k * H + h));
      const dst = at(pHy, h, R, k * T);
      const src = at(pAz, h, T, 0);
      for (let b = 0; b < T; b += 4) {
        const off = <usize>b << 2;
        v128.store(dst + off, tanh4(f32x4.add(v128.load(src + off), w)));
      }
    }
  }
  product(pOut, prm(oQz2), 1, 2 * L, 2 * L, H + 1, pHy, R, 0, 0);
}

/** z = µ + exp(½ log σ²)·ε with log σ² clipped to [LOGVAR_MIN, LOGVAR_MAX]. */
export function sample(): void {
  for (let l = 0; l < L; l++) {
    const mu = at(pOut, l, R, 0);
    const raw = at(pOut, L + l, R, 0);
    const lv = at(pLv, l, R, 0);
    const sd = at(pSd, l, R, 0);
    const eps = at(pEps, l, R, 0);
    const z = at(pZ, l, R, 0);
    for (let r = 0; r < R; r += 4) {
      const off = <usize>r << 2;
      const v = clip4(v128.load(raw + off), LOGVAR_MIN, LOGVAR_MAX);
      const s = exp4(f32x4.mul(v, f32x4.splat(0.5)));
      v128.store(lv + off, v);
      v128.store(sd + off, s);
      v128.store(z + off, f32x4.add(v128.load(mu + off), f32x4.mul(s, v128.load(eps + off))));
    }
  }
}

/** Decoder: x̂ = MLP(z) for every (sample, component) row. */
export function decoderForward(): void {
  product(pD1, prm(oDec1), 1, H, H, L + 1, pZ, R, 0, TANH);
  product(pD2, prm(oDec2), 1, H, H, H + 1, pD1, R, 0, TANH);
  product(pXh, prm(oDec3), 1, D, D, H + 1, pD2, R, 0, 0);
}
