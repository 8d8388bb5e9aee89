/**
 * Paint a 2-D float image into a canvas through a colour map; one canvas
 * pixel per image pixel, scaled by CSS with crisp edges. NaN shows as
 * transparent (the panel background shows through); pixels outside an
 * optional mask are drawn faint (paint.ts's `imageRgba`).
 */
import { paintRgba } from './canvas.js';
import type { ColormapName } from './colormap.js';
import { imageRgba } from './paint.js';

export function paintImage(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  width: number,
  height: number,
  limits: [number, number],
  colormap: ColormapName,
  mask?: Uint8Array
): void {
  paintRgba(canvas, width, height, rgba => imageRgba(rgba, values, limits, colormap, mask));
}
