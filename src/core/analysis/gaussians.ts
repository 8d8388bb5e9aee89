/**
 * Phase distributions in latent space: mean and regularised covariance of
 * the latent positions of a phase's unambiguous pixels, and the squared
 * Mahalanobis distance to them through a Cholesky factor.
 */
import type { LatentGaussian } from '../model/result.js';

/**
 * Regularisation of each phase's covariance:
 * Σ' = (1 − α)·[(1 − γ)·Σ_phase + γ·Σ_pooled] + α·tr(…)/L·I (+ a tiny ridge),
 * γ towards the pooled within-phase covariance, α towards a scaled identity.
 * Pooling matters: a phase estimated from noisy rim pixels gets a broad
 * covariance and, with unpooled covariances, would draw in every mixed
 * pixel at a front (Mahalanobis favours the broader class). Chosen on the
 * tuning stacks (docs/benchmarks.md).
 */
export const COVARIANCE_POOLING = 0.5;
export const COVARIANCE_SHRINKAGE = 0.1;

/** A Gaussian ready for distances: L⁻¹ of its Cholesky factor (lower, row-major). */
export interface PreparedGaussian {
  mean: Float64Array;
  /** Inverse of the lower Cholesky factor, L × L row-major. */
  invChol: Float64Array;
  usable: boolean;
}

/**
 * Means and covariances of the latent positions of pixels grouped by label
 * (`label[p]` in 0..n−1 for pixels that count, −1 otherwise), regularised as
 * above. A group with fewer than L + 1 pixels takes the pooled within-group
 * covariance; a group with no pixel is returned with `count` 0 (no phase can
 * be assigned to it).
 */
export function estimateGaussians(
  latent: Float32Array,
  dim: number,
  label: Int16Array,
  groups: number,
  shrinkage = COVARIANCE_SHRINKAGE,
  pooling = COVARIANCE_POOLING
): LatentGaussian[] {
  return gaussiansFromMoments(latentMoments(latent, dim, label, groups), shrinkage, pooling);
}

/** Counts, means and scatter matrices (lower triangles) of the latent positions per group. */
export interface LatentMoments {
  dim: number;
  groups: number;
  counts: Float64Array;
  means: Float64Array;
  /** groups × dim × dim, Σ (z − µ)(z − µ)ᵀ, lower triangle filled. */
  scatter: Float64Array;
}

/** Sums per group, before centring: what `latentMoments` accumulates in its pass. */
export interface RawMoments {
  dim: number;
  groups: number;
  counts: Float64Array;
  sums: Float64Array;
  /** groups × dim × dim, Σ z zᵀ, lower triangle filled. */
  second: Float64Array;
}

/** One pass over the pixels: sums and sums of outer products (float64) per group. */
export function latentMoments(
  latent: Float32Array,
  dim: number,
  label: Int16Array,
  groups: number
): LatentMoments {
  return momentsFromRaw(accumulateMoments(latent, dim, label, groups));
}

export function accumulateMoments(
  latent: Float32Array,
  dim: number,
  label: Int16Array,
  groups: number
): RawMoments {
  const counts = new Float64Array(groups);
  const sums = new Float64Array(groups * dim);
  const second = new Float64Array(groups * dim * dim);
  if (dim === 2) {
    // the default latent dimension, unrolled (this pass runs on every move of τ)
    for (let p = 0; p < label.length; p++) {
      const g = label[p];
      if (g < 0) {
        continue;
      }
      const zx = latent[2 * p];
      const zy = latent[2 * p + 1];
      counts[g]++;
      sums[2 * g] += zx;
      sums[2 * g + 1] += zy;
      second[4 * g] += zx * zx;
      second[4 * g + 2] += zy * zx;
      second[4 * g + 3] += zy * zy;
    }
    return { dim, groups, counts, sums, second };
  }
  for (let p = 0; p < label.length; p++) {
    const g = label[p];
    if (g < 0) {
      continue;
    }
    counts[g]++;
    const off = p * dim;
    const sb = g * dim;
    const qb = g * dim * dim;
    for (let i = 0; i < dim; i++) {
      const zi = latent[off + i];
      sums[sb + i] += zi;
      for (let j = 0; j <= i; j++) {
        second[qb + i * dim + j] += zi * latent[off + j];
      }
    }
  }
  return { dim, groups, counts, sums, second };
}

/** Take pixel `p` (of group `g`) out of raw moments: cheaper than a new pass when few leave. */
export function removeFromMoments(
  raw: RawMoments,
  latent: Float32Array,
  p: number,
  g: number
): void {
  const { dim, counts, sums, second } = raw;
  const off = p * dim;
  counts[g]--;
  for (let i = 0; i < dim; i++) {
    const zi = latent[off + i];
    sums[g * dim + i] -= zi;
    for (let j = 0; j <= i; j++) {
      second[g * dim * dim + i * dim + j] -= zi * latent[off + j];
    }
  }
}

