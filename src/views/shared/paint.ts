/**
 * Painting as pure functions: maps and images into pixel buffers (32-bit
 * RGBA words, or RGBA bytes as ImageData holds them), one pixel per map
 * pixel. No DOM here (canvas.ts puts the buffers on a canvas), so every
 * colour rule is tested in Node (paint.spec.ts). Background (−1 / NaN) stays
 * transparent (0).
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

function phaseWords(styles: readonly PhaseStyle[], alpha = 255): Uint32Array {
  return Uint32Array.from(styles, s => rgbaWord(s.rgb[0], s.rgb[1], s.rgb[2], alpha));
}

const GREY = rgbaWord(AMBIGUOUS_RGB[0], AMBIGUOUS_RGB[1], AMBIGUOUS_RGB[2]);

/** Phase index per pixel in its phase colour; `ambiguous` pixels grey when given. */
export function phaseMapWords(
  out: Uint32Array,
  phase: Int16Array,
  styles: readonly PhaseStyle[],
  ambiguous?: Uint8Array
): void {
  const colours = phaseWords(styles);
  for (let p = 0; p < out.length; p++) {
    const k = phase[p];
    if (k >= 0) {
      out[p] = ambiguous && ambiguous[p] ? GREY : (colours[k] ?? GREY);
    }
  }
}

/** The final map faded; pixels where `flag` is 1 solid in `flagRgb`. Returns their number. */
export function flagMapWords(
  out: Uint32Array,
  phase: Int16Array,
  flag: Uint8Array,
  styles: readonly PhaseStyle[],
  flagRgb: readonly [number, number, number]
): number {
  const faded = phaseWords(styles, 60);
  const solid = rgbaWord(flagRgb[0], flagRgb[1], flagRgb[2]);
  const fadedGrey = rgbaWord(AMBIGUOUS_RGB[0], AMBIGUOUS_RGB[1], AMBIGUOUS_RGB[2], 60);
  let count = 0;
  for (let p = 0; p < out.length; p++) {
    if (flag[p]) {
      count++;
      out[p] = solid;
    } else {
      const k = phase[p];
      if (k >= 0) {
        out[p] = faded[k] ?? fadedGrey;
      }
    }
  }
  return count;
}

/** Scalar values through a colour map between `lo` and `hi`. */
export function scalarMapWords(
  out: Uint32Array,
  values: Float32Array,
  lo: number,
  hi: number,
  cmap: ColormapName
): void {
  const lut = colormapLut(cmap);
  const words = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    words[i] = rgbaWord(lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2]);
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let p = 0; p < out.length; p++) {
    const v = values[p];
    if (v === v && v !== Infinity && v !== -Infinity) {
      const k = Math.round((v - lo) * scale);
      out[p] = words[k < 0 ? 0 : k > 255 ? 255 : k];
    }
  }
}

/**
 * A 2-D float image through a colour map into RGBA bytes; NaN stays
 * transparent, pixels outside an optional mask are drawn faint.
 */
export function imageRgba(
  out: Uint8ClampedArray,
  values: Float32Array,
  limits: readonly [number, number],
  colormap: ColormapName,
  mask?: Uint8Array
): void {
  const lut = colormapLut(colormap);
  const [lo, hi] = limits;
  const scale = 255 / (hi - lo);
  const n = out.length / 4;
  for (let i = 0; i < n; i++) {
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
}

/** A particle mask in RGBA bytes: particle light, background dark. Returns the particle pixels. */
export function maskRgba(out: Uint8ClampedArray, mask: Uint8Array): number {
  let n = 0;
  for (let p = 0; p < mask.length; p++) {
    const on = mask[p] === 1;
    n += on ? 1 : 0;
    const v = on ? 230 : 40;
    out.set([v, v, v, 255], p * 4);
  }
  return n;
}
