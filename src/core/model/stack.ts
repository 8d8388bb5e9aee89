/**
 * The STXM image stack: one transmission image per photon energy.
 *
 * Plain typed data, no behaviour beyond small pure helpers, so that a stack can
 * cross a Web Worker boundary (its buffers are transferable) and be shared by
 * the command line, the worker and the JupyterLab panel.
 */

/** Which file format and which dialect of it a stack was read from. */
export interface StackSource {
  /** The file name as the user knows it (path or basename). */
  file: string;
  /** File format, e.g. `"NXstxm (HDF5)"`. */
  format: string;
  /** Dialect within the format, e.g. `"SLS PolLux (Pixelator)"`. */
  dialect: string;
  /** HDF5 path of the entry the stack came from, when it has one. */
  entry?: string;
  /** HDF5 path of the signal dataset, when it has one. */
  signal?: string;
  /**
   * Every region the file holds (ALS multi-entry `entry0…`, aXis2000
   * multi-region scans), when it holds more than one; `entry` is the one read.
   */
  regions?: string[];
  /** Detector channel read (aXis2000 `Channels`, NXstxm detector group). */
  channel?: string;
  /** Every detector channel the file holds, when it holds more than one. */
  channels?: string[];
}

/**
 * What kind of scan a file holds. Only `image stack` (and, for viewing, a
 * single `image`) is a hyperspectral stack; line and point spectra carry
 * spectra (usable as references); a focus scan carries neither.
 *
 * Layout of each kind in a `Stack`: image stack (E, y, x); image (1, y, x);
 * line spectrum (E, 1, positions) with x = distance along the line in µm;
 * point spectrum (E, 1, points) with x = point index; focus (1, zone-plate
 * positions, line positions) with y = zone-plate position in µm.
 */
export type ScanKind = 'image stack' | 'image' | 'line spectrum' | 'point spectrum' | 'focus';

/** Free-form, display-only metadata. Never interpreted as markup. */
export interface StackMetadata {
  /** Beamline name as written in the file. */
  beamline?: string;
  /** Scan type as written in the file, e.g. `"sample image stack"`. */
  scanType: string;
  /** What the values are: raw detector counts (default) or optical density. */
  quantity?: 'counts' | 'optical density';
  /** Dwell time per pixel in milliseconds, per energy when the file says so. */
  dwellMs?: number[];
  /** Acquisition start time as written in the file. */
  startTime?: string;
  /** Title of the entry. */
  title?: string;
  /** Kind of scan (absent: an image stack). */
  scanKind?: ScanKind;
  /** Frames (energy indices) whose every value is NaN: an aborted scan. */
  nanFrames?: number[];
  /** Frames with some, but not all, values NaN (a scan aborted mid-frame). */
  incompleteFrames?: number[];
  /** Frames whose every value is exactly 0 (nothing recorded). */
  zeroFrames?: number[];
  /** Units of `x`/`y`: µm (default) or plain pixel indices when the file has no positions. */
  positionUnits?: 'µm' | 'pixel';
  /** What the reader noticed and decided (e.g. which of two disagreeing energies it trusted). */
  notes?: string[];
}

/**
 * An image stack `I(E, y, x)` in C order: `data[(e * ny + y) * nx + x]`.
 */
export interface Stack {
  /** Raw counts (or whatever the detector channel holds), float32, C order (E, y, x). */
  data: Float32Array;
  /** Photon energies in eV, one per frame. */
  energies: Float64Array;
  /** Sample y positions of the rows, in µm. */
  y: Float64Array;
  /** Sample x positions of the columns, in µm. */
  x: Float64Array;
  /** Ring current (`control`, NXmonitor) in the same layout as `data`, when present. */
  control?: Float32Array;
  /**
   * The ring current was applied as the file was read (a stack read for one
   * run, `ReadOptions.applyRingCurrent`): `data` holds counts × mean / current
   * and there is no `control`.
   */
  ringCurrentApplied?: AppliedRingCurrent;
  /** Where the stack came from. */
  source: StackSource;
  metadata: StackMetadata;
}

