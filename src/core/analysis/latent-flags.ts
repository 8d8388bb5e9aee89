/**
 * The second step of the resolution in latent space (resolve.ts): per-pixel
 * confidence and the flags, for every particle pixel against every phase —
 * most of the work of a τ move, so the workbench runs it after the final map
 * is on screen.
 *
 * Confidence: the posterior of the final phase (with β > 0, for ambiguous
 * pixels, the posterior including the neighbourhood term). Flags: false
 * assignment (unambiguous, but the latent posterior of another phase ≥ 0.9);
 * transition (outside the 90 % ellipsoid of its nearest phase, its projection
 * on the segment to the second-nearest phase's mean falls in the middle 60 %
 * and lies within that segment's 99 % tube); unassigned (outside the 99.9 %
 * ellipsoid of every phase, each with its own covariance, and not a
 * transition).
 */
import type { LatentGaussian } from '../model/result.js';
import { chiSquareQuantile, mahalanobis2, type PreparedGaussian } from './gaussians.js';
import type { ResolveInput, ResolveOutput } from './resolve-types.js';

const FALSE_ASSIGNMENT_POSTERIOR = 0.9;
/** exp(−½·GAP) is negligible: terms further than this from the best are skipped. */
const GAP = 60;
/** Posterior 1 to float32 precision when every other phase is this much less likely (in log units). */
const CLEAR = 20;

/**
 * Squared Mahalanobis distances of a latent position to every phase, into
 * `d2` (∞ for a phase that takes no part), from flat copies of the prepared
 * Gaussians; 2-D latents (the default) get an unrolled kernel:
 * D² = (a·dx)² + (b·dx + c·dy)².
 */
export class PhaseDistances {
  constructor(prepared: readonly PreparedGaussian[], dim: number) {
    const n = prepared.length;
    this.dim = dim;
    this.n = n;
    this.usable = prepared.map(g => g.usable);
    this.means = new Float64Array(n * dim);
    this.inv = new Float64Array(n * dim * dim);
    for (let k = 0; k < n; k++) {
      this.means.set(prepared[k].mean, k * dim);
      this.inv.set(prepared[k].invChol, k * dim * dim);
    }
    this.d2 = new Float64Array(n);
    this.scratch = new Float64Array(dim);
  }

  readonly dim: number;
  readonly n: number;
  readonly usable: boolean[];
  readonly means: Float64Array;
  /** Inverse Cholesky factors, n × dim × dim row-major. */
  readonly inv: Float64Array;
  /** The distances of the last `compute`. */
  readonly d2: Float64Array;
  readonly scratch: Float64Array;

  compute(latent: Float32Array, p: number): void {
    const { dim, n, usable, means, inv, d2, scratch: diff } = this;
    const off = p * dim;
    if (dim === 2) {
      const zx = latent[off];
      const zy = latent[off + 1];
      for (let k = 0; k < n; k++) {
        if (!usable[k]) {
          d2[k] = Number.POSITIVE_INFINITY;
          continue;
        }
        const dx = zx - means[2 * k];
        const dy = zy - means[2 * k + 1];
        const u = inv[4 * k] * dx;
        const v = inv[4 * k + 2] * dx + inv[4 * k + 3] * dy;
        d2[k] = u * u + v * v;
      }
      return;
    }
    for (let k = 0; k < n; k++) {
      if (!usable[k]) {
        d2[k] = Number.POSITIVE_INFINITY;
        continue;
      }
      const mk = k * dim;
      for (let i = 0; i < dim; i++) {
        diff[i] = latent[off + i] - means[mk + i];
      }
      const ik = k * dim * dim;
      let total = 0;
      for (let i = 0; i < dim; i++) {
        let sum = 0;
        const row = ik + i * dim;
        for (let j = 0; j <= i; j++) {
          sum += inv[row + j] * diff[j];
        }
        total += sum * sum;
      }
      d2[k] = total;
    }
  }
}

/** What the first step leaves for the second. */
export interface FlagsContext {
  input: ResolveInput;
  /** The final map (the first step's; not changed here). */
  phase: Int16Array;
  gaussians: LatentGaussian[];
  distances: PhaseDistances;
  /** Each phase's own (unpooled) spread, for "far from every phase". */
  ownSpread: PreparedGaussian[];
  /** Distances of the ambiguous pixels, in raster order (n per pixel). */
  ambD2: Float64Array;
  resolved: number;
}

