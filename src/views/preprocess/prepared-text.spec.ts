import { describe, expect, it } from 'vitest';

import type { PreparedStack } from '../../core/model/prepared.js';
import { formatDetails, preparedSummary, shiftRows } from './prepared-text.js';

const raw = {
  x: new Float64Array(10),
  y: new Float64Array(8),
  energies: Float64Array.from([510, 512.25, 514, 516])
};
const prepared = {
  stack: {
    energies: Float64Array.from([510, 514, 516]),
    x: new Float64Array(4),
    y: new Float64Array(3)
  },
  crop: { y0: 1, y1: 7, x0: 1, x1: 9 },
  binning: 2,
  droppedFrames: [1],
  shifts: { dx: Float64Array.from([0, 0.51234, -1]), dy: Float64Array.from([0, 0, 0.25]) },
  i0: Float64Array.from([1000, 1100.5, 900])
} as unknown as PreparedStack;

describe('the pre-processing tab’s text', () => {
  it('sums up the prepared stack: shape, crop, binning, dropped frames', () => {
    expect(preparedSummary(prepared, raw)).toBe(
      '3 energies × 3 × 4 px of optical density · cropped to x 1–9, y 1–7 (the area every frame covers)' +
        ' · binned 2 × 2 · dropped frames at 512.25 eV'
    );
    expect(
      preparedSummary({ ...prepared, crop: undefined, binning: 1, droppedFrames: [] }, raw)
    ).toBe('3 energies × 3 × 4 px of optical density');
  });

  it('lists shifts and I0 per energy', () => {
    expect(shiftRows(prepared)).toEqual([
      ['510', '0', '0', '1000'],
      ['514', '0.512', '0', '1101'],
      ['516', '-1', '0.25', '900']
    ]);
  });

  it('writes a step’s details on one line, long lists cut', () => {
    expect(
      formatDetails({ mode: 'auto', applied: true, dx: [1, 2, 3, 4, 5, 6, 7], shiftEv: 0.123456 })
    ).toBe('mode: auto · applied: true · dx: [1, 2, 3, 4, 5, 6, … (7)] · shiftEv: 0.1235');
  });
});
