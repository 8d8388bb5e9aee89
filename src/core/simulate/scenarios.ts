/**
 * Energy choices and the named scenarios of the accuracy benchmark
 * (docs/benchmarks.md). A scenario is a simulator configuration with its
 * energies given as a spec: `hand:N` (hand-picked by eye: edges, peaks,
 * shoulders), `planned:N` (the sparse-energy planner), `uniform:N` (evenly
 * over the references' range), or an explicit comma-separated list in eV.
 */
import { planEnergies } from '../analysis/planner.js';
import type { ReferenceSet } from '../model/references.js';
import type { PreprocessParams } from '../model/result.js';
import {
  MATERIALS,
  handPickedEnergies,
  referenceGrid,
  type Material,
  type MaterialId
} from './materials.js';
import { DEFAULT_SAMPLE, type SampleConfig } from './sample.js';

/** The references of a material's phases (exact model spectra on a 0.1 eV grid). */
export function materialReferences(material: Material, phases?: number[]): ReferenceSet {
  const grid = referenceGrid(material);
  const which = phases ?? material.phases.map((_, i) => i);
  return {
    source: `simulator (${material.id}, exact model spectra)`,
    spectra: which.map(i => ({
      name: material.phases[i].name,
      energies: grid,
      values: Float64Array.from(grid, e => material.phases[i].absorption(e)),
      source: 'simulator'
    }))
  };
}

/** Energies (eV) from a spec: `hand:N`, `planned:N`, `uniform:N` or `E1,E2,…`. */
export function resolveEnergies(spec: string, materialId: MaterialId): number[] {
  const material = MATERIALS[materialId];
  const m = /^(hand|planned|uniform):(\d+)$/.exec(spec.trim());
  if (m) {
    const n = Number(m[2]);
    if (n < 3 || n > 200) {
      throw new RangeError(`energies "${spec}": N must be 3…200`);
    }
    if (m[1] === 'hand') {
      return handPickedEnergies(material, n);
    }
    if (m[1] === 'planned') {
      return planEnergies(materialReferences(material), n).energies;
    }
    const [lo, hi] = material.range;
    return Array.from({ length: n }, (_, i) =>
      Number((lo + ((hi - lo) * (i + 0.5)) / n).toFixed(2))
    );
  }
  const list = spec.split(',').map(s => Number(s.trim()));
  if (list.length < 1 || list.some(v => !Number.isFinite(v))) {
    throw new RangeError(
      `energies "${spec}": expected hand:N, planned:N, uniform:N or a comma-separated list of eV`
    );
  }
  const [lo, hi] = material.range;
  if (list.some(v => v < lo || v > hi)) {
    throw new RangeError(`energies "${spec}": ${material.id} references cover ${lo}–${hi} eV`);
  }
  return list;
}

export interface Scenario {
  name: string;
  description: string;
  config: Partial<SampleConfig>;
  energies: string;
  /** Also train on a subsample of this many pixels (benchmark: subsample vs all). */
  subsample?: number;
  /**
   * Pre-processing set by hand for this stack (none of the benchmark's: the
   * defaults decide alignment and calibration from the data).
   */
  preprocess?: Partial<PreprocessParams>;
}

