/**
 * The kernel's tanh and exp (wasm/gmvae/math.ts) against Math.tanh and
 * Math.exp on a dense sample of the whole float32 range and on the special
 * values. (scripts/check-kernel-math.mjs checks every float32: tanh ≤ 3.5e-7
 * absolute, ≤ 5.9 ulp; exp ≤ 1 ulp on [−87, 88].)
 */
import { describe, expect, it } from 'vitest';

import { Rng } from '../../simulate/rng.js';
import { GmvaeKernel } from './gmvae-wasm.js';

const kernel = new GmvaeKernel({ inputDim: 64, hidden: 4, components: 2, latentDim: 2 }, 4096);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** ulp of the float32 nearest to v (v finite). */
function ulp(v: number): number {
  f32[0] = Math.abs(v);
  const e = (u32[0] >>> 23) & 0xff;
  return 2 ** (Math.max(e, 1) - 150);
}

/** ±(1e−45 … 3e38) log-uniformly, uniform in ±12, ±(0 … 1) densely, and the edges of the clamp. */
function sample(): Float32Array {
  const rng = new Rng(9);
  const out: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    const m = 10 ** (-45 + 83.5 * rng.uniform());
    out.push(rng.uniform() < 0.5 ? -m : m);
    out.push(-12 + 24 * rng.uniform());
    out.push(rng.uniform());
  }
  for (let x = 8.9; x <= 9.1; x += 0.001) {
    out.push(x, -x);
  }
  return Float32Array.from(out);
}

describe('kernel tanh', () => {
  const x = sample();
  const y = kernel.map('tanh', x);

  it('is within 3.5e-7 (and 6 ulp) of tanh over the whole float32 range', () => {
    let maxAbs = 0;
    let maxUlp = 0;
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]);
      const err = Math.abs(y[i] - t);
      maxAbs = Math.max(maxAbs, err);
      if (t !== 0) {
        maxUlp = Math.max(maxUlp, err / ulp(t));
      }
    }
    expect(maxAbs).toBeLessThanOrEqual(3.5e-7);
    expect(maxUlp).toBeLessThanOrEqual(6);
  });

  it('is odd, stays in [−1, 1], and is exactly ±1 where float32 tanh is', () => {
    const neg = kernel.map(
      'tanh',
      x.map(v => -v)
    );
    const bad = { odd: 0, range: 0, one: 0 };
    for (let i = 0; i < x.length; i++) {
      bad.odd += Object.is(neg[i], -y[i]) ? 0 : 1;
      bad.range += Math.abs(y[i]) <= 1 ? 0 : 1;
      bad.one += Math.abs(x[i]) > 9.02 && Math.abs(y[i]) !== 1 ? 1 : 0;
    }
    expect(bad).toEqual({ odd: 0, range: 0, one: 0 });
  });

  it('keeps ±0, tiny values, ±Infinity and NaN right', () => {
    const special = Float32Array.from([
      0,
      -0,
      1e-45,
      -1e-45,
      1e-30,
      3e38,
      -3e38,
      Infinity,
      -Infinity,
      NaN
    ]);
    const got = kernel.map('tanh', special);
    expect(Object.is(got[0], 0)).toBe(true);
    expect(Object.is(got[1], -0)).toBe(true);
    expect(got[2]).toBe(special[2]);
    expect(got[3]).toBe(special[3]);
    expect(got[4]).toBe(special[4]);
    expect(Array.from(got.subarray(5, 9))).toEqual([1, -1, 1, -1]);
    expect(got[9]).toBeNaN();
  });
});

describe('kernel exp', () => {
  it('is within 1.5e-7 relative of exp on [−87, 88]; NaN stays NaN, the rest is clamped', () => {
    const rng = new Rng(3);
    const x = Float32Array.from({ length: 300_000 }, () => -87 + 175 * rng.uniform());
    const y = kernel.map('exp', x);
    let maxRel = 0;
    for (let i = 0; i < x.length; i++) {
      maxRel = Math.max(maxRel, Math.abs(y[i] - Math.exp(x[i])) / Math.exp(x[i]));
    }
    expect(maxRel).toBeLessThan(1.5e-7);
    const special = kernel.map('exp', Float32Array.from([0, NaN, -200, 200]));
    expect(special[0]).toBe(1);
    expect(special[1]).toBeNaN();
    // below −87 and above 88 the clamp's values: tiny and huge, still normal floats
    expect(special[2]).toBeCloseTo(Math.exp(-87), 44);
    expect(special[3] / Math.exp(88)).toBeCloseTo(1, 6);
  });
});
