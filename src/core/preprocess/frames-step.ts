/**
 * The frames step: what came in, the frames without usable data dropped
 * (frames.ts), and the frames the references do not cover left out; the
 * working cube is the kept frames (a copy of the input's, unless the caller
 * allows the input to be overwritten). And, at the end of the list, the
 * warning that the energies left are few.
 */
import { ReferenceSetError } from '../model/references.js';
import { WARNING_LIMITS, type RunWarning } from '../model/warnings.js';
import type { ProvenanceStep } from '../model/result.js';
import { fmtEv, rangeText, referenceRange } from './coverage.js';
import { PreprocessError } from './errors.js';
import { checkFrames, selectFrames } from './frames.js';
import { outcome, type PrepareStep } from './steps.js';

export const framesStep: PrepareStep = {
  name: 'frames: drop frames without data, and those the references do not cover',
  run(state, { input: stack, file, params, references, isOd, inPlace }) {
    const ne0 = stack.energies.length;
    const npx = state.ny * state.nx;
    const provenance: ProvenanceStep[] = [
      {
        step: 'input',
        details: {
          file,
          quantity: isOd ? 'optical density' : 'counts',
          shape: [ne0, state.ny, state.nx],
          scanKind: stack.metadata.scanKind ?? 'image stack'
        }
      }
    ];
    const warnings: RunWarning[] = [];
    const frames = checkFrames(stack.data, ne0, npx, !isOd);
    const at = (list: number[]): number[] => list.map(e => stack.energies[e]);
    if (frames.keep.length === 0) {
      throw new PreprocessError(
        file,
        `no usable frame: ${frames.nan.length} all NaN, ${frames.zero.length} all zero, ${frames.incomplete.length} more than 1 % NaN`
      );
    }
    const dropped = [...frames.nan, ...frames.zero, ...frames.incomplete].sort((a, b) => a - b);
    if (dropped.length > 0) {
      provenance.push({
        step: 'drop frames',
        details: {
          allNanEv: at(frames.nan),
          allZeroEv: at(frames.zero),
          incompleteEv: at(frames.incomplete),
          kept: frames.keep.length
        }
      });
      warnings.push({
        code: 'dropped-frames',
        level: 'warning',
        message: `${dropped.length} frame(s) without usable data left out: ${at(dropped).join(', ')} eV`
      });
    }
    // frames the references do not cover
    let keep = frames.keep;
    if (references) {
      const fixedShift = params.energyShift === 'auto' ? 0 : params.energyShift;
      const [lo, hi] = referenceRange(references, fixedShift);
      const outside = keep.filter(
        e => !(stack.energies[e] >= lo - 1e-9 && stack.energies[e] <= hi + 1e-9)
      );
      if (outside.length > 0) {
        keep = keep.filter(e => !outside.includes(e));
        if (keep.length < 3) {
          throw new ReferenceSetError(
            `${references.source}: the references cover ${fmtEv(lo)}–${fmtEv(hi)} eV, where ${keep.length} of the ${ne0} energies of ${file} lie (${rangeText(at(frames.keep))} eV); a correlation needs at least 3`
          );
        }
        const ev = at(outside);
        provenance.push({
          step: 'coverage',
          details: {
            referencesEv: [Number(fmtEv(lo)), Number(fmtEv(hi))],
            leftOutEv: ev,
            kept: keep.length
          }
        });
        warnings.push({
          code: 'coverage',
          level: 'warning',
          message: `references do not cover ${rangeText(ev)} eV: ${outside.length} frame(s) left out`
        });
      }
    }
    const s = selectFrames(stack, keep);
    const ne = s.energies.length;
    const data = s.data === stack.data && !inPlace ? new Float32Array(stack.data) : s.data;
    return outcome(
      {
        ...state,
        frames: s,
        keep,
        data,
        i0: new Float64Array(ne).fill(Number.NaN),
        dx: new Float64Array(ne),
        dy: new Float64Array(ne)
      },
      provenance,
      warnings
    );
  }
};

export const fewEnergiesStep: PrepareStep = {
  name: 'check: enough energies left for correlations that separate the phases',
  run(state) {
    const n = state.frames.energies.length;
    return outcome(
      state,
      [],
      n < WARNING_LIMITS.fewEnergies
        ? [
            {
              code: 'few-energies',
              level: 'warning',
              message: `${n} energies: correlations from so few points separate only phases that differ strongly there (stxm-phasemap plan suggests energies)`
            }
          ]
        : []
    );
  }
};
