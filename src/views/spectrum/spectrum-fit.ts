/**
 * Helpers for the spectrum view: spectra of a pixel, of a rectangle and of a
 * masked region, and the least-squares fit `a + b·r` of a reference onto a
 * spectrum, which is how a reference is overlaid (Pearson correlation ignores
 * offset and scale, so this is the fair visual comparison).
 */
export function pixelSpectrum(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  ix: number,
  iy: number
): Float64Array {
  const out = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    out[e] = cube[(e * ny + iy) * nx + ix];
  }
  return out;
}

/** Mean spectrum over pixels [x0, x1) × [y0, y1) (NaN pixels skipped). */
export function rectSpectrum(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  r: { x0: number; x1: number; y0: number; y1: number }
): Float64Array {
  const out = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    let s = 0;
    let n = 0;
    for (let y = r.y0; y < r.y1; y++) {
      for (let x = r.x0; x < r.x1; x++) {
        const v = cube[(e * ny + y) * nx + x];
        if (Number.isFinite(v)) {
          s += v;
          n++;
        }
      }
    }
    out[e] = n ? s / n : Number.NaN;
  }
  return out;
}

/** Mean spectrum over the pixels where `mask` is 1. */
export function maskedSpectrum(cube: Float32Array, ne: number, mask: Uint8Array): Float64Array {
  const npx = mask.length;
  const out = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    let s = 0;
    let n = 0;
    for (let p = 0; p < npx; p++) {
      if (mask[p]) {
        const v = cube[e * npx + p];
        if (Number.isFinite(v)) {
          s += v;
          n++;
        }
      }
    }
    out[e] = n ? s / n : Number.NaN;
  }
  return out;
}

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
