import { describe, expect, it } from 'vitest';

import { fitScale, maskedSpectrum, pixelSpectrum, rectSpectrum } from './spectrum-fit.js';

describe('spectrum helpers', () => {
  // cube (E=2, y=2, x=3): value = 100 e + 10 y + x
  const cube = Float32Array.from({ length: 12 }, (_, i) => {
    const e = Math.floor(i / 6);
    const y = Math.floor((i % 6) / 3);
    const x = i % 3;
    return 100 * e + 10 * y + x;
  });

  it('reads a pixel, a rectangle and a masked region', () => {
    expect(Array.from(pixelSpectrum(cube, 2, 2, 3, 2, 1))).toEqual([12, 112]);
    expect(Array.from(rectSpectrum(cube, 2, 2, 3, { x0: 0, x1: 2, y0: 0, y1: 2 }))).toEqual([
      5.5, 105.5
    ]);
    const mask = Uint8Array.of(1, 0, 0, 0, 0, 1);
    expect(Array.from(maskedSpectrum(cube, 2, mask))).toEqual([6, 106]);
  });

  it('fits offset and scale exactly for an affine copy, ignoring NaN', () => {
    const r = [1, 2, 4, Number.NaN, 8];
    const s = r.map(v => 0.5 + 3 * v);
    s[1] = Number.NaN;
    const { a, b } = fitScale(r, s);
    expect(a).toBeCloseTo(0.5, 12);
    expect(b).toBeCloseTo(3, 12);
  });

  it('a flat reference gets scale 0 at the mean', () => {
    expect(fitScale([2, 2, 2], [1, 2, 3])).toEqual({ a: 2, b: 0 });
  });
});
