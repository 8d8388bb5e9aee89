/**
 * Frames that carry no usable data: all NaN (an aborted scan), all exactly
 * zero (nothing recorded), or more than 1 % NaN (a scan aborted mid-frame).
 * They are dropped before anything else, and named in the provenance.
 */
import type { Stack } from '../model/stack.js';

/** Largest fraction of NaN pixels a kept frame may have (its NaN pixels leave the mask). */
export const MAX_NAN_FRACTION = 0.01;

export interface FrameCheck {
  keep: number[];
  nan: number[];
  zero: number[];
  incomplete: number[];
  /** NaN values left in the kept frames. */
  nanValuesKept: number;
}

export function checkFrames(
  data: Float32Array,
  ne: number,
  npx: number,
  counts: boolean
): FrameCheck {
  const out: FrameCheck = { keep: [], nan: [], zero: [], incomplete: [], nanValuesKept: 0 };
  for (let e = 0; e < ne; e++) {
    let nan = 0;
    let zero = 0;
    for (let p = e * npx; p < (e + 1) * npx; p++) {
      const v = data[p];
      if (!Number.isFinite(v)) {
        nan++;
      } else if (v === 0) {
        zero++;
      }
    }
    if (nan === npx) {
      out.nan.push(e);
    } else if (counts && zero === npx) {
      out.zero.push(e);
    } else if (nan > MAX_NAN_FRACTION * npx) {
      out.incomplete.push(e);
    } else {
      out.keep.push(e);
      out.nanValuesKept += nan;
    }
  }
  return out;
}

/** A copy of the stack holding only the frames `keep` (the same stack when nothing is dropped). */
export function selectFrames(stack: Stack, keep: number[]): Stack {
  const ne = stack.energies.length;
  if (keep.length === ne) {
    return stack;
  }
  const npx = stack.y.length * stack.x.length;
  const pick = (a: Float32Array): Float32Array => {
    const out = new Float32Array(keep.length * npx);
    keep.forEach((e, i) => out.set(a.subarray(e * npx, (e + 1) * npx), i * npx));
    return out;
  };
  const dwell = stack.metadata.dwellMs;
  const applied = stack.ringCurrentApplied;
  return {
    ...stack,
    data: pick(stack.data),
    control: stack.control ? pick(stack.control) : undefined,
    ringCurrentApplied: applied && {
      meanCurrent: applied.meanCurrent,
      frameSkipped: Float64Array.from(keep, e => applied.frameSkipped[e])
    },
    energies: Float64Array.from(keep, e => stack.energies[e]),
    metadata: {
      ...stack.metadata,
      dwellMs: dwell && dwell.length === ne ? keep.map(e => dwell[e]) : dwell,
      nanFrames: undefined,
      incompleteFrames: undefined,
      zeroFrames: undefined
    }
  };
}
