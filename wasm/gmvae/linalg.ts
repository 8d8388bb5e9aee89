/**
 * The two products every layer of the GMVAE kernel is made of, on matrices
 * stored feature-major (one row of R floats per feature, R samples of a
 * tile; R % 16 == 0, rows 16-byte aligned):
 *
 *   product   C[a][·] = f( Σ_c M[a·sa + c·sc] · S[c][·] )   forward (M = W, sa = 1,
 *             sc = nOut) and backward (M = W read transposed, sa = nOut, sc = 1)
 *   gradient  G4[i·nO + o] += Σ_r X[i][r] · Y[o][r]         weight gradients, kept as
 *             four partial sums per weight (lane = r mod 4), summed once per step
 *
 * A bias is the weight row of a constant input: activation matrices carry a
 * last row of ones, and weight matrices are stored with their bias as an
 * extra row (W then b, as in the model's parameter list), so one product
 * adds it and one gradient pass sums it.
 *
 * Register blocking: the product computes 2 outputs × 16 samples per inner
 * loop (8 accumulators: 2 weight broadcasts and 4 sample loads per 8
 * multiply-adds; 4 × 8 was 2 % slower, 1 × 32 45 % slower in V8), the
 * gradient 2 inputs × 4 outputs × 4 samples; the remainders go one output at
 * a time. V8 keeps 15 xmm registers for wasm: wider blocks spill. The sum
 * over c (or r) always runs in the same order: results do not depend on the
 * engine.
 */
import { dtanh4, tanh4 } from './math';

/** f after the sum: add what C holds (ADD), times 1 − Y² (DTANH), then tanh (TANH). */
export const ADD = 1;
export const DTANH = 2;
export const TANH = 4;

@inline
function finish(v: v128, c: usize, y: usize, mode: i32): void {
  let r = v;
  if (mode & ADD) {
    r = f32x4.add(r, v128.load(c));
  }
  if (mode & DTANH) {
    r = f32x4.mul(r, dtanh4(v128.load(y)));
  }
  if (mode & TANH) {
    r = tanh4(r);
  }
  v128.store(c, r);
}

