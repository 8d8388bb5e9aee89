/**
 * Maps painted into canvases, one canvas pixel per map pixel: categorical
 * phase maps (optionally with ambiguous pixels in grey), flag maps (the final
 * map faded, flagged pixels solid), scalar maps through a colour map, colour
 * bars. The pixels are paint.ts's, the canvas work canvas.ts's.
 */
import { paintRgba, paintWords } from './canvas.js';
import { colormapLut, type ColormapName } from './colormap.js';
import { flagMapWords, phaseMapWords, scalarMapWords } from './paint.js';
import type { PhaseStyle } from './phase-style.js';

/** Phase index per pixel in its phase colour; `ambiguous` pixels grey when given. */
export function paintPhaseMap(
  canvas: HTMLCanvasElement,
  phase: Int16Array,
  nx: number,
  ny: number,
  styles: readonly PhaseStyle[],
  ambiguous?: Uint8Array
): void {
  paintWords(canvas, nx, ny, w => phaseMapWords(w, phase, styles, ambiguous));
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
  return paintWords(canvas, nx, ny, w => flagMapWords(w, phase, flag, styles, flagRgb)) ?? 0;
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
  paintWords(canvas, nx, ny, w => scalarMapWords(w, values, lo, hi, cmap));
}

/** A horizontal colour bar (256 × 1) for a colour map. */
export function paintColorbar(canvas: HTMLCanvasElement, cmap: ColormapName): void {
  paintRgba(canvas, 256, 1, rgba => rgba.set(colormapLut(cmap)));
}
