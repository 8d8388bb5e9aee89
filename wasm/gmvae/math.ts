/**
 * Elementwise functions of the GMVAE kernel on f32x4 lanes: tanh, exp and
 * the derivative factor of tanh. Plain SIMD128 (no FMA, no relaxed SIMD), so
 * every lane is computed the same way on every engine.
 */

const ONE = f32x4.splat(1.0);
const SIGN = i32x4.splat(0x80000000);

// tanh(x) = x·P(x²)/Q(x²) on |x| ≤ 9: a rational minimax fit of tanh(x)/x in
// s = x² (degrees 6 and 3, relative error 6.6e-9 in exact arithmetic; fitted
// by iteratively reweighted least squares). In f32 arithmetic the error
// against tanh is at most 3.5e-7 (≤ 6 ulp of the result) over every f32
// (scripts/check-kernel-math.mjs tries them all); |x| > 9.02 gives ±1 (where
// f32 tanh is ±1), NaN stays NaN, the result never leaves [−1, 1].
// tests: src/core/analysis/gmvae/kernel-math.spec.ts
const P1: f32 = 0.1308401;
const P2: f32 = 0.0031039559;
const P3: f32 = 1.1154302e-5;
const P4: f32 = -2.0225196e-8;
const P5: f32 = 5.2779302e-11;
const P6: f32 = -8.488655e-14;
const Q1: f32 = 0.46417338;
const Q2: f32 = 0.024495177;
const Q3: f32 = 0.00025461445;
const TANH_CLAMP: f32 = 9.0;
const TANH_ONE: f32 = 9.02;

@inline
export function tanh4(x: v128): v128 {
  const ax = v128.andnot(x, SIGN);
  const c = f32x4.pmin(ax, f32x4.splat(TANH_CLAMP));
  const s = f32x4.mul(c, c);
  // Estrin's scheme: the same accuracy as Horner's, a shorter dependency chain
  const s2 = f32x4.mul(s, s);
  const s4 = f32x4.mul(s2, s2);
  const p01 = f32x4.add(f32x4.mul(f32x4.splat(P1), s), ONE);
  const p23 = f32x4.add(f32x4.mul(f32x4.splat(P3), s), f32x4.splat(P2));
  const p456 = f32x4.add(
    f32x4.add(f32x4.mul(f32x4.splat(P5), s), f32x4.splat(P4)),
    f32x4.mul(f32x4.splat(P6), s2)
  );
  const p = f32x4.add(f32x4.add(p01, f32x4.mul(s2, p23)), f32x4.mul(s4, p456));
  const q = f32x4.add(
    f32x4.add(f32x4.mul(f32x4.splat(Q1), s), ONE),
    f32x4.mul(s2, f32x4.add(f32x4.mul(f32x4.splat(Q3), s), f32x4.splat(Q2)))
  );
  let r = f32x4.pmin(f32x4.div(f32x4.mul(c, p), q), ONE);
  r = v128.bitselect(ONE, r, f32x4.gt(ax, f32x4.splat(TANH_ONE)));
  return v128.or(r, v128.and(x, SIGN));
}

/** 1 − y², the derivative of tanh at its output y (as tfjs's gradient computes it). */
@inline
export function dtanh4(y: v128): v128 {
  return f32x4.sub(ONE, f32x4.mul(y, y));
}

// exp(x) (Cephes expf): x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-7
// polynomial, 2^n from the exponent bits. Inputs are clamped to [−87, 88]
// (the results stay normal floats: e^−87 ≈ 1.6e−38 stands in for smaller
// values); relative error ≤ 2 ulp; NaN stays NaN.
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const MAGIC = f32x4.splat(12582912.0);

@inline
export function exp4(x: v128): v128 {
  let v = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(v, f32x4.splat(LOG2E)));
  v = f32x4.sub(v, f32x4.mul(n, f32x4.splat(LN2_HI)));
  v = f32x4.sub(v, f32x4.mul(n, f32x4.splat(LN2_LO)));
  const z = f32x4.mul(v, v);
  let y = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), v), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, v), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), v), ONE);
  // n + 1.5·2²³ holds the integer n in its low mantissa bits: 2ⁿ without a float → int conversion
  const scale = i32x4.shl(i32x4.add(f32x4.add(n, MAGIC), i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(y, scale);
}

/** Natural log of each lane (the library's scalar logf: once per sample, not worth a polynomial). */
@inline
export function log4(x: v128): v128 {
  let r = f32x4.splat(Mathf.log(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.log(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.log(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, Mathf.log(f32x4.extract_lane(x, 3)));
}

/** Clamp to [lo, hi] (NaN stays NaN, as in tfjs's clipByValue). */
@inline
export function clip4(x: v128, lo: f32, hi: f32): v128 {
  return f32x4.pmin(f32x4.pmax(x, f32x4.splat(lo)), f32x4.splat(hi));
}

/** All ones where lo ≤ x ≤ hi: where tfjs's clipByValue lets the gradient through. */
@inline
export function inside4(x: v128, lo: f32, hi: f32): v128 {
  return v128.and(f32x4.ge(x, f32x4.splat(lo)), f32x4.le(x, f32x4.splat(hi)));
}
