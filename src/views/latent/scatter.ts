/**
 * Points of a scatter plot rasterised into a canvas (10⁶ points in tens of
 * milliseconds): one 32-bit word per pixel, square points of 1–3 px by
 * density, two passes so that the points that matter are drawn on top.
 */
import { rgbaWord } from '../shared/map-image.js';

export interface ScatterPoints {
  /** (x, y) per point, data units. */
  xy: Float32Array;
  /** Data domain [x0, x1, y0, y1] (y up). */
  domain: [number, number, number, number];
  /** RGBA word of point i. */
  color(i: number): number;
  /** Drawn in the second pass (on top). */
  onTop(i: number): boolean;
}

export function drawScatter(
  canvas: HTMLCanvasElement,
  cssWidth: number,
  cssHeight: number,
  points: ScatterPoints
): void {
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const cw = Math.max(1, Math.round(cssWidth * dpr));
  const ch = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== cw || canvas.height !== ch) {
    canvas.width = cw;
    canvas.height = ch;
  }
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return;
  }
  const img = ctx.createImageData(cw, ch);
  const words = new Uint32Array(img.data.buffer);
  const [x0, x1, y0, y1] = points.domain;
  const sx = (cw - 1) / (x1 - x0);
  const sy = (ch - 1) / (y1 - y0);
  const n = points.xy.length / 2;
  const size = n < 20000 ? 3 : n < 200000 ? 2 : 1;
  const half = size >> 1;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      if ((pass === 1) !== points.onTop(i)) {
        continue;
      }
      const word = points.color(i);
      const px = Math.round((points.xy[2 * i] - x0) * sx) - half;
      const py = Math.round((y1 - points.xy[2 * i + 1]) * sy) - half;
      for (let dy = 0; dy < size; dy++) {
        const yy = py + dy;
        if (yy < 0 || yy >= ch) {
          continue;
        }
        for (let dx = 0; dx < size; dx++) {
          const xx = px + dx;
          if (xx >= 0 && xx < cw) {
            words[yy * cw + xx] = word;
          }
        }
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}

export { rgbaWord };
