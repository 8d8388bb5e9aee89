import { describe, expect, it } from 'vitest';

import { nearestIndex, pixelAt, pixelRange, rectOfPixels, uniformGrid } from './grid.js';

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
