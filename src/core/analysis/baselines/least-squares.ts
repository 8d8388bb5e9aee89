/**
 * Stack fitting to the references, as aXis2000 does it: every particle
 * pixel's optical-density spectrum s is fitted as s ≈ Σₙ cₙ·rₙ (the
 * coefficient is the phase's thickness), either unconstrained (linear least
 * squares) or with cₙ ≥ 0 (Lawson–Hanson non-negative least squares). The
 * phase of a pixel is its largest coefficient; the confidence is that
 * coefficient's share of the positive ones.
 */
import { choleskySolve } from '../../math/linalg.js';

export interface FitMaps {
  phase: Int16Array;
  confidence: Float32Array;
  /** Coefficients, (N, y, x); NaN outside. */
  coefficients: Float32Array;
}

/**
 * @param cube OD, (E, y, x)
 * @param refs N × E references at the stack's energies
 */
export function fitReferences(
  cube: Float32Array,
  ne: number,
  refs: Float64Array,
  n: number,
  mask: Uint8Array,
  nonNegative: boolean
): FitMaps {
  const npx = cube.length / ne;
  // Gram matrix AᵀA of the references (A = refsᵀ, E × N)
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let e = 0; e < ne; e++) {
        s += refs[i * ne + e] * refs[j * ne + e];
      }
      gram[i * n + j] = s;
    }
  }
  // a tiny ridge keeps near-collinear references solvable
  let trace = 0;
  for (let i = 0; i < n; i++) {
    trace += gram[i * n + i];
  }
  for (let i = 0; i < n; i++) {
    gram[i * n + i] += 1e-10 * (trace / n);
  }
  const phase = new Int16Array(npx).fill(-1);
  const confidence = new Float32Array(npx).fill(Number.NaN);
  const coefficients = new Float32Array(n * npx).fill(Number.NaN);
  const atb = new Float64Array(n);
  for (let p = 0; p < npx; p++) {
    if (!mask[p]) {
      continue;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let e = 0; e < ne; e++) {
        s += refs[i * ne + e] * cube[e * npx + p];
      }
      atb[i] = s;
    }
    const c = nonNegative ? nnlsGram(gram, atb, n) : choleskySolve(gram, atb, n);
    if (!c) {
      continue;
    }
    let best = 0;
    let pos = 0;
    for (let i = 0; i < n; i++) {
      coefficients[i * npx + p] = c[i];
      if (c[i] > c[best]) {
        best = i;
      }
      pos += Math.max(0, c[i]);
    }
    phase[p] = best;
    confidence[p] = pos > 0 ? Math.max(0, c[best]) / pos : 0;
  }
  return { phase, confidence, coefficients };
}

/**
 * Lawson–Hanson NNLS in Gram form: minimise ½xᵀGx − bᵀx subject to x ≥ 0
 * (G = AᵀA, b = Aᵀs), for small n.
 */
export function nnlsGram(g: Float64Array, b: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n);
  const passive = new Uint8Array(n);
  const w = new Float64Array(n);
  const tol = 1e-12 * (Math.abs(b.reduce((a, v) => Math.max(a, Math.abs(v)), 0)) + 1e-300);
  for (let outer = 0; outer < 3 * n + 10; outer++) {
    // gradient w = b − G x
    let jMax = -1;
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let j = 0; j < n; j++) {
        s -= g[i * n + j] * x[j];
      }
      w[i] = s;
      if (!passive[i] && s > tol && (jMax < 0 || s > w[jMax])) {
        jMax = i;
      }
    }
    if (jMax < 0) {
      break;
    }
    passive[jMax] = 1;
    for (let inner = 0; inner < 3 * n + 10; inner++) {
      const z = solvePassive(g, b, n, passive);
      let feasible = true;
      for (let i = 0; i < n; i++) {
        if (passive[i] && z[i] <= 0) {
          feasible = false;
        }
      }
      if (feasible) {
        x.set(z);
        break;
      }
      let alpha = 1;
      for (let i = 0; i < n; i++) {
        if (passive[i] && z[i] <= 0) {
          alpha = Math.min(alpha, x[i] / (x[i] - z[i]));
        }
      }
      for (let i = 0; i < n; i++) {
        x[i] += alpha * (z[i] - x[i]);
        if (passive[i] && x[i] <= 1e-15) {
          passive[i] = 0;
          x[i] = 0;
        }
      }
    }
  }
  return x;
}

function solvePassive(
  g: Float64Array,
  b: Float64Array,
  n: number,
  passive: Uint8Array
): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (passive[i]) {
      idx.push(i);
    }
  }
  const m = idx.length;
  const sub = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  idx.forEach((i, r) => {
    rhs[r] = b[i];
    idx.forEach((j, c) => (sub[r * m + c] = g[i * n + j]));
  });
  const sol = choleskySolve(sub, rhs, m) ?? new Float64Array(m);
  const z = new Float64Array(n);
  idx.forEach((i, r) => (z[i] = sol[r]));
  return z;
}
