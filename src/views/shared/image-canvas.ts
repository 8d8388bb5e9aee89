/**
 * Paint a 2-D float image into a canvas through a colour map; one canvas
 * pixel per image pixel, scaled by CSS with crisp edges. NaN shows as
 * transparent (the panel background shows through); pixels outside an
 * optional mask are drawn faint.
 */
import { colormapLut, type ColormapName } from './colormap.js';

export function paintImage(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  width: number,
  height: number,
  limits: [number, number],
  colormap: ColormapName,
  mask?: Uint8Array
): void {
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return;
  }
  const image = ctx.createImageData(width, height);
  const lut = colormapLut(colormap);
  const [lo, hi] = limits;
  const scale = 255 / (hi - lo);
  const out = image.data;
  for (let i = 0; i < width * height; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      continue; // stays transparent
    }
    const k = Math.max(0, Math.min(255, Math.round((v - lo) * scale))) * 4;
    out[i * 4] = lut[k];
    out[i * 4 + 1] = lut[k + 1];
    out[i * 4 + 2] = lut[k + 2];
    out[i * 4 + 3] = mask && !mask[i] ? 70 : 255;
  }
  ctx.putImageData(image, 0, 0);
}
