/**
 * The loss of one tile and its gradient with respect to the decoder output,
 * (µ, log σ²) and the logits (model.ts `loss`, per sample):
 *
 *   Σ_y q(y|x) [ ½ Σ_d ((x − x̂_y)² e^−v + v) + KL(q(z|x,y) ‖ p(z|y)) ] + Σ_y q (log q + log K)
 *
 * v = clip(decLogVar), the prior's log σ² clipped the same way. Each
 * sample's gradient carries its weight (1/B in a batch, 0 for padding).
 * Gradients of decLogVar, priorMu and priorLogVar go straight into G4; the
 * clips' masks are applied when G4 is summed (index.ts).
 */
import {
  D,
  K,
  L,
  R,
  T,
  oDecLv,
  oPLv,
  oPMu,
  pDecInv,
  pDecVar,
  pGrad4,
  pLq,
  pLv,
  pOut,
  pPriInv,
  pPriVar,
  pQ,
  pRk,
  pWt,
  pX,
  pXh,
  pdLg,
  pdOut,
  pdXh
} from './layout';
import { LOGVAR_MAX, LOGVAR_MIN, at, prm } from './forward';
import { exp4 } from './math';

const HALF = f32x4.splat(0.5);
const ONE = f32x4.splat(1.0);

@inline
function addTo(g: usize, v: v128): void {
  v128.store(g, f32x4.add(v128.load(g), v));
}

/** Clipped decLogVar and prior log σ², and their exp(−·), once per step. */
export function stepConstants(): void {
  for (let d = 0; d < D; d++) {
    const v = Mathf.min(Mathf.max(load<f32>(prm(oDecLv + d)), LOGVAR_MIN), LOGVAR_MAX);
    store<f32>(pDecVar + (<usize>d << 2), v);
    store<f32>(pDecInv + (<usize>d << 2), Mathf.exp(-v));
  }
  for (let i = 0; i < K * L; i++) {
    const v = Mathf.min(Mathf.max(load<f32>(prm(oPLv + i)), LOGVAR_MIN), LOGVAR_MAX);
    store<f32>(pPriVar + (<usize>i << 2), v);
    store<f32>(pPriInv + (<usize>i << 2), Mathf.exp(-v));
  }
}

/**
 * Sum of the tile's per-sample losses (samples of weight 0 excluded); with
 * `grad`, the output gradients into dXh, dOut (µ rows, then log σ² before its
 * clip), dLg (logits) and G4 (decLogVar, priorMu, priorLogVar).
 */
export function tileLoss(grad: bool): f64 {
  const logK = <f32>Math.log(<f64>K);
  for (let k = 0; k < K; k++) {
    for (let b = 0; b < T; b += 4) {
      const row = k * T + b;
      const q = v128.load(at(pQ, k, T, b));
      const cq = f32x4.mul(v128.load(pWt + (<usize>b << 2)), q);
      const hcq = f32x4.mul(cq, HALF);
      // −log p(x|z) without its constant
      let acc = f32x4.splat(0);
      for (let d = 0; d < D; d++) {
        const iv = v128.load32_splat(pDecInv + (<usize>d << 2));
        const v = v128.load32_splat(pDecVar + (<usize>d << 2));
        const diff = f32x4.sub(v128.load(at(pXh, d, R, row)), v128.load(at(pX, d, T, b)));
        const sq = f32x4.mul(diff, diff);
        const term = f32x4.mul(sq, iv);
        acc = f32x4.add(acc, f32x4.add(term, v));
        if (grad) {
          v128.store(at(pdXh, d, R, row), f32x4.mul(cq, f32x4.mul(diff, iv)));
          addTo(pGrad4 + (<usize>(oDecLv + d) << 4), f32x4.mul(hcq, f32x4.sub(ONE, term)));
        }
      }
      const recon = f32x4.mul(acc, HALF);
      // KL(q(z|x,y) ‖ p(z|y))
      let kacc = f32x4.splat(0);
      for (let l = 0; l < L; l++) {
        const kl = k * L + l;
        const pm = v128.load32_splat(prm(oPMu + kl));
        const pv = v128.load32_splat(pPriVar + (<usize>kl << 2));
        const ip = v128.load32_splat(pPriInv + (<usize>kl << 2));
        const mu = v128.load(at(pOut, l, R, row));
        const lv = v128.load(at(pLv, l, R, row));
        const e = exp4(lv);
        const m = f32x4.sub(mu, pm);
        const inner = f32x4.mul(f32x4.add(e, f32x4.mul(m, m)), ip);
        kacc = f32x4.add(kacc, f32x4.sub(f32x4.add(f32x4.sub(pv, lv), inner), ONE));
        if (grad) {
          const dmu = f32x4.mul(cq, f32x4.mul(m, ip));
          v128.store(at(pdOut, l, R, row), dmu);
          v128.store(at(pdOut, L + l, R, row), f32x4.mul(hcq, f32x4.sub(f32x4.mul(e, ip), ONE)));
          const g = pGrad4 + (<usize>(oPMu + kl) << 4);
          v128.store(g, f32x4.sub(v128.load(g), dmu));
          addTo(pGrad4 + (<usize>(oPLv + kl) << 4), f32x4.mul(hcq, f32x4.sub(ONE, inner)));
        }
      }
      v128.store(at(pRk, k, T, b), f32x4.add(recon, f32x4.mul(kacc, HALF)));
    }
  }
  // per sample: Σ_y q (recon + KL) + KL(q(y|x) ‖ U(K)), and the logits' gradient
  const lk = f32x4.splat(logK);
  let total = f32x4.splat(0);
  for (let b = 0; b < T; b += 4) {
    const c = v128.load(pWt + (<usize>b << 2));
    let perY = f32x4.splat(0);
    let kly = f32x4.splat(0);
    let sum = f32x4.splat(0);
    for (let k = 0; k < K; k++) {
      const q = v128.load(at(pQ, k, T, b));
      const lq = f32x4.add(v128.load(at(pLq, k, T, b)), lk);
      const rk = v128.load(at(pRk, k, T, b));
      perY = f32x4.add(perY, f32x4.mul(q, rk));
      kly = f32x4.add(kly, f32x4.mul(q, lq));
      if (grad) {
        // d/d log q: q·(c·(recon + KL) + c·(log q + log K)) + c·q
        const cq = f32x4.mul(c, q);
        const dl = f32x4.add(f32x4.mul(q, f32x4.add(f32x4.mul(c, rk), f32x4.mul(c, lq))), cq);
        v128.store(at(pdLg, k, T, b), dl);
        sum = f32x4.add(sum, dl);
      }
    }
    const live = f32x4.ne(c, f32x4.splat(0));
    total = f32x4.add(total, v128.bitselect(f32x4.add(perY, kly), f32x4.splat(0), live));
    if (grad) {
      // through log-softmax: dl − q·Σ dl
      for (let k = 0; k < K; k++) {
        const q = v128.load(at(pQ, k, T, b));
        const p = at(pdLg, k, T, b);
        v128.store(p, f32x4.sub(v128.load(p), f32x4.mul(q, sum)));
      }
    }
  }
  return (
    <f64>f32x4.extract_lane(total, 0) +
    <f64>f32x4.extract_lane(total, 1) +
    <f64>f32x4.extract_lane(total, 2) +
    <f64>f32x4.extract_lane(total, 3)
  );
}
