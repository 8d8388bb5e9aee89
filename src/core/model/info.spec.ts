import { describe, expect, it } from 'vitest';

import { describeStack, formatStackInfo } from './info.js';
import type { Stack } from './stack.js';

const stack: Stack = {
  data: new Float32Array(2 * 3 * 4),
  energies: Float64Array.of(529.8, 531.5),
  y: Float64Array.from([0, 0.03, 0.06]),
  x: Float64Array.from([0, 0.03, 0.06, 0.09]),
  source: {
    file: 'p.h5',
    format: 'NXstxm (HDF5)',
    dialect: 'SLS PolLux (Pixelator)',
    entry: '/entry1'
  },
  metadata: { scanType: 'sample image stack', beamline: 'X07DA', dwellMs: [1, 1] }
};

describe('describeStack', () => {
  it('is JSON-safe and rounds float noise', () => {
    const info = describeStack(stack);
    expect(info.shape).toEqual([2, 3, 4]);
    expect(info.pixelSize).toEqual({ x: 0.03, y: 0.03, units: 'µm' });
    expect(info.energyRange).toEqual([529.8, 531.5]);
    expect(info.hasRingCurrent).toBe(false);
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it('reports n/a pixel size along an axis with one pixel', () => {
    const one = { ...stack, y: Float64Array.of(0), data: new Float32Array(8) };
    expect(describeStack(one).pixelSize.y).toBeNull();
    expect(formatStackInfo(describeStack(one))).toContain('n/a µm (y)');
  });

  it('formats a human summary', () => {
    const text = formatStackInfo(describeStack(stack));
    expect(text).toContain('2 energies × 3 y × 4 x');
    expect(text).toContain('529.8–531.5 eV');
    expect(text).toContain('0.03 µm (x) × 0.03 µm (y)');
    expect(text).toContain('X07DA');
  });
});
