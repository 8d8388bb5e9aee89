/**
 * The pure TypeScript core of STXM PhaseMap: no DOM, no JupyterLab, no Lumino.
 * Shared by the command line, the Web Worker and the tests.
 */
export * from './model/stack.js';
export * from './model/info.js';
export * from './model/references.js';
export * from './model/result.js';
export * from './model/param-specs.js';
export * from './model/warnings.js';
export * from './model/prepared.js';
export * from './io/index.js';
export * from './io/references-csv.js';
export * from './preprocess/prepare.js';
export { i0SpectrumFromStack } from './preprocess/i0.js';
export { alignFrames } from './preprocess/align.js';
export type { AlignResult } from './preprocess/align.js';
export {
  DEFAULT_CALIBRATION_CRITERIA,
  calibrationVerdict,
  estimateEnergyShift
} from './preprocess/energy-shift.js';
export type {
  CalibrationCriteria,
  CalibrationVerdict,
  EnergyShiftOptions,
  EnergyShiftResult
} from './preprocess/energy-shift.js';
export * from './analysis/pearson.js';
export * from './analysis/ambiguity.js';
export * from './analysis/pipeline.js';
export * from './analysis/threshold.js';
export * from './analysis/methods/index.js';
export * from './analysis/planner.js';
export * from './io/result-write.js';
export * from './io/result-read.js';
export * from './model/palette.js';
