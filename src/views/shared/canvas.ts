/**
 * Pixel buffers onto canvases (the DOM half of painting; paint.ts computes
 * the pixels). Each canvas keeps its ImageData, and pixels are written as
 * 32-bit words: a 512 × 512 map repaints in about a millisecond, which is
 * what lets τ move live.
 */

interface Target {
  ctx: CanvasRenderingContext2D;
  image: ImageData;
  words: Uint32Array;
}

const targets = new WeakMap<HTMLCanvasElement, Target>();

/**
 * Size the canvas nx × ny, let `fill` write the (cleared) pixels as RGBA
 * words, and put them on it. The result of `fill`, or undefined without a
 * 2-D context.
 */
export function paintWords<T>(
  canvas: HTMLCanvasElement,
  nx: number,
  ny: number,
  fill: (words: Uint32Array) => T
): T | undefined {
  let t = targets.get(canvas);
  if (!t || canvas.width !== nx || canvas.height !== ny) {
    canvas.width = nx;
    canvas.height = ny;
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      return undefined;
    }
    const image = ctx.createImageData(nx, ny);
    t = { ctx, image, words: new Uint32Array(image.data.buffer) };
    targets.set(canvas, t);
  } else {
    t.words.fill(0);
  }
  const out = fill(t.words);
  t.ctx.putImageData(t.image, 0, 0);
  return out;
}

/** Size the canvas w × h, let `fill` write fresh RGBA bytes, and put them on it. */
export function paintRgba<T>(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  fill: (rgba: Uint8ClampedArray) => T
): T | undefined {
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return undefined;
  }
  const image = ctx.createImageData(width, height);
  const out = fill(image.data);
  ctx.putImageData(image, 0, 0);
  return out;
}
