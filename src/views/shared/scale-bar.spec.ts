import { describe, expect, it } from 'vitest';

import { lengthLabel, scaleBar } from './scale-bar.js';

describe('scaleBar', () => {
  it('picks 1, 2 or 5 × 10^k near a fifth of the width', () => {
    expect(scaleBar(1.92)?.lengthUm).toBe(0.5); // 0.384 ideal → 0.5 (log-nearest)
    expect(scaleBar(1.92)?.label).toBe('500 nm');
    expect(scaleBar(25)?.lengthUm).toBe(5);
    expect(scaleBar(10)?.lengthUm).toBe(2);
    expect(scaleBar(100)?.label).toBe('20 µm');
    const b = scaleBar(15.36)!;
    expect(b.fraction).toBeCloseTo(b.lengthUm / 15.36, 12);
    expect(b.fraction).toBeGreaterThan(0.1);
    expect(b.fraction).toBeLessThan(0.4);
  });

  it('has no bar for an unknown width', () => {
    expect(scaleBar(Number.NaN)).toBeNull();
    expect(scaleBar(0)).toBeNull();
  });

  it('labels below 1 µm in nm', () => {
    expect(lengthLabel(0.03)).toBe('30 nm');
    expect(lengthLabel(2)).toBe('2 µm');
  });
});
