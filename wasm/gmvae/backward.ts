/**
 * Backward pass of one tile, from the output gradients of loss.ts to every
 * weight: the decoder, the reparameterisation and the log σ² clip, q(z|x,y)
 * and its sum over components, q(y|x) and the shared encoder. Weight
 * gradients accumulate in G4 (four partial sums per weight).
 */
import {
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
  pD1,
  pD2,
  pEps,
  pGrad4,
  pH1,
  pH2,
  pHy,
  pOut,
  pSd,
  pX,
  pZ,
  pdA,
  pdD1,
  pdD2,
  pdH1,
  pdH2,
  pdHy,
  pdLg,
  pdOut,
  pdXh,
  pdZ
} from './layout';
import { LOGVAR_MAX, LOGVAR_MIN, at, prm } from './forward';
import { ADD, DTANH, gradient, product } from './linalg';
import { inside4 } from './math';

@inline
function g4(off: i32): usize {
  return pGrad4 + (<usize>off << 4);
}

export function backward(): void {
  // decoder: x̂ = d2·W3 + b3, d2 = tanh(d1·W2 + b2), d1 = tanh(z·W1 + b1)
  gradient(g4(oDec3), pD2, H + 1, pdXh, D, R);
  product(pdD2, prm(oDec3), D, 1, H, D, pdXh, R, pD2, DTANH);
  gradient(g4(oDec2), pD1, H + 1, pdD2, H, R);
  product(pdD1, prm(oDec2), H, 1, H, H, pdD2, R, pD1, DTANH);
  gradient(g4(oDec1), pZ, L + 1, pdD1, H, R);
  product(pdZ, prm(oDec1), H, 1, L, H, pdD1, R, 0, 0);
  // z = µ + exp(½ log σ²)·ε, log σ² = clip(raw): the clip passes the gradient where
  // LOGVAR_MIN ≤ raw ≤ LOGVAR_MAX (tfjs's clipByValue gradient), else 0
  for (let l = 0; l < L; l++) {
    const dz = at(pdZ, l, R, 0);
    const dmu = at(pdOut, l, R, 0);
    const dlv = at(pdOut, L + l, R, 0);
    const raw = at(pOut, L + l, R, 0);
    const eps = at(pEps, l, R, 0);
    const sd = at(pSd, l, R, 0);
    for (let r = 0; r < R; r += 4) {
      const off = <usize>r << 2;
      const g = v128.load(dz + off);
      v128.store(dmu + off, f32x4.add(v128.load(dmu + off), g));
      const fromZ = f32x4.mul(
        f32x4.mul(f32x4.mul(g, v128.load(eps + off)), v128.load(sd + off)),
        f32x4.splat(0.5)
      );
      const total = f32x4.add(v128.load(dlv + off), fromZ);
      const pass = inside4(v128.load(raw + off), LOGVAR_MIN, LOGVAR_MAX);
      v128.store(dlv + off, v128.and(total, pass));
    }
  }
  // q(z|x,y): (µ, raw) = hy·Wq2 + bq2, hy = tanh(h2·Wqz + qzY[y])
  gradient(g4(oQz2), pHy, H + 1, pdOut, 2 * L, R);
  product(pdHy, prm(oQz2), 2 * L, 1, H, 2 * L, pdOut, R, pHy, DTANH);
  for (let h = 0; h < H; h++) {
    const dst = at(pdA, h, T, 0);
    for (let k = 0; k < K; k++) {
      const src = at(pdHy, h, R, k * T);
      let acc = f32x4.splat(0);
      for (let b = 0; b < T; b += 4) {
        const off = <usize>b << 2;
        const v = v128.load(src + off);
        acc = f32x4.add(acc, v);
        v128.store(dst + off, k === 0 ? v : f32x4.add(v128.load(dst + off), v));
      }
      const g = g4(oQzY + k * H + h);
      v128.store(g, f32x4.add(v128.load(g), acc));
    }
  }
  gradient(g4(oQzW), pH2, H, pdA, H, T);
  // q(y|x): logits = h2·Wy + by
  gradient(g4(oQy), pH2, H + 1, pdLg, K, T);
  // shared encoder: h2 feeds both heads
  product(pdH2, prm(oQzW), H, 1, H, H, pdA, T, 0, 0);
  product(pdH2, prm(oQy), K, 1, H, K, pdLg, T, pH2, ADD | DTANH);
  gradient(g4(oEnc2), pH1, H + 1, pdH2, H, T);
  product(pdH1, prm(oEnc2), H, 1, H, H, pdH2, T, pH1, DTANH);
  gradient(g4(oEnc1), pX, D + 1, pdH1, H, T);
}
