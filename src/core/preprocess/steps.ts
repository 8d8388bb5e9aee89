/**
 * Pre-processing as a list of steps (prepare.ts runs them in order): each
 * step takes the state the steps before it left and returns the next state
 * with its provenance and its warnings. A step that does not apply (I0 and
 * optical density on a stack already in optical density) returns the state
 * as it is and records nothing.
 */
import type { ReferenceSet } from '../model/references.js';
import type { PreprocessParams, ProvenanceStep } from '../model/result.js';
import type { Stack } from '../model/stack.js';
import type { RunWarning } from '../model/warnings.js';
import type { CropBox } from './shift.js';

/** What every step may read and none changes. */
export interface PrepareContext {
  /** The input stack (never modified, unless `inPlace`). */
  input: Stack;
  /** The file's name, for messages. */
  file: string;
  params: PreprocessParams;
  references?: ReferenceSet;
  /** The input is already optical density: no I0, no ring current, no −ln. */
  isOd: boolean;
  /** The optical density may be computed in the input's own array. */
  inPlace: boolean;
}

export interface PrepareState {
  /**
   * The frames in use, with their energies, positions of the input grid and
   * per-frame metadata (dwell, ring current); its `data` is not the working
   * cube after the first step — `data` is.
   */
  frames: Stack;
  /** Input frame index of each frame in use. */
  keep: number[];
  /** The working cube, (E, ny, nx): counts, then optical density, aligned, binned. */
  data: Float32Array;
  ny: number;
  nx: number;
  /** Positions of the working cube's rows and columns, µm. */
  y: Float64Array;
  x: Float64Array;
  /** I0 per frame (NaN for a stack already in optical density). */
  i0: Float64Array;
  /** Alignment shifts per frame, px. */
  dx: Float64Array;
  dy: Float64Array;
  /** The input pixels kept by alignment (before binning). */
  crop: CropBox;
  binning: number;
  /** Particle mask of the working cube (from the mask step on). */
  mask: Uint8Array | null;
  /** Global energy shift of the references, eV (from the calibration step on). */
  energyShiftEv: number;
  /** Ring current and dwell the counts were normalised to, for a measured I0. */
  ringCurrentMa?: number;
  dwellMs?: number;
  /**
   * A buffer nothing uses any more (the ring current once applied to a private
   * stack), for the alignment's work space instead of waiting for the GC.
   */
  spare?: ArrayBuffer;
}

export interface StepOutcome {
  state: PrepareState;
  provenance: ProvenanceStep[];
  warnings: RunWarning[];
}

export interface PrepareStep {
  /** What the step does, for the docs and the tests (the provenance names its own records). */
  readonly name: string;
  run(state: PrepareState, context: PrepareContext): StepOutcome;
}

/** A step's outcome. */
export function outcome(
  state: PrepareState,
  provenance: ProvenanceStep[] = [],
  warnings: RunWarning[] = []
): StepOutcome {
  return { state, provenance, warnings };
}

/** Significant digits kept in the provenance (6 unless told). */
export function round(v: number, digits = 6): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
