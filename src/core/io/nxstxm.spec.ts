import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  HAVE_SHARED,
  REAL_STACK,
  SHARED_DATA,
  nodeRuntime,
  tempDir,
  writeSynthetic
} from '../../test-setup/fixtures.js';
import { pixelSize } from '../model/stack.js';
import { StackReadError } from './errors.js';
import type { H5Runtime } from './h5.js';
import { readStack } from './index.js';
import { readNxstxm } from './nxstxm.js';

let rt: H5Runtime;
const dir = tempDir();
beforeAll(async () => {
  rt = await nodeRuntime();
});

describe.skipIf(!HAVE_SHARED)('real files from ../shared/data', () => {
  it('SLS PolLux stack: shape, energies, pixel size, ring current', () => {
    const s = readNxstxm(rt, REAL_STACK, 'sls.hdf5');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([4, 50, 50]);
    expect(Array.from(s.energies)).toEqual([280, 284.5, 285, 320]);
    expect(pixelSize(s).x).toBeCloseTo(0.5, 9);
    expect(pixelSize(s).y).toBeCloseTo(0.5, 9);
    expect(s.source.dialect).toBe('SLS PolLux (Pixelator)');
    expect(s.control?.length).toBe(s.data.length);
    expect(s.metadata.dwellMs).toEqual([10, 10, 10, 10]);
  });

  it('SLS PolLux cube equals a whole-dataset read converted to float32', () => {
    const s = readNxstxm(rt, REAL_STACK, 'sls.hdf5');
    const f = new h5wasm.File(REAL_STACK, 'r');
    try {
      const raw = (f.get('entry1/counter0/data') as unknown as { value: Float64Array }).value;
      expect(raw.length).toBe(s.data.length);
      expect(Array.from(s.data)).toEqual(Array.from(Float32Array.from(raw)));
      // raw counts, as the data note says (≈350–1800)
      expect(Math.min(...raw)).toBeGreaterThan(100);
      expect(Math.max(...raw)).toBeLessThan(5000);
    } finally {
      f.close();
    }
  });

  it('HERMES small file (Counter0, no attributes)', () => {
    const s = readNxstxm(rt, join(SHARED_DATA, 'stxm', 'hermes_small_OK.hdf5'), 'hermes.hdf5');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([2, 2, 2]);
    expect(s.source.dialect).toBe('SOLEIL HERMES');
    expect(Array.from(s.energies)).toEqual([100.1, 101.1]);
  });
});

describe('synthetic NXstxm files', () => {
  it('non-square map keeps x and y apart', () => {
    const path = join(dir, 'nonsquare.h5');
    const data = writeSynthetic(path, {
      shape: [2, 3, 5],
      y: [0, 0.1, 0.2],
      x: [0, 0.04, 0.08, 0.12, 0.16]
    });
    const s = readNxstxm(rt, path, 'nonsquare.h5');
    expect([s.y.length, s.x.length]).toEqual([3, 5]);
    expect(pixelSize(s).y).toBeCloseTo(0.1, 12);
    expect(pixelSize(s).x).toBeCloseTo(0.04, 12);
    // pixel (e=1, y=2, x=4) is the last value
    expect(s.data[(1 * 3 + 2) * 5 + 4]).toBe(data[data.length - 1]);
  });

  it('converts positions in nm to µm', () => {
    const path = join(dir, 'nm.h5');
    writeSynthetic(path, { shape: [1, 2, 3], x: [0, 25, 50], y: [0, 25], units: 'nm' });
    const s = readNxstxm(rt, path, 'nm.h5');
    expect(pixelSize(s).x).toBeCloseTo(0.025, 12);
  });

  it('transposes data whose axes attribute is (y, x, energy)', () => {
    const path = join(dir, 'yxe.h5');
    const [ny, nx, ne] = [2, 3, 4];
    const data = Float64Array.from({ length: ny * nx * ne }, (_, i) => i);
    writeSynthetic(path, { shape: [ny, nx, ne], axes: ['sample_y', 'sample_x', 'energy'], data });
    const s = readNxstxm(rt, path, 'yxe.h5');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([ne, ny, nx]);
    for (let e = 0; e < ne; e++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++) {
          expect(s.data[(e * ny + y) * nx + x]).toBe(data[(y * nx + x) * ne + e]);
        }
      }
    }
  });

  it('reads a file with no axes attribute as (energy, y, x)', () => {
    const path = join(dir, 'noaxes.h5');
    writeSynthetic(path, { axes: null, groupName: 'Counter0', nxEntry: false });
    expect(readNxstxm(rt, path, 'noaxes.h5').energies.length).toBe(3);
  });
});

describe('bad inputs give one clear error naming the file', () => {
  const cases: [string, (path: string) => void, RegExp][] = [
    [
      'text.h5',
      p => writeFileSync(p, '<html><script>alert(1)</script></html>'),
      /not an HDF5 file/
    ],
    ['empty.h5', p => writeFileSync(p, ''), /empty/],
    [
      'truncated.h5',
      p => {
        writeSynthetic(p, { shape: [8, 32, 32] });
        const bytes = readFileSync(p);
        writeFileSync(p, bytes.subarray(0, bytes.length >> 1));
      },
      /cannot open the HDF5 file: truncated file/
    ],
    ['noentry.h5', p => writeSynthetic(p, { entryName: 'stuff', nxEntry: false }), /no NXentry/],
    [
      'nodata.h5',
      p => writeSynthetic(p, { groupName: 'notes', nxData: false }),
      /no detector data group/
    ],
    [
      'rank2.h5',
      p =>
        writeSynthetic(p, {
          shape: [4, 5] as unknown as [number, number, number],
          axes: ['sample_y', 'sample_x']
        }),
      /dimension/
    ],
    ['energies.h5', p => writeSynthetic(p, { energies: [1, 2] }), /2 energies for 3 frames/],
    [
      'image.h5',
      p => writeSynthetic(p, { scanType: 'sample image' }),
      /"sample image", not an image stack/
    ],
    ['units.h5', p => writeSynthetic(p, { units: 'eV' }), /not a length/]
  ];

  it.each(cases)('%s', (name, make, reason) => {
    const path = join(dir, name);
    make(path);
    let caught: unknown;
    try {
      readStack(rt, path, name);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StackReadError);
    const message = (caught as Error).message;
    expect(message.startsWith(`${name}: `)).toBe(true);
    expect(message).toMatch(reason);
    expect(message).not.toMatch(/\n/);
  });

  it('a missing file', () => {
    expect(() => readStack(rt, join(dir, 'absent.h5'), 'absent.h5')).toThrow(
      /absent.h5: file not found/
    );
  });

  it('an unsupported extension', () => {
    expect(() => readStack(rt, join(dir, 'x.tif'), 'x.tif')).toThrow(
      /x.tif: unsupported file type/
    );
  });
});
