import { describe, expect, it } from 'vitest';

import { Rng } from '../simulate/rng.js';
import {
  chiSquareQuantile,
  estimateGaussians,
  mahalanobis2,
  normalQuantile,
  prepareGaussian
} from './gaussians.js';
import { resolveInLatentSpace } from './resolve.js';

describe('latent Gaussians', () => {
  it('estimates mean and shrunk covariance, and Mahalanobis distances through them', () => {
    // two points per axis around (1, 2): covariance diag(1, 4) before shrinkage
    const latent = Float32Array.of(0, 2, 2, 2, 1, 0, 1, 4);
    const [g] = estimateGaussians(latent, 2, Int16Array.of(0, 0, 0, 0), 1, 0);
    expect(Array.from(g.mean)).toEqual([1, 2]);
    expect(g.cov[0]).toBeCloseTo(2 / 3, 5);
    expect(g.cov[3]).toBeCloseTo(8 / 3, 5);
    expect(g.cov[1]).toBeCloseTo(0, 12);
    const prepared = prepareGaussian(g, 2);
    // (2, 2): one σ along x → D² = 1 / (2/3)
    expect(mahalanobis2(prepared, Float32Array.of(2, 2), 0, 2)).toBeCloseTo(1.5, 4);
    const shrunk = estimateGaussians(latent, 2, Int16Array.of(0, 0, 0, 0), 1, 0.5)[0];
    expect(shrunk.cov[0]).toBeGreaterThan(g.cov[0]); // pulled towards the mean variance
  });

  it('a phase without unambiguous pixels cannot be assigned', () => {
    const gs = estimateGaussians(Float32Array.of(0, 0, 1, 1), 2, Int16Array.of(0, 0), 2);
    expect(gs[1].count).toBe(0);
    expect(prepareGaussian(gs[1], 2).usable).toBe(false);
  });

  it('χ² and normal quantiles are accurate enough for the flags', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(chiSquareQuantile(2, 0.99)).toBeCloseTo(9.21, 1);
    expect(chiSquareQuantile(4, 0.999)).toBeCloseTo(18.47, 0);
  });
});

/** Two phases side by side in an 8 × 12 image: left phase 0, right phase 1, latent ±3 on axis 0. */
function twoDomains(
  noise: number,
  seed = 1
): {
  latent: Float32Array;
  initial: Int16Array;
  ambiguous: Uint8Array;
} {
  const ny = 8;
  const nx = 12;
  const rng = new Rng(seed);
  const latent = new Float32Array(ny * nx * 2);
  const initial = new Int16Array(ny * nx);
  const ambiguous = new Uint8Array(ny * nx);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const p = y * nx + x;
      const truth = x < nx / 2 ? 0 : 1;
      latent[2 * p] = (truth === 0 ? -3 : 3) + noise * rng.normal();
      latent[2 * p + 1] = noise * rng.normal();
      initial[p] = truth;
    }
  }
  return { latent, initial, ambiguous };
}

describe('resolveInLatentSpace', () => {
  it('assigns ambiguous pixels to the nearest phase in Mahalanobis distance', () => {
    const d = twoDomains(0.5);
    // pixel (2, 2) is phase 0 but Pearson put it in phase 1, ambiguously
    const p = 2 * 12 + 2;
    d.initial[p] = 1;
    d.ambiguous[p] = 1;
    const out = resolveInLatentSpace({
      latent: d.latent,
      latentDim: 2,
      initialPhase: d.initial,
      ambiguous: d.ambiguous,
      shape: [8, 12],
      phases: 2,
      neighbourWeight: 0
    });
    expect(out.phase[p]).toBe(0);
    expect(out.counts.resolved).toBe(1);
    expect(out.counts.changed).toBe(1);
    expect(out.confidence[p]).toBeGreaterThan(0.99);
    expect(out.gaussians[0].count).toBe(47);
    expect(out.gaussians[1].count).toBe(48);
  });

  it('the neighbourhood term settles a pixel the latent space cannot', () => {
    const d = twoDomains(0.3);
    const p = 4 * 12 + 2; // deep in the phase-0 domain …
    d.latent[2 * p] = 0.2; // … but its latent position leans to phase 1
    d.ambiguous[p] = 1;
    const input = {
      latent: d.latent,
      latentDim: 2,
      initialPhase: d.initial,
      ambiguous: d.ambiguous,
      shape: [8, 12] as [number, number],
      phases: 2
    };
    expect(resolveInLatentSpace({ ...input, neighbourWeight: 0 }).phase[p]).toBe(1);
    const withContext = resolveInLatentSpace({ ...input, neighbourWeight: 1 });
    expect(withContext.phase[p]).toBe(0);
    expect(withContext.confidence[p]).toBeGreaterThan(0.5);
  });

  it('flags transitions, false assignments and pixels far from every phase', () => {
    const d = twoDomains(0.3);
    const mid = 3 * 12 + 5;
    d.latent[2 * mid] = 0.1; // half-way between the phase means
    d.latent[2 * mid + 1] = 0;
    const wrong = 6 * 12 + 1; // unambiguously phase 1 by Pearson, but sits in phase 0's cloud
    d.initial[wrong] = 1;
    d.latent[2 * wrong] = -3;
    const far = 1 * 12 + 9;
    d.latent[2 * far + 1] = 25; // nowhere near either phase
    const out = resolveInLatentSpace({
      latent: d.latent,
      latentDim: 2,
      initialPhase: d.initial,
      ambiguous: d.ambiguous,
      shape: [8, 12],
      phases: 2,
      neighbourWeight: 1
    });
    expect(out.transition[mid]).toBe(1);
    expect(out.falseAssignment[wrong]).toBe(1);
    expect(out.phase[wrong]).toBe(1); // flagged, not changed: it was unambiguous
    expect(out.unassigned[far]).toBe(1);
    expect(out.transition[far]).toBe(0);
    expect(out.counts.transition).toBe(1);
    expect(out.counts.falseAssignment).toBe(1);
    expect(out.counts.unassigned).toBe(1);
  });

  it('keeps Pearson labels when no phase has an unambiguous pixel', () => {
    const d = twoDomains(0.3);
    d.ambiguous.fill(1);
    const out = resolveInLatentSpace({
      latent: d.latent,
      latentDim: 2,
      initialPhase: d.initial,
      ambiguous: d.ambiguous,
      shape: [8, 12],
      phases: 2,
      neighbourWeight: 1
    });
    expect(Array.from(out.phase)).toEqual(Array.from(d.initial));
    expect(out.counts.resolved).toBe(0);
  });
});
