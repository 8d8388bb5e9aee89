/**
 * Painting of phase maps into canvases (one canvas pixel per map pixel):
 * categorical phase maps (optionally with ambiguous pixels in grey), flag maps
 * (the final map faded, flagged pixels solid), scalar maps through a colour
 * map. Background (−1 / NaN) stays transparent. Each canvas keeps its
 * ImageData and pixels are written as 32-bit words: a 512 × 512 map repaints
 * in about a millisecond, which is what lets τ move live.
 */
import { colormapLut, type ColormapName } from './colormap.js';
import { AMBIGUOUS_RGB, type PhaseStyle } from './phase-style.js';

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** RGBA as one 32-bit word in the platform's byte order (ImageData is RGBA bytes). */
export function rgbaWord(r: number, g: number, b: number, a = 255): number {
  return LITTLE_ENDIAN
    ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

interface Target {
  ctx: CanvasRenderingContext2D;
  image: ImageData;
  words: Uint32Array;
}

const targets = new WeakMap<HTMLCanvasElement, Target>();

/** The canvas sized nx × ny with a reusable ImageData, cleared. */
function target(canvas: HTMLCanvasElement, nx: number, ny: number): Target | null {
  let t = targets.get(canvas);
  if (!t || canvas.width !== nx || canvas.height !== ny) {
    canvas.width = nx;
    canvas.height = ny;
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      return null;
    }
    const image = ctx.createImageData(nx, ny);
    t = { ctx, image, words: new Uint32Array(image.data.buffer) };
    targets.set(canvas, t);
  } else {
    t.words.fill(0);
  }
  return t;
}

function phaseWords(styles: readonly PhaseStyle[], alpha = 255): Uint32Array {
  return Uint32Array.from(styles, s => rgbaWord(s.rgb[0], s.rgb[1], s.rgb[2], alpha));
}

const GREY = rgbaWord(AMBIGUOUS_RGB[0], AMBIGUOUS_RGB[1], AMBIGUOUS_RGB[2]);

/** Phase index per pixel in its phase colour; `ambiguous` pixels grey when given. */
export function paintPhaseMap(
  canvas: HTMLCanvasElement,
  phase: Int16Array,
  nx: number,
  ny: number,
  styles: readonly PhaseStyle[],
  ambiguous?: Uint8Array
): void {
  const t = target(canvas, nx, ny);
  if (!t) {
    return;
  }
  const colours = phaseWords(styles);
  const w = t.words;
  const n = nx * ny;
  for (let p = 0; p < n; p++) {
    const k = phase[p];
    if (k >= 0) {
      w[p] = ambiguous && ambiguous[p] ? GREY : (colours[k] ?? GREY);
    }
  }
  t.ctx.putImageData(t.image, 0, 0);
}

/** The final map faded; pixels where `flag` is 1 solid in `flagRgb`. Returns their number. */
export function paintFlagMap(
  canvas: HTMLCanvasElement,
  phase: Int16Array,
  flag: Uint8Array,
  nx: number,
  ny: number,
  styles: readonly PhaseStyle[],
  flagRgb: [number, number, number]
): number {
  const t = target(canvas, nx, ny);
  if (!t) {
    return 0;
  }
  const faded = phaseWords(styles, 60);
  const solid = rgbaWord(flagRgb[0], flagRgb[1], flagRgb[2]);
  const fadedGrey = rgbaWord(AMBIGUOUS_RGB[0], AMBIGUOUS_RGB[1], AMBIGUOUS_RGB[2], 60);
  const w = t.words;
  let count = 0;
  for (let p = 0; p < nx * ny; p++) {
    if (flag[p]) {
      count++;
      w[p] = solid;
    } else {
      const k = phase[p];
      if (k >= 0) {
        w[p] = faded[k] ?? fadedGrey;
      }
    }
  }
  t.ctx.putImageData(t.image, 0, 0);
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
  const t = target(canvas, nx, ny);
  if (!t) {
    return;
  }
  const lut = colormapLut(cmap);
  const words = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    words[i] = rgbaWord(lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2]);
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const w = t.words;
  for (let p = 0; p < nx * ny; p++) {
    const v = values[p];
    if (v === v && v !== Infinity && v !== -Infinity) {
      const k = Math.round((v - lo) * scale);
      w[p] = words[k < 0 ? 0 : k > 255 ? 255 : k];
    }
  }
  t.ctx.putImageData(t.image, 0, 0);
}

/** A horizontal colour bar (256 × 1) for a colour map. */
export function paintColorbar(canvas: HTMLCanvasElement, cmap: ColormapName): void {
  canvas.width = 256;
  canvas.height = 1;
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return;
  }
  const img = ctx.createImageData(256, 1);
  img.data.set(colormapLut(cmap));
  ctx.putImageData(img, 0, 0);
}
