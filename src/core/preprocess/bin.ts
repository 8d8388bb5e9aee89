/**
 * b × b binning: each output pixel is the mean of the finite values of its
 * block (NaN when it has none); rows and columns that do not fill a block are
 * dropped. Positions are the mean of the block's positions.
 */

export interface Binned {
  data: Float32Array;
  ny: number;
  nx: number;
  y: Float64Array;
  x: Float64Array;
}

export function binCube(
  data: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  y: Float64Array,
  x: Float64Array,
  b: number
): Binned {
  const by = Math.floor(ny / b);
  const bx = Math.floor(nx / b);
  const out = new Float32Array(ne * by * bx);
  for (let e = 0; e < ne; e++) {
    for (let yo = 0; yo < by; yo++) {
      for (let xo = 0; xo < bx; xo++) {
        let s = 0;
        let n = 0;
        for (let dy = 0; dy < b; dy++) {
          const row = (e * ny + yo * b + dy) * nx + xo * b;
          for (let dx = 0; dx < b; dx++) {
            const v = data[row + dx];
            if (Number.isFinite(v)) {
              s += v;
              n++;
            }
          }
        }
        out[(e * by + yo) * bx + xo] = n > 0 ? s / n : Number.NaN;
      }
    }
  }
  const mean = (a: Float64Array, i: number): number => {
    let s = 0;
    for (let k = 0; k < b; k++) {
      s += a[i * b + k];
    }
    return s / b;
  };
  return {
    data: out,
    ny: by,
    nx: bx,
    y: Float64Array.from({ length: by }, (_, i) => mean(y, i)),
    x: Float64Array.from({ length: bx }, (_, i) => mean(x, i))
  };
}