/** Means and centred scatter from raw sums (the raw moments are not changed). */
export function momentsFromRaw(raw: RawMoments): LatentMoments {
  const { dim, groups, counts: rawCounts, sums, second } = raw;
  const counts = rawCounts.slice();
  const means = new Float64Array(groups * dim);
  const scatter = new Float64Array(groups * dim * dim);
  for (let g = 0; g < groups; g++) {
    const c = counts[g];
    if (c === 0) {
      continue;
    }
    for (let i = 0; i < dim; i++) {
      means[g * dim + i] = sums[g * dim + i] / c;
    }
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j <= i; j++) {
        const k = g * dim * dim + i * dim + j;
        scatter[k] = Math.max(
          i === j ? 0 : Number.NEGATIVE_INFINITY,
          second[k] - c * means[g * dim + i] * means[g * dim + j]
        );
      }
    }
  }
  return { dim, groups, counts, means, scatter };
}

/** Regularised Gaussians from moments (see COVARIANCE_POOLING). */
export function gaussiansFromMoments(
  m: LatentMoments,
  shrinkage = COVARIANCE_SHRINKAGE,
  pooling = COVARIANCE_POOLING
): LatentGaussian[] {
  const { dim, groups, counts, means, scatter } = m;
  // pooled within-group covariance
  const pooled = new Float64Array(dim * dim);
  let dof = 0;
  for (let g = 0; g < groups; g++) {
    if (counts[g] > 1) {
      dof += counts[g] - 1;
      for (let k = 0; k < dim * dim; k++) {
        pooled[k] += scatter[g * dim * dim + k];
      }
    }
  }
  for (let k = 0; k < dim * dim; k++) {
    pooled[k] = dof > 0 ? pooled[k] / dof : 0;
  }
  const out: LatentGaussian[] = [];
  for (let g = 0; g < groups; g++) {
    const cov = new Float64Array(dim * dim);
    const own = counts[g] >= dim + 1;
    const gamma = own ? pooling : 1;
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j <= i; j++) {
        const mine = own ? scatter[g * dim * dim + i * dim + j] / (counts[g] - 1) : 0;
        const v = (1 - gamma) * mine + gamma * pooled[i * dim + j];
        cov[i * dim + j] = v;
        cov[j * dim + i] = v;
      }
    }
    regularise(cov, dim, shrinkage);
    out.push({ mean: means.slice(g * dim, (g + 1) * dim), cov, count: counts[g] });
  }
  return out;
}

function regularise(cov: Float64Array, dim: number, alpha: number): void {
  let trace = 0;
  for (let i = 0; i < dim; i++) {
    trace += cov[i * dim + i];
  }
  const scale = trace > 0 ? trace / dim : 1;
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      cov[i * dim + j] *= 1 - alpha;
    }
    cov[i * dim + i] += alpha * scale + 1e-6 * scale;
  }
}

/** Cholesky factor inverse, for fast distances. */
export function prepareGaussian(g: LatentGaussian, dim: number): PreparedGaussian {
  const l = new Float64Array(dim * dim);
  let ok = g.count > 0;
  for (let i = 0; i < dim && ok; i++) {
    for (let j = 0; j <= i; j++) {
      let s = g.cov[i * dim + j];
      for (let k = 0; k < j; k++) {
        s -= l[i * dim + k] * l[j * dim + k];
      }
      if (i === j) {
        if (!(s > 0)) {
          ok = false;
          break;
        }
        l[i * dim + i] = Math.sqrt(s);
      } else {
        l[i * dim + j] = s / l[j * dim + j];
      }
    }
  }
  const inv = new Float64Array(dim * dim);
  if (ok) {
    // forward substitution for each unit vector
    for (let c = 0; c < dim; c++) {
      for (let i = c; i < dim; i++) {
        let s = i === c ? 1 : 0;
        for (let k = c; k < i; k++) {
          s -= l[i * dim + k] * inv[k * dim + c];
        }
        inv[i * dim + c] = s / l[i * dim + i];
      }
    }
  }
  return { mean: g.mean, invChol: inv, usable: ok };
}

/** Squared Mahalanobis distance of `z` (at `offset` in `latent`) to a prepared Gaussian. */
export function mahalanobis2(
  g: PreparedGaussian,
  latent: Float32Array,
  offset: number,
  dim: number
): number {
  if (!g.usable) {
    return Number.POSITIVE_INFINITY;
  }
  let total = 0;
  for (let i = 0; i < dim; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) {
      s += g.invChol[i * dim + k] * (latent[offset + k] - g.mean[k]);
    }
    total += s * s;
  }
  return total;
}

/**
 * Quantile of the χ² distribution with `dof` degrees of freedom
 * (Wilson–Hilferty; within 1 % for dof ≥ 2 at the quantiles used here).
 */
export function chiSquareQuantile(dof: number, p: number): number {
  const z = normalQuantile(p);
  const a = 2 / (9 * dof);
  return dof * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - lo) {
    return -normalQuantile(1 - p);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
