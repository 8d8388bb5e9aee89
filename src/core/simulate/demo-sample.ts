/**
 * The built-in demo stack, as a simulator configuration (what `make demo`,
 * `stxm-phasemap simulate --out FILE` and the "Open STXM Demo Stack" command
 * give; demo.ts says why it looks as it does). A module of its own with no
 * code, so the page can name it without loading the simulator.
 */
import type { SampleConfig } from './sample.js';

export const DEMO_SAMPLE: SampleConfig = {
  material: 'nvpf',
  morphology: 'grains-fronts',
  seed: 2026,
  ny: 56,
  nx: 72,
  pixelUm: 0.03,
  energies: [512.0, 515.0, 516.2, 517.0, 518.0, 521.5, 523.8, 527.0, 529.8, 531.5, 534.0, 545.0],
  i0: 1500,
  /** rms frame step of the drift's random walk: about 1 px in all */
  driftPx: 0.12,
  /** the references are 0.2 eV off the stack's energy scale */
  energyOffsetEv: 0.2,
  mismatch: 1,
  bandPx: 2,
  thicknessUm: [0.1, 0.6],
  ringDecay: 0.02,
  samplePhases: [0, 1, 2, 3],
  referencePhases: [0, 1, 2, 3]
};
