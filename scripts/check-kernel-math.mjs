#!/usr/bin/env node
/**
 * The GMVAE kernel's tanh and exp (wasm/gmvae/math.ts) against Math.tanh and
 * Math.exp on EVERY float32 of their range: tanh on all non-negative finite
 * floats (it is odd by construction: the sign is copied), exp on all floats of
 * [−87, 88]. Prints the largest absolute error and the largest error in ulps
 * of the correctly rounded result (and, for tanh, the largest absolute error).
 * Needs lib/ (npm run build:lib); a few minutes per function.
 *
 *   node scripts/check-kernel-math.mjs [tanh|exp]
 */
import { GmvaeKernel } from '../lib/core/analysis/gmvae/gmvae-wasm.js';

const which = process.argv[2] ? [process.argv[2]] : ['tanh', 'exp'];
const kernel = new GmvaeKernel({ inputDim: 64, hidden: 4, components: 2, latentDim: 2 }, 16384);
const CHUNK = 1 << 20;
const bits = new Uint32Array(CHUNK);
const values = new Float32Array(bits.buffer);
const one = new Float32Array(1);
const oneBits = new Uint32Array(one.buffer);

/** ulp of the float32 nearest to v (v finite, ≠ 0). */
function ulp(v) {
  one[0] = Math.abs(v);
  const e = (oneBits[0] >>> 23) & 0xff;
  return 2 ** (Math.max(e, 1) - 127 - 23);
}

function check(name, from, to, reference) {
  let maxAbs = 0;
  let maxAbsAt = 0;
  let maxUlp = 0;
  let maxUlpAt = 0;
  let maxRel = 0;
  let count = 0;
  for (let b = from; b <= to; b += CHUNK) {
    const n = Math.min(CHUNK, to - b + 1);
    for (let i = 0; i < n; i++) {
      bits[i] = b + i;
    }
    const out = kernel.map(name, values.subarray(0, n));
    for (let i = 0; i < n; i++) {
      const x = values[i];
      const t = reference(x);
      const err = Math.abs(out[i] - t);
      if (err > maxAbs) {
        maxAbs = err;
        maxAbsAt = x;
      }
      if (t !== 0) {
        const u = err / ulp(t);
        if (u > maxUlp) {
          maxUlp = u;
          maxUlpAt = x;
        }
        maxRel = Math.max(maxRel, err / Math.abs(t));
      }
    }
    count += n;
  }
  return { count, maxAbs, maxAbsAt, maxUlp, maxUlpAt, maxRel };
}

const f32bits = x => {
  one[0] = x;
  return oneBits[0];
};

for (const name of which) {
  const t0 = Date.now();
  const r =
    name === 'tanh'
      ? check('tanh', 0, 0x7f7fffff, Math.tanh)
      : // exp on [−87, 88]: the negative floats down to −87, then the positive ones up to 88
        [
          check('exp', 0x80000000, f32bits(-87), Math.exp),
          check('exp', 0, f32bits(88), Math.exp)
        ].reduce((a, b) => ({
          count: a.count + b.count,
          maxAbs: Math.max(a.maxAbs, b.maxAbs),
          maxAbsAt: a.maxAbs >= b.maxAbs ? a.maxAbsAt : b.maxAbsAt,
          maxUlp: Math.max(a.maxUlp, b.maxUlp),
          maxUlpAt: a.maxUlp >= b.maxUlp ? a.maxUlpAt : b.maxUlpAt,
          maxRel: Math.max(a.maxRel, b.maxRel)
        }));
  const abs = name === 'tanh' ? `max abs error ${r.maxAbs.toExponential(3)} (at ${r.maxAbsAt}), ` : '';
  console.log(
    `${name}: ${r.count} floats, ${abs}max ${r.maxUlp.toFixed(2)} ulp (at ${r.maxUlpAt}), ` +
      `max relative ${r.maxRel.toExponential(3)}, ${((Date.now() - t0) / 1000).toFixed(0)} s`
  );
}
