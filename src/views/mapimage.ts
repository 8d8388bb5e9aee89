/**
 * Painting of phase maps into canvases (one canvas pixel per map pixel):
 * categorical phase maps (optionally with ambiguous pixels in grey), flag maps
 * (the final map faded, flagged pixels solid), scalar maps through a colour
 * map. Background (−1 / NaN) stays transparent.
 */
import { colormapLut, type ColormapName } from './colormap.js';
import { AMBIGUOUS_RGB, type PhaseStyle } from './phasestyle.js';

function context(
  canvas: HTMLCanvasElement,
  nx: number,
  ny: number
): CanvasRenderingContext2D | null {
  if (canvas.width !== nx || canvas.height !== ny) {
    canvas.width = nx;
    canvas.height = ny;
  }
  return canvas.getContext('2d');
}

/** Phase index per pixel in its phase colour; `ambiguous` pixels grey when given. */
export function paintPhaseMap(
  canvas: HTMLCanvasElement,
  phase: Int16Array,
  nx: number,
  ny: number,
  styles: readonly PhaseStyle[],
  ambiguous?: Uint8Array
): void {
  const ctx = context(canvas, nx, ny);
  if (!ctx) {
    return;
  }
  const img = ctx.createImageData(nx, ny);
  const d = img.data;
  for (let p = 0; p < nx * ny; p++) {
    const k = phase[p];
    if (k < 0) {
      continue;
    }
    const rgb = ambiguous && ambiguous[p] ? AMBIGUOUS_RGB : (styles[k]?.rgb ?? AMBIGUOUS_RGB);
    d[p * 4] = rgb[0];
    d[p * 4 + 1] = rgb[1];
    d[p * 4 + 2] = rgb[2];
    d[p * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** The final map faded; pixels where `flag` is 1 solid in `flagRgb`. */
export function paintFlagMap(
  canvas: HTMLCanvasElement,
  phase: Int16Array,
  flag: Uint8Array,
  nx: number,
  ny: number,
  styles: readonly PhaseStyle[],
  flagRgb: [number, number, number]
): number {
  const ctx = context(canvas, nx, ny);
  if (!ctx) {
    return 0;
  }
  const img = ctx.createImageData(nx, ny);
  const d = img.data;
  let count = 0;
  for (let p = 0; p < nx * ny; p++) {
    const k = phase[p];
    if (k < 0 && !flag[p]) {
      continue;
    }
    if (flag[p]) {
      count++;
      d.set([flagRgb[0], flagRgb[1], flagRgb[2], 255], p * 4);
    } else {
      const rgb = styles[k]?.rgb ?? AMBIGUOUS_RGB;
      d.set([rgb[0], rgb[1], rgb[2], 60], p * 4);
    }
  }
  ctx.putImageData(img, 0, 0);
  return count;
}

/** Scalar values through a colour map between `lo` and `hi`. */
export function paintScalarMap(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  nx: number,
  ny: number,
  lo: number,
  hi: number,
  cmap: ColormapName
): void {
  const ctx = context(canvas, nx, ny);
  if (!ctx) {
    return;
  }
  const img = ctx.createImageData(nx, ny);
  const d = img.data;
  const lut = colormapLut(cmap);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let p = 0; p < nx * ny; p++) {
    const v = values[p];
    if (!Number.isFinite(v)) {
      continue;
    }
    const k = Math.max(0, Math.min(255, Math.round((v - lo) * scale))) * 4;
    d[p * 4] = lut[k];
    d[p * 4 + 1] = lut[k + 1];
    d[p * 4 + 2] = lut[k + 2];
    d[p * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** A horizontal colour bar (256 × 1) for a colour map. */
export function paintColorbar(canvas: HTMLCanvasElement, cmap: ColormapName): void {
  const ctx = context(canvas, 256, 1);
  if (!ctx) {
    return;
  }
  const img = ctx.createImageData(256, 1);
  img.data.set(colormapLut(cmap));
  ctx.putImageData(img, 0, 0);
}
