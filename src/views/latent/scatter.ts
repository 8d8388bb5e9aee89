/**
 * Points of a scatter plot rasterised into a canvas (10⁶ points in tens of
 * milliseconds): one 32-bit word per pixel, square points of 1–3 px by
 * density, two passes so that the points that matter are drawn on top.
 */
import { paintWords } from '../shared/canvas.js';

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

/** The canvas size (device pixels) for a plot of `css` size at this device pixel ratio. */
export function deviceSize(cssWidth: number, cssHeight: number, dpr: number): [number, number] {
  const d = Math.min(2, dpr || 1);
  return [Math.max(1, Math.round(cssWidth * d)), Math.max(1, Math.round(cssHeight * d))];
}

/**
 * The points into `words` (cw × ch RGBA words, y up): square points of 1–3
 * px by density, in two passes so that `onTop` points are drawn last.
 */
export function rasterScatter(
  words: Uint32Array,
  cw: number,
  ch: number,
  points: ScatterPoints
): void {
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
}

/** The points drawn into `canvas`, sized `css` pixels on screen (sharp on high-DPI screens). */
export function drawScatter(
  canvas: HTMLCanvasElement,
  cssWidth: number,
  cssHeight: number,
  points: ScatterPoints
): void {
  const [cw, ch] = deviceSize(cssWidth, cssHeight, window.devicePixelRatio);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  paintWords(canvas, cw, ch, words => rasterScatter(words, cw, ch, points));
}
