import { describe, expect, it } from 'vitest';

import { Rng } from '../../simulate/rng.js';
import { fitReferences, nnlsGram } from './least-squares.js';
import { choleskySolve, symmetricEigen } from '../../math/linalg.js';
import { kmeans, pcaKmeans } from './pca-kmeans.js';

/** Three references on 6 energies, and a cube of their non-negative mixtures (E, 1, px). */
const REFS = Float64Array.of(
  1,
  2,
  3,
  2,
  1,
  1, // r0
  1,
  1,
  2,
  3,
  3,
  1, // r1
  2,
  1,
  1,
  1,
  2,
  4 // r2
);
const NE = 6;

function mixtures(coefs: number[][]): Float32Array {
  const npx = coefs.length;
  const cube = new Float32Array(NE * npx);
  coefs.forEach((c, p) => {
    for (let e = 0; e < NE; e++) {
      cube[e * npx + p] = c.reduce((s, v, n) => s + v * REFS[n * NE + e], 0);
    }
  });
  return cube;
}

describe('linear algebra', () => {
  it('solves an SPD system and rejects a singular one', () => {
    const x = choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2)!;
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
    expect(choleskySolve(Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 1), 2)).toBeNull();
  });

  it('Jacobi eigen-decomposition: A v = λ v, descending, orthonormal', () => {
    const a = Float64Array.of(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeGreaterThan(values[1]);
    expect(values[1]).toBeGreaterThan(values[2]);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) {
          av += a[i * 3 + j] * vectors[j * 3 + k];
        }
        expect(av).toBeCloseTo(values[k] * vectors[i * 3 + k], 10);
      }
    }
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(8, 10); // trace
  });
});

describe('least-squares fits to the references', () => {
  it('recover the mixing coefficients of noiseless mixtures', () => {
    const coefs = [
      [0.5, 0, 0],
      [0, 0.3, 0.1],
      [0.2, 0.1, 0.4]
    ];
    const cube = mixtures(coefs);
    const mask = Uint8Array.of(1, 1, 1);
    for (const nonNegative of [false, true]) {
      const fit = fitReferences(cube, NE, REFS, 3, mask, nonNegative);
      coefs.forEach((c, p) =>
        c.forEach((v, n) => expect(fit.coefficients[n * 3 + p]).toBeCloseTo(v, 4))
      );
      expect(Array.from(fit.phase)).toEqual([0, 1, 2]);
      expect(fit.confidence[0]).toBeCloseTo(1, 5);
    }
  });

  it('NNLS keeps coefficients ≥ 0 where LSQ goes negative, and matches a brute-force search', () => {
    // a spectrum outside the cone of the references
    const s = Float64Array.from({ length: NE }, (_, e) => 2 * REFS[e] - 0.8 * REFS[NE + e] + 0.1);
    const g = new Float64Array(9);
    const b = new Float64Array(3);
    for (let i = 0; i < 3; i++) {
      for (let e = 0; e < NE; e++) {
        b[i] += REFS[i * NE + e] * s[e];
        for (let j = 0; j < 3; j++) {
          g[i * 3 + j] += REFS[i * NE + e] * REFS[j * NE + e];
        }
      }
    }
    const x = nnlsGram(g, b, 3);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    const cost = (c: ArrayLike<number>): number => {
      let r = 0;
      for (let e = 0; e < NE; e++) {
        let m = 0;
        for (let n = 0; n < 3; n++) {
          m += c[n] * REFS[n * NE + e];
        }
        r += (s[e] - m) ** 2;
      }
      return r;
    };
    let best = Infinity;
    for (let i = 0; i <= 60; i++) {
      for (let j = 0; j <= 60; j++) {
        for (let k = 0; k <= 60; k++) {
          best = Math.min(best, cost([i * 0.05, j * 0.05, k * 0.05]));
        }
      }
    }
    expect(cost(x)).toBeLessThanOrEqual(best + 1e-9);
    const lsq = choleskySolve(g, b, 3)!;
    expect(Math.min(...lsq)).toBeLessThan(0);
  });
});

describe('PCA + k-means', () => {
  it('k-means finds well-separated clusters, deterministically for a seed', () => {
    const rng = new Rng(3);
    const x = new Float32Array(60 * 2);
    for (let i = 0; i < 60; i++) {
      const c = i % 3;
      x[2 * i] = c * 10 + rng.normal() * 0.3;
      x[2 * i + 1] = (c === 1 ? 5 : 0) + rng.normal() * 0.3;
    }
    const a = kmeans(x, 60, 2, 3, new Rng(1));
    const b = kmeans(x, 60, 2, 3, new Rng(1));
    expect(Array.from(a.assign)).toEqual(Array.from(b.assign));
    for (let i = 3; i < 60; i++) {
      expect(a.assign[i]).toBe(a.assign[i % 3]); // same cluster as its first sibling
    }
    expect(new Set(a.assign).size).toBe(3);
  });

  it('clusters pure pixels of three phases and names each cluster after its reference', () => {
    const rng = new Rng(5);
    const coefs: number[][] = [];
    for (let p = 0; p < 90; p++) {
      const c = [0, 0, 0];
      c[p % 3] = 0.2 + 0.5 * rng.uniform(); // thickness varies: shape, not scale, matters
      coefs.push(c);
    }
    const cube = mixtures(coefs);
    const pixels = Int32Array.from({ length: 90 }, (_, i) => i);
    const out = pcaKmeans(cube, NE, pixels, 90, REFS, 3, 1);
    for (let p = 0; p < 90; p++) {
      expect(out.phase[p]).toBe(p % 3);
    }
    expect(out.components).toBe(3);
    expect(out.explained).toBeGreaterThan(0.99);
  });
});
