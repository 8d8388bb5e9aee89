/** The binning step: b × b pixels averaged (bin.ts), positions with them; 1 = none. */
import { binCube } from './bin.js';
import { PreprocessError } from './errors.js';
import { outcome, type PrepareStep } from './steps.js';

export const binningStep: PrepareStep = {
  name: 'binning',
  run(state, { params, file }) {
    const b = params.binning;
    if (!(b > 1)) {
      return outcome({ ...state, binning: b });
    }
    const { ny: h, nx: w } = state;
    if (Math.floor(h / b) < 1 || Math.floor(w / b) < 1) {
      throw new PreprocessError(file, `binning ${b} × ${b} leaves no pixel of a ${h} × ${w} image`);
    }
    const ne = state.frames.energies.length;
    const binned = binCube(state.data, ne, h, w, state.y, state.x, b);
    return outcome(
      {
        ...state,
        data: binned.data,
        ny: binned.ny,
        nx: binned.nx,
        y: binned.y,
        x: binned.x,
        binning: b
      },
      [{ step: 'binning', details: { factor: b, from: [h, w], to: [binned.ny, binned.nx] } }]
    );
  }
};
