/**
 * 2-D complex FFT over power-of-two sizes, by rows then columns, on top of
 * `fft.js` (radix-4, well kept, no dependencies). Data are interleaved
 * (re, im) float64, row-major: `data[2 * (y * nx + x)]`.
 */
import FFT from 'fft.js';

/** The part of fft.js used here (its bundled typings are untyped). */
interface Fft1d {
  transform(out: Float64Array, data: Float64Array): void;
  inverseTransform(out: Float64Array, data: Float64Array): void;
}
const Fft1dCtor = FFT as unknown as new (size: number) => Fft1d;

/** Smallest power of two ≥ n (and ≥ 2). */
export function nextPow2(n: number): number {
  let p = 2;
  while (p < n) {
    p *= 2;
  }
  return p;
}

export class Fft2d {
  readonly ny: number;
  readonly nx: number;
  private readonly rows: Fft1d;
  private readonly cols: Fft1d;
  private readonly bufIn: Float64Array;
  private readonly bufOut: Float64Array;

  constructor(ny: number, nx: number) {
    this.ny = ny;
    this.nx = nx;
    this.rows = new Fft1dCtor(nx);
    this.cols = new Fft1dCtor(ny);
    const n = 2 * Math.max(nx, ny);
    this.bufIn = new Float64Array(n);
    this.bufOut = new Float64Array(n);
  }

  /** In-place forward transform. */
  forward(data: Float64Array): void {
    this.run(data, false);
  }

  /** In-place inverse transform (scaled by 1 / (ny · nx)). */
  inverse(data: Float64Array): void {
    this.run(data, true);
  }

  private run(data: Float64Array, inverse: boolean): void {
    const { ny, nx, bufIn, bufOut } = this;
    const rowIn = bufIn.subarray(0, 2 * nx);
    const rowOut = bufOut.subarray(0, 2 * nx);
    for (let y = 0; y < ny; y++) {
      const row = data.subarray(2 * y * nx, 2 * (y + 1) * nx);
      rowIn.set(row);
      if (inverse) {
        this.rows.inverseTransform(rowOut, rowIn);
      } else {
        this.rows.transform(rowOut, rowIn);
      }
      row.set(rowOut);
    }
    const colIn = bufIn.subarray(0, 2 * ny);
    const colOut = bufOut.subarray(0, 2 * ny);
    for (let x = 0; x < nx; x++) {
      for (let y = 0; y < ny; y++) {
        colIn[2 * y] = data[2 * (y * nx + x)];
        colIn[2 * y + 1] = data[2 * (y * nx + x) + 1];
      }
      if (inverse) {
        this.cols.inverseTransform(colOut, colIn);
      } else {
        this.cols.transform(colOut, colIn);
      }
      for (let y = 0; y < ny; y++) {
        data[2 * (y * nx + x)] = colOut[2 * y];
        data[2 * (y * nx + x) + 1] = colOut[2 * y + 1];
      }
    }
  }
}
