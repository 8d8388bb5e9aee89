import { describe, expect, it } from 'vitest';

import { Rng } from '../simulate/rng.js';
import { medianInPlace, selectInPlace } from './select.js';

describe('quickselect', () => {
  it('agrees with sorting, with ties, odd and even lengths', () => {
    const rng = new Rng(1);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const values = Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 20));
      const sorted = Float64Array.from(values).sort();
      for (const k of [0, n >> 1, n - 1]) {
        expect(selectInPlace(Float64Array.from(values), k)).toBe(sorted[k]);
      }
      const m = n >> 1;
      expect(medianInPlace(Float64Array.from(values))).toBe(
        n % 2 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m])
      );
    }
    expect(Number.isNaN(medianInPlace(new Float64Array(0)))).toBe(true);
  });
});
