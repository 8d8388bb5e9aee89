/**
 * Features on demand (`featureRows`) equal, bit for bit, the (pixels × dim)
 * matrix the GMVAE used to get whole — the reference below is that earlier
 * implementation, kept here as the definition.
 */
import { describe, expect, it } from 'vitest';

import { Rng } from '../simulate/rng.js';
import { featureRows, maskedPixels, pixelFeatures, standardisedSpectra } from './features.js';

/** The matrix as it was computed before features came on demand. */
function reference(
  cube: Float32Array,
  ne: number,
  [ny, nx]: [number, number],
  mask: Uint8Array,
  context: boolean
): Float32Array {
  const pixels = maskedPixels(mask);
  const own = standardisedSpectra(cube, ne, pixels);
  if (!context) {
    return own;
  }
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
  return values;
}

describe('features on demand', () => {
  const [ne, ny, nx] = [7, 13, 17];
  const rng = new Rng(3);
  const cube = Float32Array.from({ length: ne * ny * nx }, () => rng.normal() * 3 + 1);
  for (let e = 0; e < ne; e++) {
    cube[e * ny * nx + 5] = 1.25; // a flat spectrum: zeros
  }
  const mask = Uint8Array.from({ length: ny * nx }, (_, p) => (p % 5 === 3 || p % 7 < 4 ? 1 : 0));

  it.each([false, true])('context %s: rows, ranges and gathers equal the matrix', context => {
    const want = reference(cube, ne, [ny, nx], mask, context);
    const whole = pixelFeatures(cube, ne, [ny, nx], mask, context);
    expect(whole.values).toEqual(want);
    const rows = featureRows(cube, ne, [ny, nx], mask, context);
    const dim = rows.dim;
    expect(dim).toBe(context ? 2 * ne : ne);
    const n = rows.pixels.length;
    // in blocks of 10 rows
    const blocks = new Float32Array(n * dim);
    const block = new Float32Array(10 * dim);
    for (let start = 0; start < n; start += 10) {
      const m = Math.min(10, n - start);
      rows.range(start, m, block);
      blocks.set(block.subarray(0, m * dim), start * dim);
    }
    expect(blocks).toEqual(want);
    // a gather of rows in any order
    const idx = Int32Array.from({ length: n }, (_, i) => (i * 37) % n);
    const gathered = new Float32Array(n * dim);
    rows.gather(idx, 0, n, gathered);
    for (let i = 0; i < n; i++) {
      expect(gathered.subarray(i * dim, (i + 1) * dim)).toEqual(
        want.subarray(idx[i] * dim, (idx[i] + 1) * dim)
      );
    }
  });
});
