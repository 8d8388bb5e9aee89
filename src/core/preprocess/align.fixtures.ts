/** Synthetic scenes with exactly known shifts, for the alignment tests. */
export interface DriftScene {
  ny: number;
  nx: number;
  /** True displacement of each frame's content, px (content at +dy, +dx). */
  dy: number[];
  dx: number[];
  /** OD cube (E, y, x), noise-free. */
  od: Float32Array;
}

/**
 * A textured particle (soft-edged ellipse, Gaussian grains whose contrast
 * changes with energy), rendered analytically at each frame's displacement:
 * the shift is exact, not an interpolation.
 */
export function driftScene(
  ny: number,
  nx: number,
  dy: number[],
  dx: number[],
  seed = 3
): DriftScene {
  const ne = dy.length;
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const grains = Array.from({ length: 9 }, () => ({
    y: ny * (0.3 + 0.4 * rnd()),
    x: nx * (0.3 + 0.4 * rnd()),
    r: 1.5 + 3 * rnd(),
    a: Array.from({ length: ne }, () => 0.2 + 0.6 * rnd())
  }));
  const od = new Float32Array(ne * ny * nx);
  for (let e = 0; e < ne; e++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const yy = y - dy[e];
        const xx = x - dx[e];
        const r = Math.hypot((yy - ny / 2) / (ny * 0.3), (xx - nx / 2) / (nx * 0.28));
        const body = 0.5 * (1 - Math.tanh((r - 1) * Math.min(ny, nx) * 0.3)); // ~1.5 px edge
        let v = (0.6 + 0.1 * e) * body;
        for (const g of grains) {
          v += g.a[e] * Math.exp(-((yy - g.y) ** 2 + (xx - g.x) ** 2) / (2 * g.r * g.r)) * body;
        }
        od[(e * ny + y) * nx + x] = v;
      }
    }
  }
  return { ny, nx, dy, dx, od };
}

/**
 * A hard-edged disk of OD `contrast` on an empty background, area-sampled
 * (16 × 16 sub-pixels) at each frame's displacement.
 */
export function hardDisk(
  ny: number,
  nx: number,
  dy: number[],
  dx: number[],
  contrast = 2
): Float32Array {
  const ne = dy.length;
  const out = new Float32Array(ne * ny * nx);
  const R = Math.min(ny, nx) * 0.3;
  const sub = 16;
  for (let e = 0; e < ne; e++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        let inside = 0;
        for (let i = 0; i < sub; i++) {
          for (let j = 0; j < sub; j++) {
            const yy = y - 0.5 + (i + 0.5) / sub - dy[e] - ny / 2;
            const xx = x - 0.5 + (j + 0.5) / sub - dx[e] - nx / 2;
            if (yy * yy + xx * xx < R * R) {
              inside++;
            }
          }
        }
        out[(e * ny + y) * nx + x] = (contrast * inside) / (sub * sub);
      }
    }
  }
  return out;
}
