/**
 * Cluster analysis as MANTiS does it: principal components of the particle
 * spectra, k-means on the leading component scores, then each cluster named
 * after the reference its mean spectrum correlates with best. Spectra are
 * standardised per pixel first (MANTiS's "reduce thickness effects"), so the
 * clusters follow spectral shape rather than thickness.
 */
import { Rng, randomInt } from '../../simulate/rng.js';
import { standardisedSpectra } from '../features.js';
import { symmetricEigen } from '../../math/linalg.js';

export interface ClusterMaps {
  phase: Int16Array;
  confidence: Float32Array;
  /** PCA scores of the particle pixels, (y, x, L); NaN outside. */
  scores: Float32Array;
  components: number;
  clusters: number;
  /** Phase index of each cluster. */
  clusterPhase: number[];
  /** Variance explained by the kept components (0…1). */
  explained: number;
}

export function pcaKmeans(
  cube: Float32Array,
  ne: number,
  pixels: Int32Array,
  npx: number,
  refs: Float64Array,
  nRefs: number,
  seed: number,
  clusters = nRefs
): ClusterMaps {
  const m = pixels.length;
  const x = standardisedSpectra(cube, ne, pixels);
  // covariance of the standardised spectra
  const mean = new Float64Array(ne);
  for (let k = 0; k < m; k++) {
    for (let e = 0; e < ne; e++) {
      mean[e] += x[k * ne + e];
    }
  }
  mean.forEach((v, e) => (mean[e] = m > 0 ? v / m : 0));
  const cov = new Float64Array(ne * ne);
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < ne; i++) {
      const di = x[k * ne + i] - mean[i];
      for (let j = 0; j <= i; j++) {
        cov[i * ne + j] += di * (x[k * ne + j] - mean[j]);
      }
    }
  }
  for (let i = 0; i < ne; i++) {
    for (let j = 0; j <= i; j++) {
      cov[i * ne + j] /= Math.max(1, m - 1);
      cov[j * ne + i] = cov[i * ne + j];
    }
  }
  const { values, vectors } = symmetricEigen(cov, ne);
  const comps = Math.max(1, Math.min(nRefs, ne - 1));
  let total = 0;
  let kept = 0;
  values.forEach((v, i) => {
    total += Math.max(0, v);
    kept += i < comps ? Math.max(0, v) : 0;
  });
  const scores = new Float32Array(m * comps);
  for (let k = 0; k < m; k++) {
    for (let c = 0; c < comps; c++) {
      let s = 0;
      for (let e = 0; e < ne; e++) {
        s += (x[k * ne + e] - mean[e]) * vectors[e * ne + c];
      }
      scores[k * comps + c] = s;
    }
  }
  const k = Math.max(1, Math.min(clusters, m));
  const { assign, dist2, centres } = kmeans(scores, m, comps, k, new Rng(seed ^ 0x6b6d));

  // name clusters: Pearson of the cluster's mean standardised spectrum with each reference
  const clusterPhase: number[] = [];
  for (let c = 0; c < k; c++) {
    const spec = new Float64Array(ne);
    for (let e = 0; e < ne; e++) {
      let s = mean[e];
      for (let j = 0; j < comps; j++) {
        s += centres[c * comps + j] * vectors[e * ne + j];
      }
      spec[e] = s;
    }
    let best = 0;
    let bestR = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < nRefs; r++) {
      const rho = pearson(spec, refs.subarray(r * ne, (r + 1) * ne));
      if (rho > bestR) {
        bestR = rho;
        best = r;
      }
    }
    clusterPhase.push(best);
  }

  const phase = new Int16Array(npx).fill(-1);
  const confidence = new Float32Array(npx).fill(Number.NaN);
  const scoreMap = new Float32Array(npx * comps).fill(Number.NaN);
  for (let i = 0; i < m; i++) {
    const p = pixels[i];
    phase[p] = clusterPhase[assign[i]];
    // confidence: how much nearer the own centre is than the next one
    const d = dist2.subarray(i * k, (i + 1) * k);
    let second = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c !== assign[i]) {
        second = Math.min(second, d[c]);
      }
    }
    confidence[p] = Number.isFinite(second) ? second / (second + d[assign[i]] + 1e-30) : 1;
    scoreMap.set(scores.subarray(i * comps, (i + 1) * comps), p * comps);
  }
  return {
    phase,
    confidence,
    scores: scoreMap,
    components: comps,
    clusters: k,
    clusterPhase,
    explained: total > 0 ? kept / total : 0
  };
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NEGATIVE_INFINITY;
}

/** k-means++ seeding and Lloyd iterations; deterministic for an Rng. */
export function kmeans(
  x: Float32Array,
  m: number,
  dim: number,
  k: number,
  rng: Rng,
  maxIter = 100
): { assign: Int32Array; dist2: Float64Array; centres: Float64Array } {
  const centres = new Float64Array(k * dim);
  const dist2 = new Float64Array(m * k);
  const assign = new Int32Array(m);
  const d2 = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const d = x[i * dim + j] - centres[c * dim + j];
      s += d * d;
    }
    return s;
  };
  if (m === 0) {
    return { assign, dist2, centres };
  }
  // k-means++
  const first = randomInt(rng, m);
  for (let j = 0; j < dim; j++) {
    centres[j] = x[first * dim + j];
  }
  const nearest = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < m; i++) {
      nearest[i] = Math.min(nearest[i], d2(i, c - 1));
      total += nearest[i];
    }
    let target = rng.uniform() * total;
    let pick = m - 1;
    for (let i = 0; i < m; i++) {
      target -= nearest[i];
      if (target <= 0) {
        pick = i;
        break;
      }
    }
    for (let j = 0; j < dim; j++) {
      centres[c * dim + j] = x[pick * dim + j];
    }
  }
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  for (let iter = 0; iter < maxIter; iter++) {
    let changed = 0;
    for (let i = 0; i < m; i++) {
      let best = 0;
      for (let c = 0; c < k; c++) {
        dist2[i * k + c] = d2(i, c);
        if (dist2[i * k + c] < dist2[i * k + best]) {
          best = c;
        }
      }
      if (iter === 0 || assign[i] !== best) {
        changed++;
        assign[i] = best;
      }
    }
    if (changed === 0) {
      break;
    }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < m; i++) {
      counts[assign[i]]++;
      for (let j = 0; j < dim; j++) {
        sums[assign[i] * dim + j] += x[i * dim + j];
      }
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        for (let j = 0; j < dim; j++) {
          centres[c * dim + j] = sums[c * dim + j] / counts[c];
        }
      }
    }
  }
  return { assign, dist2, centres };
}
