import { describe, expect, it } from 'vitest';

import { driftScene, hardDisk } from './align.fixtures.js';
import { Rng } from '../simulate/rng.js';
import { alignFrames, largestDrift, registerFrames } from './align.js';
import { Fft2d } from './fft2d.js';

const TRUE_DY = [0, 0.37, -1.62, 2.25, -0.81, 1.5, -2.93, 0.06];
const TRUE_DX = [0, -0.44, 1.18, -2.71, 0.93, 2.49, -1.07, 3.31];

/** Shifts applied must undo the true displacements, relative to the reference frame. */
function shiftErrors(applied: Float64Array, truth: number[], reference: number): number[] {
  return truth.map((t, e) => applied[e] + (t - truth[reference]));
}

describe('FFT wrapper', () => {
  it('forward then inverse is the identity, and a delta transforms to ones', () => {
    const f = new Fft2d(8, 16);
    const data = new Float64Array(2 * 8 * 16);
    data[0] = 1;
    f.forward(data);
    for (let k = 0; k < 8 * 16; k++) {
      expect(data[2 * k]).toBeCloseTo(1, 12);
      expect(data[2 * k + 1]).toBeCloseTo(0, 12);
    }
    f.inverse(data);
    expect(data[0]).toBeCloseTo(1, 12);
    expect(Math.abs(data[2])).toBeLessThan(1e-12);
  });
});

describe('alignment recovers known sub-pixel shifts', () => {
  // The scene's grains change contrast at every energy, as phases do across an edge.
  it('noise-free textured particle, non-square: within 0.05 px', () => {
    const scene = driftScene(64, 80, TRUE_DY, TRUE_DX);
    const r = alignFrames(scene.od, TRUE_DY.length, 64, 80);
    const ey = shiftErrors(r.dy, TRUE_DY, r.reference);
    const ex = shiftErrors(r.dx, TRUE_DX, r.reference);
    expect(Math.max(...ey.map(Math.abs), ...ex.map(Math.abs))).toBeLessThan(0.05);
  });

  it('with Poisson noise (I0 = 3000 counts), on the OD: within 0.1 px', () => {
    const [ny, nx] = [96, 120];
    const scene = driftScene(ny, nx, TRUE_DY, TRUE_DX, 7);
    const rng = new Rng(5);
    const od = Float32Array.from(
      scene.od,
      v => -Math.log(Math.max(1, rng.poisson(3000 * Math.exp(-v))) / 3000)
    );
    const r = alignFrames(od, TRUE_DY.length, ny, nx);
    const ey = shiftErrors(r.dy, TRUE_DY, r.reference);
    const ex = shiftErrors(r.dx, TRUE_DX, r.reference);
    const worst = Math.max(...ey.map(Math.abs), ...ex.map(Math.abs));
    expect(worst).toBeLessThan(0.1);
    // the crop keeps only what every frame covers
    const spanY = Math.max(...TRUE_DY) - Math.min(...TRUE_DY);
    expect(r.box.y1 - r.box.y0).toBeLessThanOrEqual(ny - Math.floor(spanY));
    expect(r.box.y1 - r.box.y0).toBeGreaterThanOrEqual(ny - Math.ceil(spanY) - 2);
  });

  it('a given reference frame stays where it is', () => {
    const scene = driftScene(48, 48, TRUE_DY.slice(0, 4), TRUE_DX.slice(0, 4));
    const r = alignFrames(scene.od, 4, 48, 48, { reference: 2 });
    expect(r.reference).toBe(2);
    expect(Math.abs(r.dx[2])).toBe(0);
    expect(Math.abs(r.dy[2])).toBe(0);
    expect(Math.abs(r.dx[0] - (TRUE_DX[0] - TRUE_DX[2]) * -1)).toBeLessThan(0.05);
  });
});

describe('no line artefacts at high-contrast edges', () => {
  const dy = [0, 0.5, -1.25, 2.75];
  const dx = [0, -0.5, 1.75, -2.3];
  const ny = 56;
  const nx = 72;
  const od = hardDisk(ny, nx, dy, dx, 2);

  /** Pixels farther than `margin` px from the disk's edge in every frame. */
  function farFromEdge(y: number, x: number, margin: number): boolean {
    const R = Math.min(ny, nx) * 0.3;
    const r = Math.hypot(y - ny / 2, x - nx / 2);
    return Math.abs(r - R) > margin + 0.75;
  }

  it.each(['linear', 'cubic'] as const)(
    '%s: away from the edge the aligned frames equal the reference exactly; linear never overshoots',
    interpolation => {
      const r = alignFrames(od, dy.length, ny, nx, { interpolation, reference: 0 });
      const h = r.box.y1 - r.box.y0;
      const w = r.box.x1 - r.box.x0;
      let worstFar = 0;
      let overshoot = 0;
      for (let e = 0; e < dy.length; e++) {
        for (let yi = 0; yi < h; yi++) {
          for (let xi = 0; xi < w; xi++) {
            const v = r.data[(e * h + yi) * w + xi];
            const ref = od[(r.box.y0 + yi) * nx + r.box.x0 + xi];
            overshoot = Math.max(overshoot, v - 2, -v);
            if (farFromEdge(r.box.y0 + yi, r.box.x0 + xi, interpolation === 'cubic' ? 2.5 : 1.5)) {
              worstFar = Math.max(worstFar, Math.abs(v - ref));
            }
          }
        }
      }
      // no stripes, no wrapped or clamped borders: identical wherever the scene is flat
      expect(worstFar).toBeLessThan(1e-5);
      if (interpolation === 'linear') {
        expect(overshoot).toBeLessThanOrEqual(1e-6);
      } else {
        expect(overshoot).toBeLessThan(0.08 * 2); // Keys cubic: ≤ ~7 % of the step
      }
    }
  );
});

describe('registration against chemical contrast', () => {
  it('a still core–shell particle whose contrast flips with energy is not "aligned" onto its own core', async () => {
    const { simulateDemo } = await import('../simulate/demo.js');
    const { prepareStack } = await import('./prepare.js');
    // at 515–516 eV the Na3 core outshines the Na1 shell; the value registration of
    // those frames locked onto the core's edge 4 px away (measured drift 4.3 px before)
    const { stack } = simulateDemo({ seed: 1, front: Math.sqrt(0.7) });
    const od = prepareStack(stack, { align: false, energyShift: 0 });
    const r = registerFrames(od.stack.data, 12, 48, 64);
    expect(largestDrift(r)).toBeLessThan(0.25);
    expect(r.outlineFrames.map(e => stack.energies[e])).toEqual(
      expect.arrayContaining([515, 516.2])
    );
    const p = prepareStack(stack, { energyShift: 0 });
    expect(p.provenance.find(s => s.step === 'alignment')?.details.applied).toBe(false);
  });
});
