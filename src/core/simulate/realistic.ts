/**
 * Realistic acquisitions for the right-by-default checks (docs/preprocessing.md):
 * NVPF particles of several phases measured at 6–20 sparse energies across
 * the V L and O K edges, frames that drift by 0.5–2 px in all, and an energy
 * calibration offset of 0.1–0.5 eV (either sign) between the references and
 * the stack, as every beamtime has. Deterministic for a seed; a different
 * seed range is used for tuning (bench/calibration-criteria.mjs) than for the
 * checks (the tests, bench/defaults.mjs).
 */
import { resolveEnergies } from './scenarios.js';
import { Rng, uniformIn } from './rng.js';
import type { Morphology } from './morphology.js';
import type { SampleConfig } from './sample.js';

const ENERGY_SETS = ['hand:6', 'hand:8', 'hand:12', 'hand:20', 'uniform:10', 'uniform:16'];
const MORPHOLOGIES: Morphology[] = ['grains', 'core-shell', 'particles'];

export interface RealisticCase {
  name: string;
  config: SampleConfig;
  /** Energy set spec and the drift (largest frame shift, px) and offset drawn. */
  energies: string;
  totalDriftPx: number;
  energyOffsetEv: number;
}

/** One realistic stack (64 × 64, or 80 × 80 for several particles). */
export function realisticCase(seed: number): RealisticCase {
  const rng = new Rng(0x7ea1 ^ seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.uniform() * list.length)];
  const morphology = MORPHOLOGIES[seed % MORPHOLOGIES.length];
  const energies = pick(ENERGY_SETS);
  const list = resolveEnergies(energies, 'nvpf');
  const totalDriftPx = uniformIn(rng, 0.5, 2);
  const energyOffsetEv = (rng.uniform() < 0.5 ? -1 : 1) * uniformIn(rng, 0.1, 0.5);
  const size = morphology === 'particles' ? 80 : 64;
  const config: SampleConfig = {
    material: 'nvpf',
    morphology,
    seed,
    ny: size,
    nx: size,
    pixelUm: 0.03,
    energies: list,
    i0: Math.round(uniformIn(rng, 500, 3000)),
    // the simulator's drift is a random walk: its rms step for about this largest shift
    driftPx: totalDriftPx / Math.sqrt(Math.max(1, list.length - 1)),
    energyOffsetEv: Number(energyOffsetEv.toFixed(3)),
    mismatch: 1,
    bandPx: 2,
    thicknessUm: [0.1, 0.6],
    ringDecay: 0.02
  };
  return {
    name: `realistic-${seed}`,
    config,
    energies,
    totalDriftPx: Number(totalDriftPx.toFixed(2)),
    energyOffsetEv: config.energyOffsetEv
  };
}
