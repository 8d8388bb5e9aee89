import { describe, expect, it } from 'vitest';

import { formatEnergy, formatLength, pixelReadoutText, shownFrameIndex } from './stack-text.js';

describe('the image viewer’s text and frames', () => {
  it('formats energies and lengths', () => {
    expect(formatEnergy(512.345)).toBe('512.35 eV');
    expect(formatLength(0.03)).toBe('30 nm');
    expect(formatLength(1.5)).toBe('1.5 µm');
    expect(formatLength(null)).toBe('n/a');
  });

  it('finds the shown frame by energy when pre-processing dropped frames', () => {
    const raw = { energies: Float64Array.from([510, 512, 514, 516]) };
    const od = { energies: Float64Array.from([510, 514, 516]) };
    expect(shownFrameIndex(raw, raw, 2)).toBe(2);
    expect(shownFrameIndex(od, raw, 0)).toBe(0);
    expect(shownFrameIndex(od, raw, 1)).toBe(-1); // dropped
    expect(shownFrameIndex(od, raw, 2)).toBe(1);
    expect(shownFrameIndex(od, raw, 9)).toBe(2); // past the end: the last energy
  });

  it('reads out position, pixel and value', () => {
    const stack = {
      x: Float64Array.from([0, 0.05]),
      y: Float64Array.from([1, 1.05]),
      data: Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40])
    };
    expect(pixelReadoutText(stack, { ix: 1, iy: 1 }, 1, 'OD', true)).toBe(
      'x 0.05 µm, y 1.05 µm · pixel (1, 1) · 40 OD · pinned'
    );
    expect(pixelReadoutText(stack, { ix: 0, iy: 0 }, -1, 'counts', false)).toBe(
      'x 0 µm, y 1 µm · pixel (0, 0) · – counts'
    );
  });
});
