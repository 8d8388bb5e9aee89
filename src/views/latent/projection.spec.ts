import { describe, expect, it } from 'vitest';

import {
  ellipse,
  ellipsePoints,
  latentProjection,
  project,
  projectGaussian
} from './projection.js';

describe('latent projections', () => {
  it('is the identity for L = 2', () => {
    const latent = Float32Array.of(1, 2, 3, 4);
    const proj = latentProjection(latent, 2, Uint8Array.of(1, 1));
    expect(project(proj, latent, 2)).toEqual([3, 4]);
    expect(proj.labels).toEqual(['z₁', 'z₂']);
  });

  it('finds the principal plane of L = 3 points lying in a tilted plane', () => {
    // points spread along u = (1,1,0)/√2 (large) and w = (0,0,1) (small); nothing along (1,−1,0)
    const pts: number[] = [];
    for (let i = -10; i <= 10; i++) {
      for (let j = -2; j <= 2; j++) {
        pts.push(i / Math.SQRT2 + 5, i / Math.SQRT2 - 1, j * 0.5 + 2);
      }
    }
    const latent = Float32Array.from(pts);
    const mask = new Uint8Array(latent.length / 3).fill(1);
    const proj = latentProjection(latent, 3, mask);
    const ax1 = Array.from(proj.axes.subarray(0, 3)).map(Math.abs);
    expect(ax1[0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(ax1[1]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(Math.abs(proj.axes[5])).toBeCloseTo(1, 5);
    expect(proj.labels[0]).toMatch(/^PC1 \(\d+ %\)$/);
    // the centre projects to the origin
    const c = project(proj, [5, -1, 2]);
    expect(Math.hypot(...c)).toBeLessThan(1e-6);
  });

  it('projects a Gaussian: covariance P C Pᵀ', () => {
    const proj = latentProjection(new Float32Array(4), 2, Uint8Array.of(1, 1));
    const g = { mean: Float64Array.of(1, 2), cov: Float64Array.of(4, 1, 1, 9), count: 10 };
    const pg = projectGaussian(proj, g);
    expect(pg.mean).toEqual([1, 2]);
    expect(pg.cov).toEqual([4, 1, 9]);
  });

  it('draws axis-aligned and rotated ellipses', () => {
    const e = ellipse([0, 0], [4, 0, 1], 2);
    expect(e.rx).toBeCloseTo(4, 12);
    expect(e.ry).toBeCloseTo(2, 12);
    expect(e.angle).toBe(0);
    const r = ellipse([1, 1], [2, 1, 2], 1); // eigenvalues 3 (along (1,1)) and 1
    expect(r.rx).toBeCloseTo(Math.sqrt(3), 12);
    expect(r.ry).toBeCloseTo(1, 12);
    expect(r.angle).toBeCloseTo(Math.PI / 4, 12);
    const pts = ellipsePoints(r, 4);
    expect(pts[0][0]).toBeCloseTo(1 + Math.sqrt(3) * Math.SQRT1_2, 12);
  });
});
