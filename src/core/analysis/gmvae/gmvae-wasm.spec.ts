import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { Rng } from '../../simulate/rng.js';
import { GMVAE_KERNEL_WASM_BASE64 } from './gmvae-kernel.js';
import { GmvaeKernel, gmvaeKernelUnavailable, tileSamples } from './gmvae-wasm.js';
import { initialWeights } from './init.js';
import { parameterCount } from './layout.js';

const SHAPE = { inputDim: 20, hidden: 32, components: 5, latentDim: 2 };

describe('GMVAE kernel module', () => {
  it('the checked-in kernel is what wasm/gmvae compiles to (npm run build:wasm)', () => {
    const built = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--print', 'gmvae'], {
      encoding: 'utf8'
    });
    expect(built.length).toBeGreaterThan(1000);
    expect(built).toBe(GMVAE_KERNEL_WASM_BASE64);
  });

  it('runs in Node', () => {
    expect(gmvaeKernelUnavailable()).toBeNull();
  });

  it('tiles hold about 320 decoder rows, a multiple of 16 samples', () => {
    for (let k = 1; k <= 40; k++) {
      const t = tileSamples({ ...SHAPE, components: k });
      expect(t % 16).toBe(0);
      expect(t).toBeGreaterThanOrEqual(16);
      expect(t).toBeLessThanOrEqual(256);
      expect(k * t).toBeLessThanOrEqual(Math.max(320 + 8 * k, 16 * k));
    }
    expect(tileSamples(SHAPE)).toBe(64);
  });

  it('round-trips weights, and refuses missing ones and bad sample counts', () => {
    const kernel = new GmvaeKernel(SHAPE, 100);
    const w = initialWeights(SHAPE, new Rng(1));
    kernel.setWeights(w);
    const back = kernel.weights();
    expect(Object.keys(back)).toEqual(Object.keys(w));
    let n = 0;
    for (const [name, v] of Object.entries(w)) {
      expect(back[name].shape).toEqual(v.shape);
      expect(Array.from(back[name].values)).toEqual(Array.from(v.values));
      n += v.values.length;
    }
    expect(n).toBe(parameterCount(SHAPE));
    const missing = { ...w };
    delete missing.decLogVar;
    expect(() => kernel.setWeights(missing)).toThrow(/decLogVar/);
    expect(() => kernel.step(0, 1e-3)).toThrow(RangeError);
    expect(() => kernel.step(101, 1e-3)).toThrow(RangeError);
    expect(() => kernel.lossSum(2.5)).toThrow(RangeError);
  });
});
