/**
 * Where the latent view puts its points: every particle pixel with a latent
 * position, projected once per result (projection.ts), and the data domain
 * that holds them and — within reason — each phase's 2σ ellipse (a very broad
 * phase must not squash the points). Pure: tested in Node (layout.spec.ts).
 */
import type { LatentGaussian } from '../../core/model/result.js';
import { project, projectGaussian, type Projection } from './projection.js';

export interface LatentLayout {
  /** Pixel index of each point. */
  pixels: Int32Array;
  /** (x, y) per point on the projection's plane. */
  xy: Float32Array;
  /** [x0, x1, y0, y1], padded by 5 %. */
  domain: [number, number, number, number];
}

export function latentLayout(
  latent: Float32Array,
  dim: number,
  mask: Uint8Array,
  gaussians: readonly (LatentGaussian | null | undefined)[],
  proj: Projection
): LatentLayout {
  const idx: number[] = [];
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] && Number.isFinite(latent[p * dim])) {
      idx.push(p);
    }
  }
  const xy = new Float32Array(2 * idx.length);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  idx.forEach((p, i) => {
    const [x, y] = project(proj, latent, p * dim);
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  });
  // the 2σ ellipses too, within reason (a very broad phase must not squash the points)
  const spanX = x1 - x0 || 1;
  const spanY = y1 - y0 || 1;
  for (const g of gaussians) {
    if (!g || g.count === 0) {
      continue;
    }
    const pg = projectGaussian(proj, g);
    const ex = 2 * Math.sqrt(Math.max(0, pg.cov[0]));
    const ey = 2 * Math.sqrt(Math.max(0, pg.cov[2]));
    x0 = Math.min(x0, Math.max(pg.mean[0] - ex, x0 - spanX));
    x1 = Math.max(x1, Math.min(pg.mean[0] + ex, x1 + spanX));
    y0 = Math.min(y0, Math.max(pg.mean[1] - ey, y0 - spanY));
    y1 = Math.max(y1, Math.min(pg.mean[1] + ey, y1 + spanY));
  }
  const padX = 0.05 * (x1 - x0 || 1);
  const padY = 0.05 * (y1 - y0 || 1);
  return {
    pixels: Int32Array.from(idx),
    xy,
    domain: idx.length ? [x0 - padX, x1 + padX, y0 - padY, y1 + padY] : [-1, 1, -1, 1]
  };
}
