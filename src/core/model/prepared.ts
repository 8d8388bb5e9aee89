/**
 * A stack made ready for analysis: optical density, the particle mask, and
 * how it was made (I0, shifts, energy shift), so every step is visible in the
 * result's provenance.
 */
import type { ProvenanceStep } from './result.js';
import type { Stack } from './stack.js';
import type { RunWarning } from './warnings.js';

export interface PreparedStack {
  /**
   * The optical-density cube `OD = -ln(I / I0)` in `stack.data` (float32,
   * (E, y, x)), with the positions of the (possibly cropped or binned) pixels.
   * `stack.metadata.quantity` is `"optical density"`.
   */
  stack: Stack;
  /** 1 = particle pixel, 0 = background, (y, x). */
  mask: Uint8Array;
  /** I0 per energy, in the counts' units (after ring-current normalisation). */
  i0: Float64Array;
  /** Frame shifts applied by alignment, in pixels, one per energy (zeros when not aligned). */
  shifts: { dx: Float64Array; dy: Float64Array };
  /** Global energy shift applied to the references, eV. */
  energyShiftEv: number;
  provenance: ProvenanceStep[];
  /** What pre-processing decided and found, for the user (alignment, calibration, coverage …). */
  warnings: RunWarning[];
  /** Energy indices of the input stack that were dropped (empty or NaN frames). */
  droppedFrames?: number[];
  /**
   * The input pixels kept, after alignment cropped to the area every frame
   * covers: rows `y0 ≤ y < y1`, columns `x0 ≤ x < x1` (before binning).
   */
  crop?: { y0: number; y1: number; x0: number; x1: number };
  /** Binning factor applied after cropping (1 = none). */
  binning?: number;
}
