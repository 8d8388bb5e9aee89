/**
 * The ring-current and dwell step (counts only): counts normalised by the
 * ring current (`control`) when the file has it, and to one dwell time when
 * the dwell differs between energies (normalise.ts). What the counts were
 * normalised to is kept for a measured I0 spectrum.
 */
import type { ProvenanceStep } from '../model/result.js';
import { normaliseDwell, normaliseRingCurrent } from './normalise.js';
import { outcome, round, type PrepareStep } from './steps.js';

export const normaliseStep: PrepareStep = {
  name: 'ring current and dwell',
  run(state, { params, isOd, inPlace, input }) {
    if (isOd) {
      return outcome(state);
    }
    let s = state.frames;
    const work = state.data;
    const ne = s.energies.length;
    const npx = state.ny * state.nx;
    const provenance: ProvenanceStep[] = [];
    let ringCurrentMa: number | undefined;
    let spare: ArrayBuffer | undefined;
    const applied = s.ringCurrentApplied;
    if (applied) {
      // applied by the reader, to the mean of every frame's current (a stack read for one run)
      if (!params.ringCurrent) {
        throw new Error(
          `${input.source.file}: the ring current was applied as the file was read, and this run turns it off`
        );
      }
      ringCurrentMa = applied.meanCurrent;
      provenance.push({
        step: 'ring current',
        details: {
          applied: true,
          meanCurrent: round(applied.meanCurrent),
          pixelsWithoutCurrent: applied.frameSkipped.reduce((a, b) => a + b, 0)
        }
      });
    } else if (params.ringCurrent && s.control) {
      const r = normaliseRingCurrent(work, s.control);
      ringCurrentMa = r.meanCurrent;
      if (inPlace) {
        // consumed: the caller's private stack no longer needs its ring current,
        // whose memory becomes the alignment's work space
        spare = s.control.byteOffset === 0 ? (s.control.buffer as ArrayBuffer) : undefined;
        input.control = undefined;
        s = { ...s, control: undefined };
      }
      provenance.push({
        step: 'ring current',
        details: {
          applied: true,
          meanCurrent: round(r.meanCurrent),
          pixelsWithoutCurrent: r.skipped
        }
      });
    } else {
      provenance.push({
        step: 'ring current',
        details: {
          applied: false,
          reason: params.ringCurrent ? 'the file has no ring current (control)' : 'turned off'
        }
      });
    }
    let dwellMs: number | undefined;
    const dwell = s.metadata.dwellMs;
    if (dwell && dwell.length === ne) {
      const d = params.dwell === false ? undefined : normaliseDwell(work, dwell, npx);
      dwellMs = d?.referenceMs ?? dwell[0];
      if (d) {
        provenance.push({
          step: 'dwell',
          details: { applied: true, referenceMs: round(d.referenceMs) }
        });
      }
    }
    return outcome({ ...state, frames: s, ringCurrentMa, dwellMs, spare }, provenance);
  }
};
