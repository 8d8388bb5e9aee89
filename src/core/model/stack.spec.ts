import { describe, expect, it } from 'vitest';

import {
  assertStackConsistent,
  finiteRange,
  frame,
  pixelSize,
  spectrum,
  stackShape,
  type Stack
} from './stack.js';

function makeStack(ne: number, ny: number, nx: number, step = 0.03): Stack {
  return {
    data: Float32Array.from({ length: ne * ny * nx }, (_, i) => i),
    energies: Float64Array.from({ length: ne }, (_, i) => 500 + i),
    y: Float64Array.from({ length: ny }, (_, i) => i * step),
    x: Float64Array.from({ length: nx }, (_, i) => i * step),
    source: { file: 't.h5', format: 'test', dialect: 'test' },
    metadata: { scanType: 'sample image stack' }
  };
}

describe('Stack helpers', () => {
  it('shape is (energies, y, x)', () => {
    expect(stackShape(makeStack(3, 4, 5))).toEqual([3, 4, 5]);
  });

  it('pixel size is the median step and ignores one irregular step', () => {
    const s = makeStack(1, 5, 6, 0.5);
    s.x[5] = s.x[4] + 3; // one glitch
    expect(pixelSize(s).x).toBeCloseTo(0.5, 12);
    expect(pixelSize(s).y).toBeCloseTo(0.5, 12);
    expect(pixelSize(makeStack(1, 1, 4)).y).toBeNaN();
  });

  it('frame is a view into the cube, spectrum a copy across energies', () => {
    const s = makeStack(3, 2, 4);
    const f = frame(s, 1);
    expect(Array.from(f)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    f[0] = -1;
    expect(s.data[8]).toBe(-1); // a view
    expect(Array.from(spectrum(s, 1, 2))).toEqual([6, 14, 22]);
    expect(() => frame(s, 3)).toThrow(RangeError);
    expect(() => spectrum(s, 2, 0)).toThrow(RangeError);
  });

  it('finiteRange ignores NaN and infinities', () => {
    expect(finiteRange([3, NaN, -2, Infinity, 7, -Infinity])).toEqual([-2, 7]);
    expect(finiteRange([NaN])).toEqual([NaN, NaN]);
  });

  it('assertStackConsistent catches a cube that does not fit its axes', () => {
    const s = makeStack(2, 3, 4);
    expect(() => assertStackConsistent(s)).not.toThrow();
    s.data = new Float32Array(5);
    expect(() => assertStackConsistent(s)).toThrow(/needs 24/);
  });
});
