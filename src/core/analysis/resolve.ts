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
 * 4. Confidence and flags: latent-flags.ts, the second step (`finish`).
 */
import type { LatentGaussian } from '../model/result.js';
import {
  latentFlags,
  neighbourVotes,
  pearsonOnly,
  PhaseDistances,
  type FlagsContext
} from './latent-flags.js';
import {
  COVARIANCE_SHRINKAGE,
  chiSquareQuantile,
  gaussiansFromMoments,
  accumulateMoments,
  mahalanobis2,
  momentsFromRaw,
  prepareGaussian,
  removeFromMoments
} from './gaussians.js';
import type { ResolveInput, ResolveOutput } from './resolve-types.js';

export type { ResolveInput, ResolveOutput } from './resolve-types.js';

/** A phase needs this many unambiguous pixels, and this share of them, to attract ambiguous ones. */
const MIN_PHASE_PIXELS = 10;
const MIN_PHASE_SHARE = 0.005;
const ICM_SWEEPS = 4;

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
  if (!anyUsable) {
    // no distribution to resolve towards: the Pearson map stands
    return { phase, gaussians, resolved: 0, finish: () => pearsonOnly(input, phase, gaussians) };
  }

  const distances = new PhaseDistances(prepared, dim);
  const d2 = distances.d2;

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
        distances.compute(latent, p);
        ambD2.set(d2, a * n);
        phase[p] = argmin(d2, 0, n);
        a++;
      }
    }
  }
  const beta = input.neighbourWeight;
  if (beta > 0) {
    icm(phase, ambPixels, ambD2, ny, nx, n, beta);
  }
  const context: FlagsContext = {
    input,
    phase,
    gaussians,
    distances,
    ownSpread,
    ambD2,
    resolved: nAmb
  };
  let output: ResolveOutput | null = null;
  return { phase, gaussians, resolved: nAmb, finish: () => (output ??= latentFlags(context)) };
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

function argmin(values: Float64Array, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) {
    if (values[offset + k] < values[offset + best]) {
      best = k;
    }
  }
  return best;
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
