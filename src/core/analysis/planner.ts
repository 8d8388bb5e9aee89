/**
 * Sparse-energy planner: given the references and a budget of N energies,
 * choose the N energies at which the phases are easiest to tell apart by
 * Pearson correlation — the basis for planning the next sparse acquisition.
 *
 * Criterion: the worst-case signal-to-noise ratio of the Pearson decision
 * between two phases. For a pixel s = t·r_a + ε (ε white noise σ), the
 * argmax of Pearson decides between a and b on ⟨s̃, r̂_a − r̂_b⟩ (r̂ centred,
 * unit norm), whose mean is t·‖r̃_a‖(1 − ρ_ab) and whose noise is
 * σ·√(2(1 − ρ_ab)): SNR = (t/σ)·‖r̃_a‖·√((1 − ρ_ab)/2). The plan maximises
 * min over ordered pairs of ‖r̃_a‖·√((1 − ρ_ab)/2) — the closest pair is what
 * makes pixels ambiguous, and the factor ‖r̃_a‖ (contrast of the reference
 * across the chosen energies) rewards energies with signal, so that a larger
 * budget buys a larger margin instead of diluting it.
 * Search: greedy forward selection (the first two energies by spread of the
 * globally z-scored references, where Pearson is not yet defined), then
 * exchange passes (swap a chosen energy for a candidate while the criterion
 * improves). Candidates lie on a grid within the range every reference
 * covers, at least `minSpacingEv` apart (beamline resolution and calibration
 * jitter make closer energies redundant).
 */
import { resampleReferences, type ReferenceSet } from '../model/references.js';

export interface PlanOptions {
  /** Candidate grid step, eV (default 0.1). */
  stepEv?: number;
  /** Minimum spacing between chosen energies, eV (default 0.25). */
  minSpacingEv?: number;
  /** Restrict candidates to this range (default: the range every reference covers). */
  range?: [number, number];
  /** Energies that must be in the plan (e.g. a pre-edge point for I0 checks). */
  include?: number[];
}

export interface EnergyPlan {
  energies: number[];
  /** The criterion at the plan: min over pairs of ‖r̃_a‖·√((1 − ρ_ab)/2), absorption units. */
  score: number;
  /** Pairwise correlations of the references at the planned energies. */
  pairs: { a: string; b: string; correlation: number }[];
}