/** C (nA rows) = f(M · S) over the R samples (R % 16 == 0); Y (for DTANH) has C's layout. */
export function product(
  C: usize,
  M: usize,
  sa: i32,
  sc: i32,
  nA: i32,
  nC: i32,
  S: usize,
  R: i32,
  Y: usize,
  mode: i32
): void {
  const row = <usize>R << 2;
  const saB = <usize>sa << 2;
  const scB = <usize>sc << 2;
  const nA2 = nA & ~1;
  for (let r = 0; r < R; r += 16) {
    const rOff = <usize>r << 2;
    let a = 0;
    for (; a < nA2; a += 2) {
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c02 = f32x4.splat(0);
      let c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c12 = f32x4.splat(0);
      let c13 = f32x4.splat(0);
      let sp = S + rOff;
      let mp = M + <usize>a * saB;
      for (let c = 0; c < nC; c++) {
        const w0 = v128.load32_splat(mp);
        const w1 = v128.load32_splat(mp + saB);
        const s0 = v128.load(sp);
        c00 = f32x4.add(c00, f32x4.mul(w0, s0));
        c10 = f32x4.add(c10, f32x4.mul(w1, s0));
        const s1 = v128.load(sp, 16);
        c01 = f32x4.add(c01, f32x4.mul(w0, s1));
        c11 = f32x4.add(c11, f32x4.mul(w1, s1));
        const s2 = v128.load(sp, 32);
        c02 = f32x4.add(c02, f32x4.mul(w0, s2));
        c12 = f32x4.add(c12, f32x4.mul(w1, s2));
        const s3 = v128.load(sp, 48);
        c03 = f32x4.add(c03, f32x4.mul(w0, s3));
        c13 = f32x4.add(c13, f32x4.mul(w1, s3));
        sp += row;
        mp += scB;
      }
      const at = C + <usize>a * row + rOff;
      const yt = Y + <usize>a * row + rOff;
      finish(c00, at, yt, mode);
      finish(c01, at + 16, yt + 16, mode);
      finish(c02, at + 32, yt + 32, mode);
      finish(c03, at + 48, yt + 48, mode);
      finish(c10, at + row, yt + row, mode);
      finish(c11, at + row + 16, yt + row + 16, mode);
      finish(c12, at + row + 32, yt + row + 32, mode);
      finish(c13, at + row + 48, yt + row + 48, mode);
    }
    for (; a < nA; a++) {
      let c0 = f32x4.splat(0);
      let c1 = f32x4.splat(0);
      let c2 = f32x4.splat(0);
      let c3 = f32x4.splat(0);
      let sp = S + rOff;
      let mp = M + <usize>a * saB;
      for (let c = 0; c < nC; c++) {
        const w = v128.load32_splat(mp);
        c0 = f32x4.add(c0, f32x4.mul(w, v128.load(sp)));
        c1 = f32x4.add(c1, f32x4.mul(w, v128.load(sp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(w, v128.load(sp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(w, v128.load(sp, 48)));
        sp += row;
        mp += scB;
      }
      const at = C + <usize>a * row + rOff;
      const yt = Y + <usize>a * row + rOff;
      finish(c0, at, yt, mode);
      finish(c1, at + 16, yt + 16, mode);
      finish(c2, at + 32, yt + 32, mode);
      finish(c3, at + 48, yt + 48, mode);
    }
  }
}

/** G4[i·nO + o] += Σ_r X[i][r]·Y[o][r] for i < nI, o < nO (G4: one v128 per weight). */
export function gradient(G4: usize, X: usize, nI: i32, Y: usize, nO: i32, R: i32): void {
  const row = <usize>R << 2;
  const end = row;
  const nI2 = nI & ~1;
  const nO4 = nO & ~3;
  let i = 0;
  for (; i < nI2; i += 2) {
    const x0 = X + <usize>i * row;
    const x1 = x0 + row;
    let o = 0;
    for (; o < nO4; o += 4) {
      const y0 = Y + <usize>o * row;
      const y1 = y0 + row;
      const y2 = y1 + row;
      const y3 = y2 + row;
      let a00 = f32x4.splat(0);
      let a01 = f32x4.splat(0);
      let a02 = f32x4.splat(0);
      let a03 = f32x4.splat(0);
      let a10 = f32x4.splat(0);
      let a11 = f32x4.splat(0);
      let a12 = f32x4.splat(0);
      let a13 = f32x4.splat(0);
      for (let off: usize = 0; off < end; off += 16) {
        const u = v128.load(x0 + off);
        const v = v128.load(x1 + off);
        const b0 = v128.load(y0 + off);
        a00 = f32x4.add(a00, f32x4.mul(u, b0));
        a10 = f32x4.add(a10, f32x4.mul(v, b0));
        const b1 = v128.load(y1 + off);
        a01 = f32x4.add(a01, f32x4.mul(u, b1));
        a11 = f32x4.add(a11, f32x4.mul(v, b1));
        const b2 = v128.load(y2 + off);
        a02 = f32x4.add(a02, f32x4.mul(u, b2));
        a12 = f32x4.add(a12, f32x4.mul(v, b2));
        const b3 = v128.load(y3 + off);
        a03 = f32x4.add(a03, f32x4.mul(u, b3));
        a13 = f32x4.add(a13, f32x4.mul(v, b3));
      }
      const g0 = G4 + ((<usize>i * <usize>nO + <usize>o) << 4);
      const g1 = g0 + (<usize>nO << 4);
      v128.store(g0, f32x4.add(v128.load(g0), a00));
      v128.store(g0, f32x4.add(v128.load(g0, 16), a01), 16);
      v128.store(g0, f32x4.add(v128.load(g0, 32), a02), 32);
      v128.store(g0, f32x4.add(v128.load(g0, 48), a03), 48);
      v128.store(g1, f32x4.add(v128.load(g1), a10));
      v128.store(g1, f32x4.add(v128.load(g1, 16), a11), 16);
      v128.store(g1, f32x4.add(v128.load(g1, 32), a12), 32);
      v128.store(g1, f32x4.add(v128.load(g1, 48), a13), 48);
    }
    for (; o < nO; o++) {
      const y0 = Y + <usize>o * row;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      for (let off: usize = 0; off < end; off += 16) {
        const b = v128.load(y0 + off);
        a0 = f32x4.add(a0, f32x4.mul(v128.load(x0 + off), b));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(x1 + off), b));
      }
      const g0 = G4 + ((<usize>i * <usize>nO + <usize>o) << 4);
      const g1 = g0 + (<usize>nO << 4);
      v128.store(g0, f32x4.add(v128.load(g0), a0));
      v128.store(g1, f32x4.add(v128.load(g1), a1));
    }
  }
  for (; i < nI; i++) {
    const x0 = X + <usize>i * row;
    for (let o = 0; o < nO; o++) {
      const y0 = Y + <usize>o * row;
      let a0 = f32x4.splat(0);
      for (let off: usize = 0; off < end; off += 16) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load(x0 + off), v128.load(y0 + off)));
      }
      const g0 = G4 + ((<usize>i * <usize>nO + <usize>o) << 4);
      v128.store(g0, f32x4.add(v128.load(g0), a0));
    }
  }
}
