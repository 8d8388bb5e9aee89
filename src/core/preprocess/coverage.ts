/**
 * Which frames the references cover: before the first step (at the fixed
 * shift, if any) and again once the calibration has shifted them. Frames
 * outside leave the analysis, with a warning; fewer than 3 left is an error.
 */
import { ReferenceSetError, type ReferenceSet } from '../model/references.js';
import type { ProvenanceStep } from '../model/result.js';
import type { RunWarning } from '../model/warnings.js';
import type { PrepareState } from './steps.js';

/** The energies every reference covers, after adding `shiftEv`. */
export function referenceRange(references: ReferenceSet, shiftEv: number): [number, number] {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (const r of references.spectra) {
    if (r.energies.length > 0) {
      lo = Math.max(lo, r.energies[0] + shiftEv);
      hi = Math.min(hi, r.energies[r.energies.length - 1] + shiftEv);
    }
  }
  return [lo, hi];
}

/** "540–545" for a list of energies, or the single energy. */
export function rangeText(ev: number[]): string {
  const lo = Math.min(...ev);
  const hi = Math.max(...ev);
  return lo === hi ? fmtEv(lo) : `${fmtEv(lo)}–${fmtEv(hi)}`;
}

export function fmtEv(v: number): string {
  return String(Number(v.toFixed(2)));
}

/** The frames the references cover once shifted by `shiftEv`; the others left out, with a warning. */
export function leaveOutUncovered(
  s: PrepareState,
  references: ReferenceSet,
  shiftEv: number,
  file: string
): { state: PrepareState; provenance: ProvenanceStep[]; warnings: RunWarning[] } {
  const npx = s.ny * s.nx;
  const [lo, hi] = referenceRange(references, shiftEv);
  const e = s.frames.energies;
  const inside = Array.from(e, (_, i) => i).filter(i => e[i] >= lo - 1e-9 && e[i] <= hi + 1e-9);
  if (inside.length === e.length) {
    return { state: s, provenance: [], warnings: [] };
  }
  const out = Array.from(e, (_, i) => i).filter(i => !inside.includes(i));
  if (inside.length < 3) {
    throw new ReferenceSetError(
      `${references.source}: shifted by ${shiftEv} eV the references cover ${fmtEv(lo)}–${fmtEv(hi)} eV, where only ${inside.length} energies of ${file} lie; a correlation needs at least 3`
    );
  }
  const data = new Float32Array(inside.length * npx);
  inside.forEach((i, k) => data.set(s.data.subarray(i * npx, (i + 1) * npx), k * npx));
  const ev = out.map(i => e[i]);
  const dwell = s.frames.metadata.dwellMs;
  return {
    state: {
      ...s,
      frames: {
        ...s.frames,
        data,
        energies: Float64Array.from(inside, i => e[i]),
        metadata: {
          ...s.frames.metadata,
          dwellMs: dwell && dwell.length === e.length ? inside.map(i => dwell[i]) : dwell
        }
      },
      data,
      i0: Float64Array.from(inside, i => s.i0[i]),
      dx: Float64Array.from(inside, i => s.dx[i]),
      dy: Float64Array.from(inside, i => s.dy[i]),
      keep: inside.map(i => s.keep[i])
    },
    provenance: [
      {
        step: 'coverage',
        details: {
          referencesEv: [Number(fmtEv(lo)), Number(fmtEv(hi))],
          shiftEv,
          leftOutEv: ev,
          kept: inside.length
        }
      }
    ],
    // a consequence of the calibration applied (said just before), not a doubt about the map
    warnings: [
      {
        code: 'coverage',
        level: 'info',
        message: `the shifted references do not cover ${rangeText(ev)} eV: ${out.length} frame(s) left out`
      }
    ]
  };
}
