/**
 * The I0 step (counts only): the incident intensity per energy — automatic
 * from the bright background, from a region, or a measured spectrum (i0.ts).
 * Every energy needs a positive I0 to divide by.
 */
import { PreprocessError } from './errors.js';
import { autoI0, roiI0, spectrumI0, type I0Result } from './i0.js';
import { outcome, round, type PrepareStep } from './steps.js';

export const i0Step: PrepareStep = {
  name: 'I0',
  run(state, { params, file, isOd }) {
    if (isOd) {
      return outcome(state);
    }
    const s = state.frames;
    const work = state.data;
    const ne = s.energies.length;
    const { ny, nx } = state;
    let r: I0Result;
    if (params.i0.mode === 'auto') {
      r = autoI0(work, ne, ny * nx, file);
    } else if (params.i0.mode === 'roi') {
      r = roiI0(work, ne, ny, nx, params.i0, file);
    } else {
      r = spectrumI0(
        params.i0,
        s.energies,
        { dwellMs: state.dwellMs, ringCurrentMa: state.ringCurrentMa },
        file
      );
    }
    for (let e = 0; e < ne; e++) {
      if (!(r.values[e] > 0) || !Number.isFinite(r.values[e])) {
        throw new PreprocessError(
          file,
          `I0 at ${s.energies[e]} eV is ${r.values[e]}: no incident intensity to divide by (all-zero or NaN background?)`
        );
      }
    }
    const i0 = r.values;
    return outcome({ ...state, i0 }, [
      { step: 'I0', details: { ...r.details, i0: Array.from(i0, v => round(v)) } }
    ]);
  }
};
