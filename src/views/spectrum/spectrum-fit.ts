/**
 * Helpers for the spectrum view: spectra of a pixel, of a rectangle and of a
 * masked region, and the least-squares fit `a + b·r` of a reference onto a
 * spectrum, which is how a reference is overlaid (Pearson correlation ignores
 * offset and scale, so this is the fair visual comparison).
 */
export { maskedSpectrum, pixelSpectrum, rectSpectrum } from '../../core/model/cube.js';

/** Offset and scale (a, b) minimising Σ (s − a − b·r)² over finite pairs. */
export function fitScale(r: ArrayLike<number>, s: ArrayLike<number>): { a: number; b: number } {
  let n = 0;
  let mr = 0;
  let ms = 0;
  for (let i = 0; i < r.length; i++) {
    if (Number.isFinite(r[i]) && Number.isFinite(s[i])) {
      n++;
      mr += r[i];
      ms += s[i];
    }
  }
  if (n < 2) {
    return { a: 0, b: 1 };
  }
  mr /= n;
  ms /= n;
  let srr = 0;
  let srs = 0;
  for (let i = 0; i < r.length; i++) {
    if (Number.isFinite(r[i]) && Number.isFinite(s[i])) {
      srr += (r[i] - mr) ** 2;
      srs += (r[i] - mr) * (s[i] - ms);
    }
  }
  const b = srr > 0 ? srs / srr : 0;
  return { a: ms - b * mr, b };
}
