/**
 * The optical-density step (counts only): `OD = −ln(I / I0)` in the working
 * cube; zero, negative and NaN counts become NaN (counted; those pixels leave
 * the mask).
 */
import { outcome, type PrepareStep } from './steps.js';

export const odStep: PrepareStep = {
  name: 'optical density',
  run(state, { isOd }) {
    if (isOd) {
      return outcome(state);
    }
    const work = state.data;
    const { i0 } = state;
    const ne = state.frames.energies.length;
    const npx = state.ny * state.nx;
    let nonPositive = 0;
    let nonFinite = 0;
    for (let e = 0; e < ne; e++) {
      const inv = 1 / i0[e];
      for (let p = e * npx; p < (e + 1) * npx; p++) {
        const c = work[p];
        if (!Number.isFinite(c)) {
          work[p] = Number.NaN;
          nonFinite++;
        } else if (c <= 0) {
          work[p] = Number.NaN;
          nonPositive++;
        } else {
          work[p] = -Math.log(c * inv);
        }
      }
    }
    return outcome(state, [
      {
        step: 'optical density',
        details: {
          formula: '-ln(I/I0)',
          zeroOrNegativeCounts: nonPositive,
          nanCounts: nonFinite,
          note: 'zero, negative and NaN counts give NaN (those pixels leave the mask)'
        }
      }
    ]);
  }
};
