/**
 * Resolution of the ambiguous pixels in latent space, and the flags that come
 * with it. Shared by the pipeline and by `applyThreshold` (a new τ re-resolves
 * from the latents already computed: no training, no correlations), so it is
 * written to be fast: compact arrays, no allocation per pixel.
 *
 * 1. Each phase's latent distribution from its unambiguous pixels (mean,
 *    regularised covariance; gaussians.ts), re-estimated once without the
 *    pixels outside its 99.9 % ellipsoid. A phase with fewer than
 *    max(10, 0.5 % of the unambiguous pixels) takes no part: its few pixels
 *    are more likely noise than a distribution.
 * 2. Squared Mahalanobis distance D²ₙ of every particle pixel to every phase;
 *    latent posterior ∝ exp(−½D²ₙ) (equal priors).
 * 3. Ambiguous pixels: the phase of least D² (the paper's rule); with
 *    `neighbourWeight` β > 0, iterated conditional modes on
 *    ½D²ₙ − β·(8-neighbours labelled n), unambiguous neighbours fixed — the
 *    evidence of the surrounding domain.
 * 4. Confidence: the posterior of the final phase (with β > 0, for ambiguous
 *    pixels, the posterior including the neighbourhood term).
 *    Flags: false assignment (unambiguous, but the latent posterior of
 *    another phase ≥ 0.9); transition (outside the 90 % ellipsoid of its
 *    nearest phase, its projection on the segment to the second-nearest
 *    phase's mean falls in the middle 60 % and lies within that segment's
 *    99 % tube); unassigned (outside the 99.9 % ellipsoid of every phase,
 *    each with its own covariance, and not a transition).
 */
import type { LatentGaussian } from '../model/result.js';
import {
  COVARIANCE_SHRINKAGE,
  chiSquareQuantile,
  gaussiansFromMoments,
  accumulateMoments,
  mahalanobis2,
  momentsFromRaw,
  prepareGaussian,
  removeFromMoments,
  type PreparedGaussian
} from './gaussians.js';

export interface ResolveInput {
  /** (y, x, L), NaN outside the particle. */
  latent: Float32Array;
  latentDim: number;
  initialPhase: Int16Array;
  ambiguous: Uint8Array;
  shape: [number, number];
  phases: number;
  /** β of the neighbourhood term; 0 = the per-pixel rule. */
  neighbourWeight: number;
}

export interface ResolveOutput {
  phase: Int16Array;
  confidence: Float32Array;
  transition: Uint8Array;
  falseAssignment: Uint8Array;
  unassigned: Uint8Array;
  gaussians: LatentGaussian[];
  counts: {
    resolved: number;
    changed: number;
    transition: number;
    falseAssignment: number;
    unassigned: number;
  };
}

const FALSE_ASSIGNMENT_POSTERIOR = 0.9;
/** A phase needs this many unambiguous pixels, and this share of them, to attract ambiguous ones. */
const MIN_PHASE_PIXELS = 10;
const MIN_PHASE_SHARE = 0.005;
const ICM_SWEEPS = 4;
/** exp(−½·GAP) is negligible: terms further than this from the best are skipped. */
const GAP = 60;
/** Posterior 1 to float32 precision when every other phase is this much less likely (in log units). */
const CLEAR = 20;

/**
 * The resolution in two steps, for a slider that has to answer at once: the
 * phases (distributions, ambiguous pixels re-assigned) first, then `finish()`
 * for confidence and flags (every particle pixel against every phase: most of
 * the cost). `finish` reuses the `phase` array and the distributions.
 */
export interface ResolveSteps {
  phase: Int16Array;
  gaussians: LatentGaussian[];
  resolved: number;
  finish(): ResolveOutput;
}

export function resolveInLatentSpace(input: ResolveInput): ResolveOutput {
  return resolveInSteps(input).finish();
}

