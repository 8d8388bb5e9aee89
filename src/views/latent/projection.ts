/**
 * 2-D views of the latent space: the latent means themselves when L ≤ 2, else
 * their two principal axes (PCA over the particle pixels); per-phase Gaussians
 * projected onto the same plane as ellipses.
 */
import type { LatentGaussian } from '../../core/model/result.js';
import { symmetricEigen } from '../../core/math/linalg.js';

export interface Projection {
  /** Latent dimension L. */
  dim: number;
  /** Centre subtracted before projecting (zeros when L ≤ 2). */
  centre: Float64Array;
  /** 2 × L, row-major: the plane's axes. */
  axes: Float64Array;
  /** Axis names for the plot. */
  labels: [string, string];
}

/** The projection for latent means (y, x, L) of the pixels in `mask`. */
export function latentProjection(latent: Float32Array, dim: number, mask: Uint8Array): Projection {
  const axes = new Float64Array(2 * dim);
  const centre = new Float64Array(dim);
  if (dim <= 2) {
    axes[0] = 1;
    if (dim === 2) {
      axes[dim + 1] = 1;
    }
    return { dim, centre, axes, labels: ['z₁', dim === 2 ? 'z₂' : '—'] };
  }
  let n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] && Number.isFinite(latent[p * dim])) {
      n++;
      for (let l = 0; l < dim; l++) {
        centre[l] += latent[p * dim + l];
      }
    }
  }
  if (n > 0) {
    for (let l = 0; l < dim; l++) {
      centre[l] /= n;
    }
  }
  const cov = new Float64Array(dim * dim);
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] && Number.isFinite(latent[p * dim])) {
      for (let a = 0; a < dim; a++) {
        const da = latent[p * dim + a] - centre[a];
        for (let b = a; b < dim; b++) {
          cov[a * dim + b] += da * (latent[p * dim + b] - centre[b]);
        }
      }
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < a; b++) {
      cov[a * dim + b] = cov[b * dim + a];
    }
  }
  const { values, vectors } = symmetricEigen(cov, dim);
  const order = Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0) || 1;
  for (let k = 0; k < 2; k++) {
    for (let l = 0; l < dim; l++) {
      axes[k * dim + l] = vectors[l * dim + order[k]];
    }
  }
  const pct = (k: number): string =>
    `${Math.round((100 * Math.max(0, values[order[k]])) / total)} %`;
  return { dim, centre, axes, labels: [`PC1 (${pct(0)})`, `PC2 (${pct(1)})`] };
}

/** Project a latent vector starting at `offset` of `v`. */
export function project(proj: Projection, v: ArrayLike<number>, offset = 0): [number, number] {
  let x = 0;
  let y = 0;
  for (let l = 0; l < proj.dim; l++) {
    const d = v[offset + l] - proj.centre[l];
    x += proj.axes[l] * d;
    y += proj.axes[proj.dim + l] * d;
  }
  return [x, y];
}

/** A Gaussian on the plane: its mean and 2 × 2 covariance [sxx, sxy, syy]. */
export function projectGaussian(
  proj: Projection,
  g: LatentGaussian
): { mean: [number, number]; cov: [number, number, number] } {
  const L = proj.dim;
  const mean = project(proj, g.mean);
  // P C Pᵀ
  const pc = new Float64Array(2 * L);
  for (let k = 0; k < 2; k++) {
    for (let j = 0; j < L; j++) {
      let s = 0;
      for (let i = 0; i < L; i++) {
        s += proj.axes[k * L + i] * g.cov[i * L + j];
      }
      pc[k * L + j] = s;
    }
  }
  const c = [0, 0, 0, 0];
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      let s = 0;
      for (let j = 0; j < L; j++) {
        s += pc[a * L + j] * proj.axes[b * L + j];
      }
      c[a * 2 + b] = s;
    }
  }
  return { mean, cov: [c[0], 0.5 * (c[1] + c[2]), c[3]] };
}

/**
 * The ellipse of a 2-D Gaussian at `k` standard deviations: centre, radii
 * and rotation (radians, of the first radius from the x axis).
 */
export function ellipse(
  mean: [number, number],
  cov: [number, number, number],
  k: number
): { cx: number; cy: number; rx: number; ry: number; angle: number } {
  const [a, b, c] = cov;
  const tr = a + c;
  const det = a * c - b * b;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  const l1 = tr / 2 + disc;
  const l2 = tr / 2 - disc;
  const angle = Math.abs(b) < 1e-15 ? (a >= c ? 0 : Math.PI / 2) : Math.atan2(l1 - a, b);
  return {
    cx: mean[0],
    cy: mean[1],
    rx: k * Math.sqrt(Math.max(0, l1)),
    ry: k * Math.sqrt(Math.max(0, l2)),
    angle
  };
}

/** Points along an ellipse (for a path), `n` segments. */
export function ellipsePoints(
  e: { cx: number; cy: number; rx: number; ry: number; angle: number },
  n = 72
): [number, number][] {
  const out: [number, number][] = [];
  const ca = Math.cos(e.angle);
  const sa = Math.sin(e.angle);
  for (let i = 0; i <= n; i++) {
    const t = (2 * Math.PI * i) / n;
    const u = e.rx * Math.cos(t);
    const v = e.ry * Math.sin(t);
    out.push([e.cx + u * ca - v * sa, e.cy + u * sa + v * ca]);
  }
  return out;
}
