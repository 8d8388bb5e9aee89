/**
 * Pixel grids in physical units. Views link their cursors and ROIs in µm, so
 * that an image of the raw stack, the optical density (possibly cropped by
 * alignment or binned) and the phase maps point at the same place on the
 * sample even when their pixel grids differ.
 */
import type { SampleRect } from '../../lab/model-types.js';
export interface PixelGrid {
  /** Column positions in µm (ascending or descending). */
  x: ArrayLike<number>;
  /** Row positions in µm. */
  y: ArrayLike<number>;
}

export interface PixelIndex {
  ix: number;
  iy: number;
}

/** A point on the sample in µm. */
export interface SamplePoint {
  xUm: number;
  yUm: number;
}

/** A grid from a pixel size, starting at `x0`, `y0`; NaN sizes become 1 µm. */
export function uniformGrid(
  nx: number,
  ny: number,
  pixel: { x: number; y: number },
  origin: { x: number; y: number } = { x: 0, y: 0 }
): PixelGrid {
  const dx = Number.isFinite(pixel.x) && pixel.x > 0 ? pixel.x : 1;
  const dy = Number.isFinite(pixel.y) && pixel.y > 0 ? pixel.y : 1;
  return {
    x: Float64Array.from({ length: nx }, (_, i) => origin.x + i * dx),
    y: Float64Array.from({ length: ny }, (_, i) => origin.y + i * dy)
  };
}

/** Position of the centre of pixel (ix, iy). */
export function positionOf(grid: PixelGrid, ix: number, iy: number): SamplePoint {
  return { xUm: grid.x[ix], yUm: grid.y[iy] };
}

/** Index of the nearest position, or −1 when `v` is more than half a step outside. */
export function nearestIndex(positions: ArrayLike<number>, v: number): number {
  const n = positions.length;
  if (n === 0 || !Number.isFinite(v)) {
    return -1;
  }
  if (n === 1) {
    return 0;
  }
  const first = positions[0];
  const last = positions[n - 1];
  const step = (last - first) / (n - 1);
  if (step === 0) {
    return 0;
  }
  // regular grids (the usual case): direct; then a local correction for irregular ones
  let i = Math.round((v - first) / step);
  i = Math.max(0, Math.min(n - 1, i));
  while (i > 0 && Math.abs(positions[i - 1] - v) < Math.abs(positions[i] - v)) {
    i--;
  }
  while (i < n - 1 && Math.abs(positions[i + 1] - v) < Math.abs(positions[i] - v)) {
    i++;
  }
  const half = Math.abs(step) / 2;
  return Math.abs(positions[i] - v) <= half + 1e-9 * Math.abs(step) ? i : -1;
}

/** The pixel under a sample point, or null outside the grid. */
export function pixelAt(grid: PixelGrid, p: SamplePoint): PixelIndex | null {
  const ix = nearestIndex(grid.x, p.xUm);
  const iy = nearestIndex(grid.y, p.yUm);
  return ix < 0 || iy < 0 ? null : { ix, iy };
}

/** Pixel index ranges [i0, i1) covered by a sample rectangle (clamped to the grid). */
export function pixelRange(
  grid: PixelGrid,
  r: SampleRect
): { x0: number; x1: number; y0: number; y1: number } {
  const range = (pos: ArrayLike<number>, a: number, b: number): [number, number] => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    let i0 = pos.length;
    let i1 = -1;
    for (let i = 0; i < pos.length; i++) {
      if (pos[i] >= lo - 1e-12 && pos[i] <= hi + 1e-12) {
        i0 = Math.min(i0, i);
        i1 = Math.max(i1, i);
      }
    }
    return i1 < 0 ? [0, 0] : [i0, i1 + 1];
  };
  const [x0, x1] = range(grid.x, r.x0, r.x1);
  const [y0, y1] = range(grid.y, r.y0, r.y1);
  return { x0, x1, y0, y1 };
}

/** The sample rectangle spanned by the centres of pixels [x0, x1) × [y0, y1). */
export function rectOfPixels(
  grid: PixelGrid,
  x0: number,
  x1: number,
  y0: number,
  y1: number
): SampleRect {
  return {
    x0: grid.x[Math.max(0, Math.min(x0, x1 - 1))],
    x1: grid.x[Math.max(0, Math.max(x0, x1 - 1))],
    y0: grid.y[Math.max(0, Math.min(y0, y1 - 1))],
    y1: grid.y[Math.max(0, Math.max(y0, y1 - 1))]
  };
}

/** Mean step of a position axis (µm per pixel), NaN for a single position. */
export function meanStep(positions: ArrayLike<number>): number {
  const n = positions.length;
  return n < 2 ? Number.NaN : Math.abs(positions[n - 1] - positions[0]) / (n - 1);
}

/**
 * The grid of a result's maps: the first candidate grid of the same shape
 * (the prepared stack, else the raw stack), else a uniform grid of the
 * result's pixel size.
 */
export function gridForShape(
  shape: readonly [number, number],
  candidates: readonly (PixelGrid | null | undefined)[],
  pixel: { x: number; y: number }
): PixelGrid {
  const [ny, nx] = shape;
  for (const g of candidates) {
    if (g && g.x.length === nx && g.y.length === ny) {
      return g;
    }
  }
  const origin = candidates.find(g => g && g.x.length && g.y.length);
  return uniformGrid(nx, ny, pixel, origin ? { x: origin.x[0], y: origin.y[0] } : undefined);
}

/**
 * The positions of a result's map pixels in the input stack: the stack's own
 * positions, cropped (`crop`) and binned (`binning`: the mean position of each
 * b × b block), when the result says so; else `gridForShape`.
 */
export function resultGrid(
  result: {
    shape: readonly [number, number];
    pixelSize: { x: number; y: number };
    crop?: { y0: number; y1: number; x0: number; x1: number };
    binning?: number;
  },
  input: PixelGrid | null,
  fallbacks: readonly (PixelGrid | null | undefined)[] = []
): PixelGrid {
  const [ny, nx] = result.shape;
  if (input) {
    const c = result.crop ?? { y0: 0, y1: input.y.length, x0: 0, x1: input.x.length };
    const b = Math.max(1, Math.round(result.binning ?? 1));
    const axis = (pos: ArrayLike<number>, start: number, n: number): Float64Array | null => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < b; k++) {
          const j = start + i * b + k;
          if (j >= pos.length) {
            return null;
          }
          s += pos[j];
        }
        out[i] = s / b;
      }
      return out;
    };
    const x = axis(input.x, c.x0, nx);
    const y = axis(input.y, c.y0, ny);
    if (x && y) {
      return { x, y };
    }
  }
  return gridForShape(result.shape, [...fallbacks, input], result.pixelSize);
}
