import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { nodeRuntime, tempDir } from '../../test-setup/fixtures.js';
import { tiffBytes } from './tiff-stack.fixtures.js';
import { pixelSize } from '../model/stack.js';
import type { H5Runtime } from './h5.js';
import { companionFiles, readStack } from './read.js';

let rt: H5Runtime;
const dir = tempDir('stxm-tiff-');
beforeAll(async () => {
  rt = await nodeRuntime();
});

const W = 5;
const H = 3;
const page = (e: number): number[] => Array.from({ length: W * H }, (_, k) => 100 * e + k);

describe('multi-page TIFF + energy list', () => {
  it('16-bit pages, energies from a list beside it, non-square, resolution in cm', () => {
    writeFileSync(
      join(dir, 'stack.tif'),
      tiffBytes([page(0), page(1), page(2)], W, H, 'u16', { perCm: 25000 })
    );
    writeFileSync(join(dir, 'stack.txt'), '# energies (eV)\n520\n525.5\n530\n');
    const s = readStack(rt, join(dir, 'stack.tif'), 'stack.tif');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([3, H, W]);
    expect(Array.from(s.energies)).toEqual([520, 525.5, 530]);
    expect(s.data[1 * W * H + 2 * W + 4]).toBe(100 + 14);
    expect(pixelSize(s).x).toBeCloseTo(0.4, 6); // 25000 px/cm = 0.4 µm
    expect(s.source.format).toBe('TIFF + energy list');
  });

  it('float32 and signed 16-bit samples; energies given by the caller; no resolution = pixel units', () => {
    writeFileSync(
      join(dir, 'f32.tiff'),
      tiffBytes(
        [
          [0.5, -1.25, 3, 4, 5, 6],
          [1, 2, 3, 4, 5, 6]
        ],
        3,
        2,
        'f32'
      )
    );
    const f = readStack(rt, join(dir, 'f32.tiff'), 'f32.tiff', { energies: [700, 701] });
    expect(Array.from(f.data.subarray(0, 2))).toEqual([0.5, -1.25]);
    expect(f.metadata.positionUnits).toBe('pixel');
    writeFileSync(join(dir, 'i16.tif'), tiffBytes([[-3, 2, 1, 0, -1, 7]], 3, 2, 'i16'));
    const i = readStack(rt, join(dir, 'i16.tif'), 'i16.tif', { energies: [700] });
    expect(i.data[0]).toBe(-3);
    expect(i.metadata.scanKind).toBe('image');
  });

  it('found by content even with another extension', () => {
    writeFileSync(join(dir, 'renamed.dat'), tiffBytes([page(0)], W, H));
    expect(
      readStack(rt, join(dir, 'renamed.dat'), 'renamed.dat', { energies: [500] }).x.length
    ).toBe(W);
  });

  it('names the energy list files it looks for', () => {
    expect(companionFiles('a/b/stack.tif')).toEqual([
      'stack.energies',
      'stack_energies.txt',
      'stack.txt',
      'stack.csv',
      'stack.dat'
    ]);
  });

  it.each([
    [
      'noenergies.tif',
      () => writeFileSync(join(dir, 'noenergies.tif'), tiffBytes([page(0), page(1)], W, H)),
      /no energy list/
    ],
    [
      'count.tif',
      () => {
        writeFileSync(join(dir, 'count.tif'), tiffBytes([page(0), page(1)], W, H));
        writeFileSync(join(dir, 'count.txt'), '1\n2\n3\n');
      },
      /3 energies for 2 TIFF pages/
    ],
    [
      'order.tif',
      () => {
        writeFileSync(join(dir, 'order.tif'), tiffBytes([page(0), page(1), page(2)], W, H));
        writeFileSync(join(dir, 'order.txt'), '530\n520\n525\n');
      },
      /energy list is not monotonic: 525 eV follows 520 eV/
    ],
    [
      'cut.tif',
      () =>
        writeFileSync(join(dir, 'cut.tif'), tiffBytes([page(0), page(1)], W, H).subarray(0, 40)),
      /cannot decode the TIFF/
    ],
    [
      'fake.tif',
      () => writeFileSync(join(dir, 'fake.tif'), '<html>not a tiff</html>'),
      /not a TIFF file/
    ]
  ])('%s gives one clear line', (name, make, reason) => {
    make();
    let caught: unknown;
    try {
      readStack(rt, join(dir, name), name);
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).name).toBe('StackReadError');
    expect((caught as Error).message.startsWith(`${name}: `)).toBe(true);
    expect((caught as Error).message).toMatch(reason);
    expect((caught as Error).message).not.toMatch(/\n/);
  });
});