export function planEnergies(
  references: ReferenceSet,
  n: number,
  options: PlanOptions = {}
): EnergyPlan {
  const step = options.stepEv ?? 0.1;
  const spacing = options.minSpacingEv ?? 0.25;
  if (!Number.isInteger(n) || n < 3) {
    throw new RangeError(
      `plan: the number of energies must be an integer ≥ 3 (Pearson needs 3), got ${n}`
    );
  }
  const lo = Math.max(...references.spectra.map(r => r.energies[0]));
  const hi = Math.min(...references.spectra.map(r => r.energies[r.energies.length - 1]));
  const [from, to] = options.range ?? [lo, hi];
  if (!(to > from) || from < lo - 1e-9 || to > hi + 1e-9) {
    throw new RangeError(
      `plan: the references share ${lo}–${hi} eV; cannot plan within ${from}–${to} eV`
    );
  }
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  const grid = Float64Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(6)));
  const maxN = Math.floor((to - from) / spacing) + 1;
  if (n > Math.min(count, maxN)) {
    throw new RangeError(
      `plan: ${n} energies at least ${spacing} eV apart do not fit in ${from}–${to} eV`
    );
  }
  const refs = resampleReferences(references, grid);
  const k = refs.names.length;
  const value = (r: number, c: number): number => refs.values[r * count + c];

  const chosen: number[] = [];
  const fits = (c: number, except = -1): boolean =>
    chosen.every((d, i) => i === except || Math.abs(grid[d] - grid[c]) >= spacing - 1e-9);
  for (const e of options.include ?? []) {
    const c = nearest(grid, e);
    if (!chosen.includes(c)) {
      chosen.push(c);
    }
  }

  // globally z-scored references, for the first picks
  const z = new Float64Array(k * count);
  for (let r = 0; r < k; r++) {
    let m = 0;
    for (let c = 0; c < count; c++) {
      m += value(r, c);
    }
    m /= count;
    let s = 0;
    for (let c = 0; c < count; c++) {
      s += (value(r, c) - m) ** 2;
    }
    const inv = s > 0 ? 1 / Math.sqrt(s / count) : 0;
    for (let c = 0; c < count; c++) {
      z[r * count + c] = (value(r, c) - m) * inv;
    }
  }
  const spread = (c: number): number => {
    let lo2 = Infinity;
    let hi2 = -Infinity;
    for (let r = 0; r < k; r++) {
      lo2 = Math.min(lo2, z[r * count + c]);
      hi2 = Math.max(hi2, z[r * count + c]);
    }
    return hi2 - lo2;
  };
  while (chosen.length < 2) {
    let best = -1;
    for (let c = 0; c < count; c++) {
      if (!chosen.includes(c) && fits(c) && (best < 0 || spread(c) > spread(best))) {
        best = c;
      }
    }
    chosen.push(best);
  }
  const objective = (set: number[]): number => worstPairSnr(set, value, k);
  while (chosen.length < n) {
    let best = -1;
    let bestV = -Infinity;
    for (let c = 0; c < count; c++) {
      if (chosen.includes(c) || !fits(c)) {
        continue;
      }
      const v = objective([...chosen, c]);
      if (v > bestV + 1e-12) {
        bestV = v;
        best = c;
      }
    }
    chosen.push(best);
  }
  // exchange passes (fixed energies stay)
  const fixed = (options.include ?? []).length;
  let current = objective(chosen);
  for (let pass = 0; pass < 10; pass++) {
    let improved = false;
    for (let i = fixed; i < chosen.length; i++) {
      for (let c = 0; c < count; c++) {
        if (chosen.includes(c) || !fits(c, i)) {
          continue;
        }
        const trial = chosen.slice();
        trial[i] = c;
        const v = objective(trial);
        if (v > current + 1e-9) {
          chosen[i] = c;
          current = v;
          improved = true;
        }
      }
    }
    if (!improved) {
      break;
    }
  }
  const energies = chosen.map(c => grid[c]).sort((a, b) => a - b);
  const pairs: EnergyPlan['pairs'] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      pairs.push({
        a: refs.names[a],
        b: refs.names[b],
        correlation: correlationAt(chosen, value, a, b)
      });
    }
  }
  return { energies, score: current, pairs };
}

function nearest(grid: Float64Array, e: number): number {
  let best = 0;
  for (let i = 1; i < grid.length; i++) {
    if (Math.abs(grid[i] - e) < Math.abs(grid[best] - e)) {
      best = i;
    }
  }
  return best;
}

function correlationAt(
  set: number[],
  value: (r: number, c: number) => number,
  a: number,
  b: number
): number {
  const n = set.length;
  let ma = 0;
  let mb = 0;
  for (const c of set) {
    ma += value(a, c);
    mb += value(b, c);
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (const c of set) {
    const da = value(a, c) - ma;
    const db = value(b, c) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 1;
}

function worstPairSnr(set: number[], value: (r: number, c: number) => number, k: number): number {
  const norms = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let m = 0;
    for (const c of set) {
      m += value(a, c);
    }
    m /= set.length;
    let s = 0;
    for (const c of set) {
      s += (value(a, c) - m) ** 2;
    }
    norms[a] = Math.sqrt(s);
  }
  let min = Infinity;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const sep = Math.sqrt(Math.max(0, (1 - correlationAt(set, value, a, b)) / 2));
      min = Math.min(min, Math.min(norms[a], norms[b]) * sep);
    }
  }
  return min;
}
