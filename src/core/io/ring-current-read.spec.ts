/**
 * The ring current applied as the cube is read (`applyRingCurrent`, what
 * `stxm-phasemap map` reads with): the same counts as reading the current
 * and normalising by it afterwards, without ever holding it as a cube.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  cubeInOrder,
  HAVE_SHARED,
  nodeRuntime,
  REAL_STACK,
  tempDir
} from '../../test-setup/fixtures.js';
import { prepareStack } from '../preprocess/prepare.js';
import { normaliseRingCurrent } from '../preprocess/normalise.js';
import { simulateSample } from '../simulate/sample.js';
import type { H5Runtime } from './h5.js';
import { writeNxstxm } from './nxstxm-write.js';
import { writeSynthetic } from './nxstxm.fixtures.js';
import { DIVIDED_SLAB_BYTES } from './nxstxm-cube.js';
import { readStack } from './read.js';

let rt: H5Runtime;
let dir: string;
beforeAll(async () => {
  rt = await nodeRuntime();
  dir = tempDir('stxm-ring-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The current at cube position (e, y, x): slowly varying, with a few invalid values. */
function currentAt(e: number, y: number, x: number): number {
  if (e === 1 && y === 7 && x < 3) {
    return [0, -2, Number.NaN][x];
  }
  if (e === 4 && y === 250 && x === 600) {
    return Number.POSITIVE_INFINITY;
  }
  return 400 - 0.013 * e - 0.0007 * y - 0.00001 * x;
}

/** Add an NXmonitor `control` group to a file written by writeSynthetic. */
function addControl(path: string, values: Float64Array | Float32Array, shape: number[]): void {
  const f = new h5wasm.File(path, 'a');
  try {
    const g = f.create_group('entry1/control');
    g.create_attribute('NX_class', 'NXmonitor');
    g.create_dataset({
      name: 'data',
      data: values,
      shape,
      dtype: values instanceof Float32Array ? '<f' : '<d'
    });
  } finally {
    f.close();
  }
}