/** What the reader did when it applied the ring current (see `Stack.ringCurrentApplied`). */
export interface AppliedRingCurrent {
  /** The mean of the file's valid currents, which the counts are normalised to. */
  meanCurrent: number;
  /** Per frame: values without a valid current, left as read. */
  frameSkipped: Float64Array;
}

/**
 * What a file says about a stack without its cube (`stxm-phasemap info`
 * reads only this): the axes, the source and the metadata.
 */
export interface StackHeader extends Omit<Stack, 'data' | 'control' | 'ringCurrentApplied'> {
  /** Whether the file holds a ring current (`control`) for the stack. */
  hasControl: boolean;
  /** Element type of the signal in the file ("float32", "uint16", …), when known. */
  dtype?: string;
}

/** The axes of a stack (or of a header): what its shape and pixel size come from. */
export type StackAxes = Pick<Stack, 'energies' | 'y' | 'x'>;

/** Shape of a stack as (energies, y, x). */
export type StackShape = readonly [number, number, number];

export function stackShape(stack: StackAxes): StackShape {
  return [stack.energies.length, stack.y.length, stack.x.length];
}

/**
 * Pixel size in µm along x and y: the median step of the positions, which is
 * robust to a single irregular step. `NaN` along an axis with one position.
 */
export function pixelSize(stack: StackAxes): { x: number; y: number } {
  return { x: medianStep(stack.x), y: medianStep(stack.y) };
}

function medianStep(positions: Float64Array): number {
  if (positions.length < 2) {
    return Number.NaN;
  }
  const steps = new Float64Array(positions.length - 1);
  for (let i = 1; i < positions.length; i++) {
    steps[i - 1] = Math.abs(positions[i] - positions[i - 1]);
  }
  steps.sort();
  const mid = steps.length >> 1;
  return steps.length % 2 ? steps[mid] : 0.5 * (steps[mid - 1] + steps[mid]);
}

/** A view (no copy) of the frame at energy index `e`, row-major (y, x). */
export function frame(stack: Stack, e: number): Float32Array {
  const [ne, ny, nx] = stackShape(stack);
  if (!Number.isInteger(e) || e < 0 || e >= ne) {
    throw new RangeError(`energy index ${e} is outside 0..${ne - 1}`);
  }
  return stack.data.subarray(e * ny * nx, (e + 1) * ny * nx);
}

/** The spectrum at pixel (y, x), one value per energy (a copy). */
export function spectrum(stack: Stack, y: number, x: number): Float32Array {
  const [ne, ny, nx] = stackShape(stack);
  if (y < 0 || y >= ny || x < 0 || x >= nx) {
    throw new RangeError(`pixel (${y}, ${x}) is outside the ${ny} × ${nx} image`);
  }
  const out = new Float32Array(ne);
  for (let e = 0; e < ne; e++) {
    out[e] = stack.data[(e * ny + y) * nx + x];
  }
  return out;
}

/** Minimum and maximum of the finite values of an array; `[NaN, NaN]` when there are none. */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      continue;
    }
    if (v < lo) {
      lo = v;
    }
    if (v > hi) {
      hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
}

/**
 * Check the invariants every reader must establish; throws a `TypeError`
 * describing the first one broken.
 */
export function assertStackConsistent(stack: Stack): void {
  const [ne, ny, nx] = stackShape(stack);
  if (ne < 1 || ny < 1 || nx < 1) {
    throw new TypeError(`empty stack: shape (${ne}, ${ny}, ${nx})`);
  }
  if (stack.data.length !== ne * ny * nx) {
    throw new TypeError(
      `data holds ${stack.data.length} values, shape (${ne}, ${ny}, ${nx}) needs ${ne * ny * nx}`
    );
  }
  if (stack.control && stack.control.length !== stack.data.length) {
    throw new TypeError('control (ring current) does not have the shape of the data');
  }
  if (stack.ringCurrentApplied && stack.ringCurrentApplied.frameSkipped.length !== ne) {
    throw new TypeError('the applied ring current does not have one count per frame');
  }
}
