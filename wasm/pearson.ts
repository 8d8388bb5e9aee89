/**
 * AssemblyScript source of the Pearson kernel: wasm SIMD (f32x4, four pixels
 * per lane group). For a block of pixels: the correlation of each pixel's
 * spectrum with each centred, unit-norm reference, the argmax and the margin
 * best − second best.
 *
 * `npm run build:wasm` compiles it into src/core/analysis/pearson-kernel.ts
 * (base64; a unit test checks that the two agree). src/core/analysis/
 * pearson-wasm.ts lays out the memory and moves the blocks; pearson.ts falls
 * back to plain TypeScript where WebAssembly SIMD is missing.
 *
 * Memory of one call (byte offsets, 16-byte aligned, set up by the caller):
 *   x      f32 [ne][b]         the block's values, energy-major (b % 4 == 0)
 *   r      f32 [chunks][ne][6][4]  rhat[6c + j][e] repeated in the 4 lanes
 *   mask   u8  [b]             1 = analyse
 *   pcc    f32 [6·chunks][b]   out: correlations (NaN where not analysed)
 *   margin f32 [b]             out: best − second best (NaN where not analysed)
 *   phase  i32 [b]             out: argmax (−1 where not analysed)
 * Lanes past `len` are computed from stale memory and ignored by the caller.
 *
 * Numerics: each spectrum is shifted by its first value before its sums are
 * formed (shifted-data variance), so f32 sums keep ~1e-6 relative accuracy of
 * the correlation whatever the spectrum's offset; the references have zero
 * mean, so the shift leaves the dot products unchanged.
 */

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

export function correlate(
  x: usize,
  ne: i32,
  b: i32,
  len: i32,
  r: usize,
  chunks: i32,
  nRefs: i32,
  mask: usize,
  pcc: usize,
  margin: usize,
  phase: usize
): void {
  const row = <usize>b << 2;
  const n = f32x4.splat(<f32>ne);
  // six references per pass; every pass also sums each spectrum (three more
  // operations per value, which only stacks with more than six references pay
  // again) so that one loop serves them all
  for (let c = 0; c < chunks; c++) {
    const rc = r + <usize>c * <usize>ne * 96;
    const outc = pcc + <usize>(6 * c) * row;
    for (let k = 0; k < len; k += 4) {
      const at = x + (<usize>k << 2);
      const x0 = v128.load(at);
      let sum = f32x4.splat(0);
      let sq = f32x4.splat(0);
      let d0 = f32x4.splat(0);
      let d1 = f32x4.splat(0);
      let d2 = f32x4.splat(0);
      let d3 = f32x4.splat(0);
      let d4 = f32x4.splat(0);
      let d5 = f32x4.splat(0);
      let p = at;
      let rr = rc;
      for (let e = 0; e < ne; e++) {
        const v = f32x4.sub(v128.load(p), x0);
        sum = f32x4.add(sum, v);
        sq = f32x4.add(sq, f32x4.mul(v, v));
        d0 = f32x4.add(d0, f32x4.mul(v, v128.load(rr)));
        d1 = f32x4.add(d1, f32x4.mul(v, v128.load(rr, 16)));
        d2 = f32x4.add(d2, f32x4.mul(v, v128.load(rr, 32)));
        d3 = f32x4.add(d3, f32x4.mul(v, v128.load(rr, 48)));
        d4 = f32x4.add(d4, f32x4.mul(v, v128.load(rr, 64)));
        d5 = f32x4.add(d5, f32x4.mul(v, v128.load(rr, 80)));
        p += row;
        rr += 96;
      }
      const out = outc + (<usize>k << 2);
      v128.store(out, d0);
      v128.store(out + row, d1);
      v128.store(out + 2 * row, d2);
      v128.store(out + 3 * row, d3);
      v128.store(out + 4 * row, d4);
      v128.store(out + 5 * row, d5);
      // the centred sum of squares waits in `margin` for the finish below
      v128.store(margin + (<usize>k << 2), f32x4.sub(sq, f32x4.div(f32x4.mul(sum, sum), n)));
    }
  }
  // finish, four pixels at a time: scale, argmax, margin, NaN where not analysed
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const inf = f32x4.splat(Infinity);
  const nan = f32x4.splat(NaN);
  const none = i32x4.splat(-1);
  for (let k = 0; k < len; k += 4) {
    const off = <usize>k << 2;
    const varSum = v128.load(margin + off);
    const inMask = i32x4.ne(
      i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(mask + k))),
      i32x4.splat(0)
    );
    // var > 0 is false for NaN; var < ∞ rules out overflow
    const valid = v128.and(inMask, v128.and(f32x4.gt(varSum, zero), f32x4.lt(varSum, inf)));
    const inv = f32x4.div(one, f32x4.sqrt(varSum));
    let best = f32x4.splat(-Infinity);
    let second = f32x4.splat(-Infinity);
    let arg = none;
    for (let q = 0; q < nRefs; q++) {
      const at = pcc + <usize>q * row + off;
      const v = f32x4.mul(v128.load(at), inv);
      v128.store(at, v128.bitselect(v, nan, valid));
      const wins = f32x4.gt(v, best);
      second = v128.bitselect(best, f32x4.max(second, v), wins);
      best = v128.bitselect(v, best, wins);
      arg = v128.bitselect(i32x4.splat(q), arg, wins);
    }
    const gap = nRefs > 1 ? f32x4.sub(best, second) : inf;
    v128.store(margin + off, v128.bitselect(gap, nan, valid));
    v128.store(phase + off, v128.bitselect(arg, none, valid));
  }
}