describe('the ring current applied while reading', () => {
  it.each([
    ['(energy, y, x)', ['e', 'y', 'x'], ['energy', 'sample_y', 'sample_x'], true],
    ['(y, x, energy)', ['y', 'x', 'e'], ['sample_y', 'sample_x', 'energy'], false]
  ] as const)(
    '%s, several slabs: the counts normalise-after-reading gives, no control cube, invalid currents counted per frame',
    (_label, order, axes, sameOrder) => {
      const dims: [number, number, number] = [6, 300, 700];
      const { data, shape } = cubeInOrder(dims, [...order]);
      // the current in the file's order
      const current = cubeInOrder(dims, [...order], currentAt).data;
      const path = join(dir, `ring-${order.join('')}.h5`);
      writeSynthetic(path, { shape: shape as [number, number, number], axes: [...axes], data });
      addControl(path, current, shape);
      // more than one slab of the divided read
      expect(data.length * 8).toBeGreaterThan(2 * DIVIDED_SLAB_BYTES);

      const plain = readStack(rt, path, 'ring.h5');
      expect(plain.control).toBeDefined();
      const progress: number[] = [];
      const applied = readStack(rt, path, 'ring.h5', {
        applyRingCurrent: true,
        onProgress: (done, total) => progress.push(done / total)
      });
      // the progress bar moves through both passes (the current, then signal and current)
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.filter(f => f > 0 && f <= 1 / 3).length).toBeGreaterThanOrEqual(2);
      expect(progress.filter(f => f > 1 / 3 && f < 1).length).toBeGreaterThanOrEqual(2);
      expect(progress.at(-1)).toBe(1);
      expect(applied.control).toBeUndefined();
      expect(applied.ringCurrentApplied).toBeDefined();

      const expected = plain.data.slice();
      const r = normaliseRingCurrent(expected, plain.control!);
      const info = applied.ringCurrentApplied!;
      expect(Array.from(info.frameSkipped)).toEqual([0, 3, 0, 0, 1, 0]);
      expect(r.skipped).toBe(4);
      let differ = 0;
      let worst = 0;
      for (let i = 0; i < expected.length; i++) {
        if (applied.data[i] !== expected[i]) {
          differ++;
          worst = Math.max(worst, Math.abs(applied.data[i] / expected[i] - 1));
        }
      }
      if (sameOrder) {
        // the current summed in the same order: the same mean, the same float32 values
        expect(info.meanCurrent).toBe(r.meanCurrent);
        expect(differ).toBe(0);
      } else {
        // summed in the file's order: the mean may differ in its last bits, the values by an ulp
        expect(info.meanCurrent).toBeCloseTo(r.meanCurrent, 9);
        expect(worst).toBeLessThan(3e-7);
      }
      // the invalid currents left the counts as they were read
      const [, ny, nx] = dims;
      for (const [e, y, x] of [
        [1, 7, 0],
        [1, 7, 1],
        [1, 7, 2],
        [4, 250, 600]
      ]) {
        const i = (e * ny + y) * nx + x;
        expect(applied.data[i]).toBe(plain.data[i]);
      }
      // and a pixel with a valid current was normalised (a different value)
      expect(applied.data[nx + 5]).not.toBe(plain.data[nx + 5]);
    }
  );

  it('one current per frame: normalised as the filled-out current would be, an invalid frame left as read', () => {
    const dims: [number, number, number] = [5, 20, 30];
    const { data, shape } = cubeInOrder(dims);
    const path = join(dir, 'ring-per-frame.h5');
    writeSynthetic(path, { shape: shape as [number, number, number], data });
    addControl(path, Float64Array.from([401.5, 399.25, 0, 398.125, 397.0625]), [5]);
    const plain = readStack(rt, path, 'ring.h5');
    const applied = readStack(rt, path, 'ring.h5', { applyRingCurrent: true });
    const expected = plain.data.slice();
    const r = normaliseRingCurrent(expected, plain.control!);
    expect(applied.control).toBeUndefined();
    expect(applied.ringCurrentApplied!.meanCurrent).toBe(r.meanCurrent);
    expect(Array.from(applied.ringCurrentApplied!.frameSkipped)).toEqual([0, 0, 600, 0, 0]);
    expect(applied.data).toEqual(expected);
  });

  it('a stack without a ring current, or in optical density, is read as it is', () => {
    const path = join(dir, 'no-ring.h5');
    writeSynthetic(path, { shape: [3, 4, 5] });
    const s = readStack(rt, path, 'no-ring.h5', { applyRingCurrent: true });
    expect(s.ringCurrentApplied).toBeUndefined();
    expect(s.data).toEqual(readStack(rt, path, 'no-ring.h5').data);
  });

  it('pre-processing a stack read so gives the optical density and provenance of one read whole', () => {
    const sample = simulateSample({ nx: 48, ny: 40, seed: 3 });
    expect(sample.stack.control).toBeDefined();
    const path = join(dir, 'simulated.h5');
    writeNxstxm(rt, path, sample.stack);
    const plain = readStack(rt, path, 'simulated.h5');
    const applied = readStack(rt, path, 'simulated.h5', { applyRingCurrent: true });
    const refs = sample.references;
    const a = prepareStack(plain, {}, refs);
    const b = prepareStack(applied, {}, refs, { inPlace: true });
    expect(b.stack.data).toEqual(a.stack.data);
    expect(b.i0).toEqual(a.i0);
    expect(b.provenance).toEqual(a.provenance);
    expect(b.provenance.find(p => p.step === 'ring current')?.details.applied).toBe(true);
    // a run that turns the ring current off cannot use such a stack: said, not done wrong
    expect(() => prepareStack(applied, { ringCurrent: false }, refs)).toThrow(
      /ring current was applied as the file was read/
    );
  });

  it.skipIf(!HAVE_SHARED)('a real SLS PolLux stack with its ring current: the same counts', () => {
    const plain = readStack(rt, REAL_STACK, 'sls.hdf5');
    const applied = readStack(rt, REAL_STACK, 'sls.hdf5', { applyRingCurrent: true });
    expect(plain.control).toBeDefined();
    expect(applied.control).toBeUndefined();
    const expected = plain.data.slice();
    const r = normaliseRingCurrent(expected, plain.control!);
    expect(applied.ringCurrentApplied!.meanCurrent).toBe(r.meanCurrent);
    expect(applied.data).toEqual(expected);
    expect(applied.data).not.toEqual(plain.data);
  });
});
