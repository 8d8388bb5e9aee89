/** The mask step: particle pixels by Otsu on the mean OD, or above a mean-OD threshold (mask.ts). */
import { particleMask } from './mask.js';
import { outcome, round, type PrepareStep } from './steps.js';

export const maskStep: PrepareStep = {
  name: 'particle mask',
  run(state, { params }) {
    const ne = state.frames.energies.length;
    const mask = particleMask(state.data, ne, state.ny * state.nx, params.mask);
    return outcome({ ...state, mask: mask.mask }, [
      {
        step: 'particle mask',
        details: {
          mode: params.mask.mode,
          meanOdThreshold: round(mask.threshold),
          pixels: mask.count,
          pixelsWithNan: mask.incomplete
        }
      }
    ]);
  }
};
