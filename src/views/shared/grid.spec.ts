import { describe, expect, it } from 'vitest';

import {
  nearestIndex,
  pixelAt,
  pixelRange,
  rectOfPixels,
  resultGrid,
  uniformGrid
} from './grid.js';

describe('pixel grids in µm', () => {
  const grid = uniformGrid(4, 3, { x: 0.5, y: 0.25 }, { x: 10, y: -1 });

  it('finds the pixel under a sample point, and none outside', () => {
    expect(pixelAt(grid, { xUm: 10.6, yUm: -0.5 })).toEqual({ ix: 1, iy: 2 });
    expect(pixelAt(grid, { xUm: 11.74, yUm: -1.1 })).toEqual({ ix: 3, iy: 0 });
    expect(pixelAt(grid, { xUm: 12.0, yUm: -1 })).toBeNull();
    expect(pixelAt(grid, { xUm: 9.7, yUm: -1 })).toBeNull();
  });

  it('handles descending and irregular axes', () => {
    expect(nearestIndex([3, 2, 1, 0], 0.9)).toBe(2);
    expect(nearestIndex([0, 1, 1.5, 3], 1.4)).toBe(2);
    expect(nearestIndex([5], 123)).toBe(0);
  });

  it('links a cropped grid through positions, not indices', () => {
    const cropped = uniformGrid(2, 2, { x: 0.5, y: 0.25 }, { x: 10.5, y: -0.75 });
    const p = { xUm: grid.x[2], yUm: grid.y[1] };
    expect(pixelAt(grid, p)).toEqual({ ix: 2, iy: 1 });
    expect(pixelAt(cropped, p)).toEqual({ ix: 1, iy: 0 });
  });

  it('round-trips a pixel rectangle through µm', () => {
    const r = rectOfPixels(grid, 1, 3, 0, 2);
    expect(pixelRange(grid, r)).toEqual({ x0: 1, x1: 3, y0: 0, y1: 2 });
  });

  it('uses 1 µm pixels when the size is unknown', () => {
    const g = uniformGrid(2, 2, { x: Number.NaN, y: Number.NaN });
    expect(Array.from(g.x)).toEqual([0, 1]);
  });
});

describe('resultGrid', () => {
  const input = uniformGrid(6, 4, { x: 0.1, y: 0.2 }, { x: 1, y: 2 });

  it('places cropped maps at the input positions they came from', () => {
    const g = resultGrid(
      { shape: [2, 3], pixelSize: { x: 0.1, y: 0.2 }, crop: { y0: 1, y1: 3, x0: 2, x1: 5 } },
      input
    );
    expect(Array.from(g.x)).toEqual([input.x[2], input.x[3], input.x[4]]);
    expect(Array.from(g.y)).toEqual([input.y[1], input.y[2]]);
  });

  it('binned maps sit at the mean position of their blocks', () => {
    const g = resultGrid({ shape: [2, 3], pixelSize: { x: 0.2, y: 0.4 }, binning: 2 }, input);
    expect(g.x[0]).toBeCloseTo((input.x[0] + input.x[1]) / 2, 12);
    expect(g.y[1]).toBeCloseTo((input.y[2] + input.y[3]) / 2, 12);
  });

  it('falls back to the result pixel size when the input does not fit', () => {
    const g = resultGrid({ shape: [9, 9], pixelSize: { x: 0.5, y: 0.5 } }, input);
    expect(g.x.length).toBe(9);
    expect(g.x[1] - g.x[0]).toBeCloseTo(0.5, 12);
  });
});
