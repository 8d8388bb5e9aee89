/**
 * The alignment step of pre-processing: the drift of every stack is measured;
 * with `align: 'auto'` the frames are aligned when the largest shift between
 * two frames reaches `alignMinDriftPx` (0.25 px by default: on the simulator's
 * stacks alignment gains from 0.35 px of drift on and costs nothing below,
 * docs/preprocessing.md). The measured shifts and the decision are recorded.
 */
import type { PreprocessParams, ProvenanceStep } from '../model/result.js';
import type { RunWarning } from '../model/warnings.js';
import { applyRegistration, largestDrift, measureDrift, type AlignmentParams } from './align.js';
import type { CropBox } from './shift.js';
import { outcome, type PrepareStep } from './steps.js';

export interface AlignStepResult {
  /**
   * The aligned, cropped cube (written into the input cube's own buffer: a
   * view of its first values), or the input cube when not aligned.
   */
  data: Float32Array;
  crop: CropBox;
  dx: Float64Array;
  dy: Float64Array;
  provenance: ProvenanceStep;
  warnings: RunWarning[];
}

/** The alignment step of the list (prepare.ts): the cube aligned and cropped, or as it was. */
export const alignmentStep: PrepareStep = {
  name: 'alignment',
  run(state, { params, file }) {
    const { frames } = state;
    const aligned = alignStep(
      state.data,
      frames.energies,
      state.ny,
      state.nx,
      params,
      file,
      state.spare
    );
    const { crop } = aligned;
    return outcome(
      {
        ...state,
        data: aligned.data,
        crop,
        ny: crop.y1 - crop.y0,
        nx: crop.x1 - crop.x0,
        y: frames.y.slice(crop.y0, crop.y1),
        x: frames.x.slice(crop.x0, crop.x1),
        dx: aligned.dx,
        dy: aligned.dy,
        spare: undefined
      },
      [aligned.provenance],
      aligned.warnings
    );
  }
};

/**
 * Measure the drift and align when it matters; `cube` (prepare's private OD
 * cube) is overwritten. `spare`: a buffer nothing uses any more, for the
 * registration's work buffers (see `Arena`).
 */
export function alignStep(
  cube: Float32Array,
  energies: Float64Array,
  ny: number,
  nx: number,
  params: PreprocessParams,
  file: string,
  spare?: ArrayBuffer
): AlignStepResult {
  const ne = energies.length;
  const none = {
    data: cube,
    crop: { y0: 0, y1: ny, x0: 0, x1: nx },
    dx: new Float64Array(ne),
    dy: new Float64Array(ne),
    warnings: []
  };
  if (ne < 2 || ny < 8 || nx < 8) {
    return {
      ...none,
      provenance: {
        step: 'alignment',
        details: {
          mode: String(params.align),
          applied: false,
          reason: ne < 2 ? 'a single frame' : `a ${ny} × ${nx} image is too small to align`
        }
      }
    };
  }
  const options: AlignmentParams = {
    reference: params.alignReference,
    maxShiftPx: params.alignMaxShiftPx,
    interpolation: params.alignInterpolation,
    upsample: params.alignUpsample
  };
  const measured = measureDrift(cube, ne, ny, nx, options, file, spare);
  const drift = largestDrift(measured);
  const apply =
    params.align === true || (params.align === 'auto' && drift >= params.alignMinDriftPx);
  const measuredDetails = {
    mode: String(params.align),
    measuredDriftPx: round(drift, 3),
    minDriftPx: params.alignMinDriftPx,
    measuredAtBinning: measured.binning,
    referenceFrameEv: energies[measured.reference],
    // frames whose chemical contrast misled the registration: their shift is the outline's
    byOutlineEv: measured.outlineFrames.map(e => energies[e])
  };
  if (!apply) {
    const warnings: RunWarning[] =
      params.align === false && drift >= params.alignMinDriftPx
        ? [
            {
              code: 'drift',
              level: 'warning',
              message: `frames drift up to ${drift.toFixed(1)} px and alignment is off`
            }
          ]
        : [];
    return {
      ...none,
      warnings,
      provenance: {
        step: 'alignment',
        details: {
          ...measuredDetails,
          applied: false,
          reason:
            params.align === false ? 'turned off' : `drift below ${params.alignMinDriftPx} px`,
          dx: Array.from(measured.dx, v => round(v, 4)),
          dy: Array.from(measured.dy, v => round(v, 4))
        }
      }
    };
  }
  // frames measured binned (b × b) are moved by those shifts: measured on a b-times finer
  // sub-pixel grid, they are within 0.1 px of a full-resolution registration's on the
  // benchmark's 500² and 1000² stacks (docs/benchmarks.md), at a quarter to a sixteenth of its cost
  const reg = measured;
  const a = applyRegistration(cube, ne, ny, nx, reg, options, file, true);
  const crop = a.box;
  const margin = Math.max(crop.y0, ny - crop.y1, crop.x0, nx - crop.x1);
  const finalDrift = largestDrift(reg);
  return {
    data: a.data,
    crop,
    dx: a.dx,
    dy: a.dy,
    warnings: [
      {
        code: 'drift',
        level: 'info',
        message: `drift up to ${finalDrift.toFixed(1)} px: frames aligned, ${margin} px cropped`
      }
    ],
    provenance: {
      step: 'alignment',
      details: {
        ...measuredDetails,
        applied: true,
        method: 'FFT phase correlation, sub-pixel (upsampled DFT)',
        driftPx: round(finalDrift, 3),
        referenceFrameEv: energies[a.reference],
        interpolation: a.interpolation,
        upsample: a.upsample,
        maxShiftPx: a.maxShiftPx,
        dx: Array.from(a.dx, v => round(v, 4)),
        dy: Array.from(a.dy, v => round(v, 4)),
        peak: Array.from(a.peaks, v => round(v, 3)),
        crop: [crop.y0, crop.y1, crop.x0, crop.x1]
      }
    }
  };
}

function round(v: number, digits: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