/** The benchmark's stacks. Seeds are per scenario; tuning used other seeds (docs/benchmarks.md). */
export const SCENARIOS: Scenario[] = [
  {
    name: 'nvpf-core-shell-12e',
    description: 'NVPF core–shell, 3 phases, 12 hand-picked energies, I0 2000',
    config: { material: 'nvpf', morphology: 'core-shell', i0: 2000, seed: 11 },
    energies: 'hand:12'
  },
  {
    name: 'nvpf-grains-8e-low-dose',
    description: 'NVPF grains, 5 phases, 8 energies, I0 500',
    config: { material: 'nvpf', morphology: 'grains', i0: 500, seed: 12 },
    energies: 'hand:8'
  },
  {
    name: 'nvpf-particles-12e',
    description: 'several NVPF particles, 12 energies, I0 3000, 80 × 80',
    config: { material: 'nvpf', morphology: 'particles', i0: 3000, ny: 80, nx: 80, seed: 13 },
    energies: 'hand:12'
  },
  {
    name: 'nvpf-core-shell-5e',
    description: 'NVPF core–shell, 5 energies, I0 5000',
    config: { material: 'nvpf', morphology: 'core-shell', i0: 5000, seed: 14 },
    energies: 'hand:5'
  },
  {
    name: 'nvpf-grains-20e',
    description: 'NVPF grains, 20 energies, I0 1000, 3 px bands',
    config: { material: 'nvpf', morphology: 'grains', i0: 1000, bandPx: 3, seed: 15 },
    energies: 'hand:20'
  },
  {
    name: 'nvpf-grains-drift-offset',
    description:
      'NVPF grains, 12 energies, I0 2000, drift 0.15 px/frame, energy offset +0.2 eV (the defaults align and calibrate)',
    config: {
      material: 'nvpf',
      morphology: 'grains',
      i0: 2000,
      driftPx: 0.15,
      energyOffsetEv: 0.2,
      seed: 16
    },
    energies: 'hand:12'
  },
  {
    name: 'nvpf-non-square',
    description: 'NVPF core–shell, 48 × 96 px of 25 nm, 12 energies, I0 1500',
    config: {
      material: 'nvpf',
      morphology: 'core-shell',
      i0: 1500,
      ny: 48,
      nx: 96,
      pixelUm: 0.025,
      seed: 17
    },
    energies: 'hand:12'
  },
  {
    name: 'lfp-core-shell-8e',
    description: 'LiFePO4/FePO4 core–shell, Fe L edge, 8 energies, I0 1000',
    config: { material: 'lfp', morphology: 'core-shell', i0: 1000, seed: 18 },
    energies: 'hand:8'
  },
  {
    name: 'lfp-particles-5e',
    description: 'LiFePO4/FePO4 particles, 5 energies, I0 500',
    config: { material: 'lfp', morphology: 'particles', i0: 500, ny: 80, nx: 80, seed: 19 },
    energies: 'hand:5'
  },
  {
    name: 'nvpf-grains-exact-refs',
    description: 'NVPF grains, 12 energies, I0 2000, references equal to the sample (no mismatch)',
    config: { material: 'nvpf', morphology: 'grains', i0: 2000, mismatch: 0, seed: 20 },
    energies: 'hand:12'
  },
  {
    name: 'nvpf-grains-planned-8e',
    description: 'NVPF grains, 8 planned energies, I0 1000',
    config: { material: 'nvpf', morphology: 'grains', i0: 1000, seed: 21 },
    energies: 'planned:8'
  },
  {
    name: 'nvpf-missing-phase',
    description: 'NVPF grains with all 5 phases, references without Na1-y, 12 energies, I0 2000',
    config: {
      material: 'nvpf',
      morphology: 'grains',
      i0: 2000,
      referencePhases: [0, 1, 2, 3],
      seed: 23
    },
    energies: 'hand:12'
  },
  {
    name: 'nvpf-large-grains',
    description:
      'NVPF grains, 160 × 160, 12 energies, I0 2000 (training on a subsample vs all pixels)',
    config: { material: 'nvpf', morphology: 'grains', i0: 2000, ny: 160, nx: 160, seed: 22 },
    energies: 'hand:12',
    subsample: 2000
  }
];

/** A scenario's full configuration. */
export function scenarioConfig(s: Scenario): SampleConfig {
  const material = s.config.material ?? DEFAULT_SAMPLE.material;
  return { ...DEFAULT_SAMPLE, ...s.config, energies: resolveEnergies(s.energies, material) };
}

export function findScenario(name: string): Scenario {
  const s = SCENARIOS.find(x => x.name === name);
  if (!s) {
    throw new RangeError(
      `unknown scenario "${name}" (known: ${SCENARIOS.map(x => x.name).join(', ')})`
    );
  }
  return s;
}