export function latentFlags(context: FlagsContext): ResolveOutput {
  const { input, phase, gaussians, distances, ownSpread, ambD2 } = context;
  const { latent, latentDim: dim, initialPhase, ambiguous, phases: n } = input;
  const [ny, nx] = input.shape;
  const npx = ny * nx;
  const beta = input.neighbourWeight;
  const { d2, usable } = distances;
  const confidence = new Float32Array(npx).fill(Number.NaN);
  const transition = new Uint8Array(npx);
  const falseAssignment = new Uint8Array(npx);
  const unassigned = new Uint8Array(npx);
  const counts = {
    resolved: context.resolved,
    changed: 0,
    transition: 0,
    falseAssignment: 0,
    unassigned: 0
  };
  const q90 = chiSquareQuantile(dim, 0.9);
  const q99 = chiSquareQuantile(dim, 0.99);
  const q999 = chiSquareQuantile(dim, 0.999);
  const votes = new Float64Array(n);
  let a = 0;
  for (let p = 0; p < npx; p++) {
    const init = initialPhase[p];
    if (init < 0) {
      continue;
    }
    const isAmb = ambiguous[p] === 1;
    if (isAmb) {
      for (let k = 0; k < n; k++) {
        d2[k] = ambD2[a * n + k];
      }
      a++;
    } else {
      distances.compute(latent, p);
    }
    let best = 0;
    let second = -1;
    for (let k = 1; k < n; k++) {
      if (d2[k] < d2[best]) {
        second = best;
        best = k;
      } else if (second < 0 || d2[k] < d2[second]) {
        second = k;
      }
    }
    const own = phase[p];
    if (isAmb && beta > 0) {
      neighbourVotes(phase, p, ny, nx, votes);
      confidence[p] = softPosterior(d2, votes, beta, n, own);
    } else if (own === best && (second < 0 || d2[second] - d2[best] > 2 * CLEAR)) {
      confidence[p] = 1; // every other phase is e^−CLEAR less likely or less
    } else {
      confidence[p] = softPosterior(d2, null, 0, n, own);
    }
    const dBest = d2[best];
    if (
      second >= 0 &&
      usable[second] &&
      dBest > q90 &&
      between(latent, p * dim, distances, best, second, q99)
    ) {
      transition[p] = 1;
      counts.transition++;
      continue; // between two phases: neither a false assignment nor far from all
    }
    if (
      !isAmb &&
      best !== init &&
      (own === best ? confidence[p] : softPosterior(d2, null, 0, n, best)) >=
        FALSE_ASSIGNMENT_POSTERIOR
    ) {
      falseAssignment[p] = 1;
      counts.falseAssignment++;
    }
    if (dBest > q90 && farFromAll(ownSpread, latent, p * dim, dim, q999)) {
      unassigned[p] = 1;
      counts.unassigned++;
    }
  }
  for (let p = 0; p < npx; p++) {
    counts.changed += phase[p] !== initialPhase[p] ? 1 : 0;
  }
  return { phase, confidence, transition, falseAssignment, unassigned, gaussians, counts };
}

/** No phase has a distribution: the Pearson map stands, ambiguous pixels at confidence ½. */
export function pearsonOnly(
  input: ResolveInput,
  phase: Int16Array,
  gaussians: LatentGaussian[]
): ResolveOutput {
  const { initialPhase, ambiguous } = input;
  const npx = initialPhase.length;
  const confidence = new Float32Array(npx).fill(Number.NaN);
  for (let p = 0; p < npx; p++) {
    if (initialPhase[p] >= 0) {
      confidence[p] = ambiguous[p] ? 0.5 : 1;
    }
  }
  const none = new Uint8Array(npx);
  return {
    phase,
    confidence,
    transition: none,
    falseAssignment: none.slice(),
    unassigned: none.slice(),
    gaussians,
    counts: { resolved: 0, changed: 0, transition: 0, falseAssignment: 0, unassigned: 0 }
  };
}

/**
 * Whether a latent position lies between phases `a` and `b`: its projection
 * on the segment between their means falls in the middle 60 %, and the
 * residual from that point is within the 99 % ellipsoid of either phase.
 */
function between(
  latent: Float32Array,
  off: number,
  phases: PhaseDistances,
  a: number,
  b: number,
  q99: number
): boolean {
  const { dim, means, inv, scratch } = phases;
  let num = 0;
  let den = 0;
  for (let i = 0; i < dim; i++) {
    const ab = means[b * dim + i] - means[a * dim + i];
    num += (latent[off + i] - means[a * dim + i]) * ab;
    den += ab * ab;
  }
  if (!(den > 0)) {
    return false;
  }
  const t = num / den;
  if (t < 0.2 || t > 0.8) {
    return false;
  }
  for (let i = 0; i < dim; i++) {
    scratch[i] =
      latent[off + i] - (means[a * dim + i] + t * (means[b * dim + i] - means[a * dim + i]));
  }
  for (let pass = 0; pass < 2; pass++) {
    const k = pass === 0 ? a : b;
    let total = 0;
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) {
        s += inv[k * dim * dim + i * dim + j] * scratch[j];
      }
      total += s * s;
    }
    if (total <= q99) {
      return true;
    }
  }
  return false;
}

/** Outside the `limit` ellipsoid of every usable phase (own covariances). */
function farFromAll(
  gaussians: PreparedGaussian[],
  latent: Float32Array,
  off: number,
  dim: number,
  limit: number
): boolean {
  for (const g of gaussians) {
    if (g.usable && mahalanobis2(g, latent, off, dim) <= limit) {
      return false;
    }
  }
  return true;
}

/** Posterior of phase `which` ∝ exp(−½D² + β·votes), stable, skipping negligible terms. */
function softPosterior(
  d2: Float64Array,
  votes: Float64Array | null,
  beta: number,
  n: number,
  which: number
): number {
  let min = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const e = 0.5 * d2[k] - (votes ? beta * votes[k] : 0);
    if (e < min) {
      min = e;
    }
  }
  let sum = 0;
  let mine = 0;
  for (let k = 0; k < n; k++) {
    const e = 0.5 * d2[k] - (votes ? beta * votes[k] : 0) - min;
    if (e < GAP) {
      const w = Math.exp(-e);
      sum += w;
      if (k === which) {
        mine = w;
      }
    }
  }
  return sum > 0 ? mine / sum : 0;
}

export function neighbourVotes(
  phase: Int16Array,
  p: number,
  ny: number,
  nx: number,
  votes: Float64Array
): void {
  votes.fill(0);
  const y = (p / nx) | 0;
  const x = p - y * nx;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= ny) {
      continue;
    }
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if ((dy === 0 && dx === 0) || xx < 0 || xx >= nx) {
        continue;
      }
      const q = phase[yy * nx + xx];
      if (q >= 0) {
        votes[q]++;
      }
    }
  }
}
