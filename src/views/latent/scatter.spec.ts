import { describe, expect, it } from 'vitest';

import { deviceSize, rasterScatter } from './scatter.js';

describe('the latent scatter raster', () => {
  it('places points on the grid (y up) as 3 px squares, the on-top ones last', () => {
    const cw = 11;
    const ch = 11;
    const words = new Uint32Array(cw * ch);
    rasterScatter(words, cw, ch, {
      xy: Float32Array.from([0, 0, 1, 1, 0.5, 0.5, 0.5, 0.5]),
      domain: [0, 1, 0, 1],
      color: i => i + 1,
      onTop: i => i === 2
    });
    const at = (x: number, y: number): number => words[y * cw + x];
    expect(at(0, 10)).toBe(1); // (0, 0): bottom left
    expect(at(1, 9)).toBe(1);
    expect(at(10, 0)).toBe(2); // (1, 1): top right
    expect(at(5, 5)).toBe(3); // point 2 is on top of point 3 at the same place
    expect(at(4, 4)).toBe(3);
    expect(at(3, 3)).toBe(0);
  });

  it('draws dense clouds with smaller points', () => {
    const n = 30_000;
    const words = new Uint32Array(100 * 100);
    rasterScatter(words, 100, 100, {
      xy: new Float32Array(2 * n).fill(0.5),
      domain: [0, 1, 0, 1],
      color: () => 7,
      onTop: () => false
    });
    expect(words.filter(w => w === 7).length).toBe(4); // 2 × 2 px
  });

  it('sizes the canvas for the device pixel ratio, at most 2', () => {
    expect(deviceSize(200, 100, 1)).toEqual([200, 100]);
    expect(deviceSize(200, 100, 3)).toEqual([400, 200]);
    expect(deviceSize(0, 0, 0)).toEqual([1, 1]);
  });
});