export function resolveInSteps(input: ResolveInput): ResolveSteps {
  const { latent, latentDim: dim, initialPhase, ambiguous, phases: n } = input;
  const [ny, nx] = input.shape;
  const npx = ny * nx;
  const labels = new Int16Array(npx).fill(-1);
  for (let p = 0; p < npx; p++) {
    if (initialPhase[p] >= 0 && !ambiguous[p]) {
      labels[p] = initialPhase[p];
    }
  }
  const { pooled: gaussians, own: ownGaussians } = robustGaussians(latent, dim, labels, n);
  // a phase with too few unambiguous pixels (a few noisy pixels Pearson
  // happened to give it) has no distribution to resolve towards
  let labelled = 0;
  for (const g of gaussians) {
    labelled += g.count;
  }
  const minPixels = Math.max(MIN_PHASE_PIXELS, Math.ceil(MIN_PHASE_SHARE * labelled));
  const prepared = gaussians.map(g => {
    const pg = prepareGaussian(g, dim);
    return g.count >= minPixels ? pg : { ...pg, usable: false };
  });
  const usable = prepared.map(g => g.usable);
  // each phase's own spread (not pooled), for "far from every phase"
  const ownSpread = ownGaussians.map((g, k) => {
    const pg = prepareGaussian(g, dim);
    return usable[k] ? pg : { ...pg, usable: false };
  });
  const anyUsable = usable.some(u => u);

  const phase = initialPhase.slice();
  const confidence = new Float32Array(npx).fill(Number.NaN);
  const transition = new Uint8Array(npx);
  const falseAssignment = new Uint8Array(npx);
  const unassigned = new Uint8Array(npx);
  const counts = { resolved: 0, changed: 0, transition: 0, falseAssignment: 0, unassigned: 0 };
  if (!anyUsable) {
    for (let p = 0; p < npx; p++) {
      if (initialPhase[p] >= 0) {
        confidence[p] = ambiguous[p] ? 0.5 : 1;
      }
    }
    const output = {
      phase,
      confidence,
      transition,
      falseAssignment,
      unassigned,
      gaussians,
      counts
    };
    return { phase, gaussians, resolved: 0, finish: () => output };
  }

  // flat copies for the inner loops
  const means = new Float64Array(n * dim);
  const inv = new Float64Array(n * dim * dim);
  for (let k = 0; k < n; k++) {
    means.set(prepared[k].mean, k * dim);
    inv.set(prepared[k].invChol, k * dim * dim);
  }
  const diff = new Float64Array(dim);
  const d2 = new Float64Array(n);
  // 2-D latents (the default) get an unrolled kernel: D² = (a·dx)² + (b·dx + c·dy)²
  const two = dim === 2;
  const distances = (p: number): void => {
    const off = p * dim;
    if (two) {
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
  };

  // ambiguous pixels: distances kept (compact) for the neighbourhood sweeps
  let nAmb = 0;
  for (let p = 0; p < npx; p++) {
    if (initialPhase[p] >= 0 && ambiguous[p]) {
      nAmb++;
    }
  }
  const ambPixels = new Int32Array(nAmb);
  const ambD2 = new Float64Array(nAmb * n);
  {
    let a = 0;
    for (let p = 0; p < npx; p++) {
      if (initialPhase[p] >= 0 && ambiguous[p]) {
        ambPixels[a] = p;
        distances(p);
        ambD2.set(d2, a * n);
        phase[p] = argmin(d2, 0, n);
        a++;
      }
    }
  }
  counts.resolved = nAmb;
  const beta = input.neighbourWeight;
  if (beta > 0) {
    icm(phase, ambPixels, ambD2, ny, nx, n, beta);
  }
  let output: ResolveOutput | null = null;
  return {
    phase,
    gaussians,
    resolved: nAmb,
    finish: () => (output ??= flags())
  };

  // confidence and flags, every particle pixel
  function flags(): ResolveOutput {
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
        distances(p);
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
        between(latent, p * dim, dim, means, inv, best, second, q99, diff)
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
}

/**
 * Phase Gaussians from the labelled pixels, then once more without the
 * pixels outside their own phase's 99.9 % ellipsoid: a few unambiguous but
 * wrong labels (false assignments, specks of another phase) would otherwise
 * inflate a covariance and pull ambiguous pixels towards it.
 */
function robustGaussians(
  latent: Float32Array,
  dim: number,
  labels: Int16Array,
  n: number
): { pooled: LatentGaussian[]; own: LatentGaussian[] } {
  const raw = accumulateMoments(latent, dim, labels, n);
  const first = momentsFromRaw(raw);
  const prepared = gaussiansFromMoments(first).map(g => prepareGaussian(g, dim));
  const limit = chiSquareQuantile(dim, 0.999);
  let trimmed = 0;
  for (let p = 0; p < labels.length; p++) {
    const g = labels[p];
    if (g >= 0 && prepared[g].usable && mahalanobis2(prepared[g], latent, p * dim, dim) > limit) {
      labels[p] = -1;
      removeFromMoments(raw, latent, p, g); // few pixels leave: no second pass
      trimmed++;
    }
  }
  const moments = trimmed > 0 ? momentsFromRaw(raw) : first;
  return {
    pooled: gaussiansFromMoments(moments),
    own: gaussiansFromMoments(moments, COVARIANCE_SHRINKAGE, 0)
  };
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

function argmin(values: Float64Array, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) {
    if (values[offset + k] < values[offset + best]) {
      best = k;
    }
  }
  return best;
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

function neighbourVotes(
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

/**
 * Iterated conditional modes over the ambiguous pixels: each takes the phase
 * minimising ½D²ₙ − β·(neighbours labelled n); raster order, a few sweeps.
 */
function icm(
  phase: Int16Array,
  pixels: Int32Array,
  d2: Float64Array,
  ny: number,
  nx: number,
  n: number,
  beta: number
): void {
  const votes = new Float64Array(n);
  for (let sweep = 0; sweep < ICM_SWEEPS; sweep++) {
    let moved = 0;
    for (let a = 0; a < pixels.length; a++) {
      const p = pixels[a];
      neighbourVotes(phase, p, ny, nx, votes);
      let best = phase[p];
      let bestE = Number.POSITIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        const e = 0.5 * d2[a * n + k] - beta * votes[k];
        if (e < bestE) {
          bestE = e;
          best = k;
        }
      }
      if (best !== phase[p]) {
        phase[p] = best;
        moved++;
      }
    }
    if (moved === 0) {
      break;
    }
  }
}

/**
 * Whether a latent position lies between phases `a` and `b`: its projection
 * on the segment between their means falls in the middle 60 %, and the
 * residual from that point is within the 99 % ellipsoid of either phase.
 */
function between(
  latent: Float32Array,
  off: number,
  dim: number,
  means: Float64Array,
  inv: Float64Array,
  a: number,
  b: number,
  q99: number,
  scratch: Float64Array
): boolean {
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
