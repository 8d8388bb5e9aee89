/**
 * What the latent model sees of each particle pixel: its spectrum,
 * standardised per pixel (zero mean, unit variance over the energies — the
 * same normalisation under which Pearson correlation is a dot product, so
 * thickness drops out), optionally followed by the mean standardised
 * spectrum of its particle neighbours (3 × 3), which carries the spatial
 * context a per-pixel rule ignores.
 */

export interface PixelFeatures {
  /** Indices (y·nx + x) of the pixels, in raster order. */
  pixels: Int32Array;
  /** Features per pixel. */
  dim: number;
  /** pixels.length × dim, row-major. */
  values: Float32Array;
}

/** Indices of the pixels with `mask[p] = 1`, in raster order. */
export function maskedPixels(mask: Uint8Array): Int32Array {
  let n = 0;
  for (let p = 0; p < mask.length; p++) {
    n += mask[p] ? 1 : 0;
  }
  const out = new Int32Array(n);
  let k = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p]) {
      out[k++] = p;
    }
  }
  return out;
}

/**
 * Per-pixel standardised spectra of `pixels` from an (E, y, x) cube;
 * a flat spectrum becomes zeros.
 */
export function standardisedSpectra(
  cube: Float32Array,
  ne: number,
  pixels: Int32Array
): Float32Array {
  const npx = cube.length / ne;
  const out = new Float32Array(pixels.length * ne);
  for (let k = 0; k < pixels.length; k++) {
    const p = pixels[k];
    let s = 0;
    for (let e = 0; e < ne; e++) {
      s += cube[e * npx + p];
    }
    const mean = s / ne;
    let ss = 0;
    for (let e = 0; e < ne; e++) {
      const d = cube[e * npx + p] - mean;
      ss += d * d;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss / ne) : 0;
    for (let e = 0; e < ne; e++) {
      out[k * ne + e] = (cube[e * npx + p] - mean) * inv;
    }
  }
  return out;
}

/**
 * Per-pixel features: the standardised spectrum, and with `context` also the
 * mean standardised spectrum of the pixel's 8-neighbours inside the mask (its
 * own spectrum when it has none).
 */
export function pixelFeatures(
  cube: Float32Array,
  ne: number,
  shape: [number, number],
  mask: Uint8Array,
  context: boolean
): PixelFeatures {
  const pixels = maskedPixels(mask);
  const own = standardisedSpectra(cube, ne, pixels);
  if (!context) {
    return { pixels, dim: ne, values: own };
  }
  const [ny, nx] = shape;
  const row = new Int32Array(ny * nx).fill(-1);
  pixels.forEach((p, k) => (row[p] = k));
  const dim = 2 * ne;
  const values = new Float32Array(pixels.length * dim);
  const acc = new Float64Array(ne);
  for (let k = 0; k < pixels.length; k++) {
    const p = pixels[k];
    const y = Math.floor(p / nx);
    const x = p - y * nx;
    acc.fill(0);
    let count = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if ((dy === 0 && dx === 0) || yy < 0 || yy >= ny || xx < 0 || xx >= nx) {
          continue;
        }
        const j = row[yy * nx + xx];
        if (j >= 0) {
          count++;
          for (let e = 0; e < ne; e++) {
            acc[e] += own[j * ne + e];
          }
        }
      }
    }
    for (let e = 0; e < ne; e++) {
      values[k * dim + e] = own[k * ne + e];
      values[k * dim + ne + e] = count > 0 ? acc[e] / count : own[k * ne + e];
    }
  }
  return { pixels, dim, values };
}
