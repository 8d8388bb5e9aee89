import { describe, expect, it } from 'vitest';

import { latentLayout } from './layout.js';
import { latentProjection } from './projection.js';

describe('the latent view layout', () => {
  // 2 × 2 pixels, L = 2: three particle pixels, one of them without a latent position
  const latent = Float32Array.from([0, 0, 1, 2, Number.NaN, Number.NaN, 9, 9]);
  const mask = Uint8Array.from([1, 1, 1, 0]);
  const proj = latentProjection(latent, 2, mask);

  it('places every particle pixel with a latent position, in a padded domain', () => {
    const layout = latentLayout(latent, 2, mask, [], proj);
    expect(Array.from(layout.pixels)).toEqual([0, 1]);
    expect(Array.from(layout.xy)).toEqual([0, 0, 1, 2]);
    expect(layout.domain.map(v => Number(v.toFixed(6)))).toEqual([-0.05, 1.05, -0.1, 2.1]);
  });

  it('makes room for the 2σ ellipses, but never more than a span on each side', () => {
    const g = (mean: number[], v: number) => ({
      mean: Float64Array.from(mean),
      cov: Float64Array.from([v, 0, 0, v]),
      count: 10
    });
    const near = latentLayout(latent, 2, mask, [g([0, 0], 0.25)], proj); // 2σ = 1
    expect(near.domain[0]).toBeCloseTo(-1 - 0.05 * 2, 6);
    const broad = latentLayout(latent, 2, mask, [g([0, 0], 100), null], proj);
    expect(broad.domain[0]).toBeCloseTo(-1 - 0.05 * 3, 6); // x0 − spanX, padded
    expect(broad.domain[3]).toBeCloseTo(4 + 0.05 * 6, 6); // y1 + spanY, padded
  });

  it('has a unit domain without points', () => {
    expect(latentLayout(latent, 2, new Uint8Array(4), [], proj).domain).toEqual([-1, 1, -1, 1]);
  });
});
