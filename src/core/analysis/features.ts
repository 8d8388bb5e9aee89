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
 * The standardised spectrum of pixel `p` (zero mean, unit variance over the
 * energies; a flat spectrum becomes zeros) into `out[o…o + ne)`.
 */
function standardiseInto(
  cube: Float32Array,
  ne: number,
  npx: number,
  p: number,
  out: Float32Array,
  o: number
): void {
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
    out[o + e] = (cube[e * npx + p] - mean) * inv;
  }
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
    standardiseInto(cube, ne, npx, pixels[k], out, k * ne);
  }
  return out;
}

/**
 * The features of the particle pixels, computed on demand a block of rows at
 * a time (from the cube, which is read in place): the GMVAE gathers the rows
 * it trains on and encodes the others block by block, so the (pixels × dim)
 * matrix never exists whole. Row k is pixel `pixels[k]`; its values are
 * those of `pixelFeatures` bit for bit.
 */
export interface FeatureRows {
  /** Indices (y·nx + x) of the pixels, in raster order. */
  pixels: Int32Array;
  /** Features per pixel. */
  dim: number;
  /** The features of rows `idx[from…to)` into `out`, row-major. */
  gather(idx: ArrayLike<number>, from: number, to: number, out: Float32Array): void;
  /** The features of rows `start…start + n − 1` into `out`, row-major. */
  range(start: number, n: number, out: Float32Array): void;
}

/**
 * Per-pixel features, on demand: the standardised spectrum, and with
 * `context` also the mean standardised spectrum of the pixel's 8-neighbours
 * inside the mask (its own spectrum when it has none).
 */
export function featureRows(
  cube: Float32Array,
  ne: number,
  shape: [number, number],
  mask: Uint8Array,
  context: boolean
): FeatureRows {
  const pixels = maskedPixels(mask);
  const [ny, nx] = shape;
  const npx = ny * nx;
  const dim = context ? 2 * ne : ne;
  const own = new Float32Array(ne);
  const other = new Float32Array(ne);
  const acc = new Float64Array(ne);
  const write = (k: number, out: Float32Array, o: number): void => {
    const p = pixels[k];
    if (!context) {
      standardiseInto(cube, ne, npx, p, out, o);
      return;
    }
    standardiseInto(cube, ne, npx, p, own, 0);
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
        const q = yy * nx + xx;
        if (mask[q]) {
          count++;
          standardiseInto(cube, ne, npx, q, other, 0);
          for (let e = 0; e < ne; e++) {
            acc[e] += other[e];
          }
        }
      }
    }
    for (let e = 0; e < ne; e++) {
      out[o + e] = own[e];
      out[o + ne + e] = count > 0 ? acc[e] / count : own[e];
    }
  };
  return {
    pixels,
    dim,
    gather(idx, from, to, out) {
      for (let i = from, o = 0; i < to; i++, o += dim) {
        write(idx[i], out, o);
      }
    },
    range(start, n, out) {
      for (let k = start, o = 0; k < start + n; k++, o += dim) {
        write(k, out, o);
      }
    }
  };
}

/** Every particle pixel's features as one (pixels × dim) matrix (see `featureRows`). */
export function pixelFeatures(
  cube: Float32Array,
  ne: number,
  shape: [number, number],
  mask: Uint8Array,
  context: boolean
): PixelFeatures {
  const rows = featureRows(cube, ne, shape, mask, context);
  const values = new Float32Array(rows.pixels.length * rows.dim);
  rows.range(0, rows.pixels.length, values);
  return { pixels: rows.pixels, dim: rows.dim, values };
}
