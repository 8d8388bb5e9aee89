/**
 * The bad-input corpus: every broken file gives one clear line naming the
 * file and the problem (StackReadError), quickly — never a crash, a hang or
 * a silent wrong answer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';

import { cubeInOrder, nodeRuntime, tempDir } from '../../test-setup/fixtures.js';
import { writeTreeFile } from '../../test-setup/h5-tree.js';
import { writeSynthetic } from './nxstxm.fixtures.js';
import { StackReadError } from './errors.js';
import type { H5Runtime } from './h5.js';
import { readStack } from './read.js';

let rt: H5Runtime;
const dir = tempDir('stxm-bad-');
beforeAll(async () => {
  rt = await nodeRuntime();
});

/** A file whose signal dataset was resized to a huge shape: the file stays tiny. */
function claimShape(path: string, shape: number[]): void {
  writeSynthetic(path, { shape: [2, 2, 2] });
  const f = new h5wasm.File(path, 'a');
  try {
    const g = f.get('entry1/counter0') as unknown as {
      create_dataset: (a: object) => { resize: (s: number[]) => void };
    };
    g.create_dataset({
      name: 'huge',
      data: new Float32Array(8),
      shape: [2, 2, 2],
      dtype: '<f',
      maxshape: [null, null, null],
      chunks: [1, 2, 2]
    }).resize(shape);
  } finally {
    f.close();
  }
  // point the group's signal at it
  const g = new h5wasm.File(path, 'a');
  try {
    const grp = g.get('entry1/counter0') as unknown as {
      delete_attribute: (n: string) => void;
      create_attribute: (n: string, v: string) => void;
    };
    grp.delete_attribute('signal');
    grp.create_attribute('signal', 'huge');
  } finally {
    g.close();
  }
}

const stackTree = (
  children: Record<string, unknown>,
  groupAttrs: Record<string, unknown> = {}
) => ({
  children: {
    entry1: {
      attrs: { NX_class: 'NXentry' },
      children: {
        counter0: { attrs: { NX_class: 'NXdata', signal: 'data', ...groupAttrs }, children }
      }
    }
  }
});

const cases: [string, (path: string) => void, RegExp][] = [
  [
    'html.h5',
    p => writeFileSync(p, '<html><script>alert(1)</script></html>'),
    /: not an HDF5 file \(no HDF5 signature\)$/
  ],
  ['empty.h5', p => writeFileSync(p, ''), /: file is empty \(0 bytes\)$/],
  [
    'truncated.h5',
    p => {
      writeSynthetic(p, { shape: [8, 32, 32] });
      const bytes = readFileSync(p);
      writeFileSync(p, bytes.subarray(0, bytes.length >> 1));
    },
    /: cannot open the HDF5 file: truncated file/
  ],
  [
    'noentry.h5',
    p => writeSynthetic(p, { entryName: 'stuff', nxEntry: false }),
    /: no NXentry group: not a NeXus\/NXstxm file$/
  ],
  [
    'nodata.h5',
    p => writeSynthetic(p, { groupName: 'notes', nxData: false }),
    /: no detector data group/
  ],
  [
    'noenergy.h5',
    p => {
      const { data } = cubeInOrder([3, 2, 2]);
      writeTreeFile(
        p,
        stackTree({
          data: { data, shape: [3, 2, 2] },
          sample_x: { data: [0, 1] },
          sample_y: { data: [0, 1] }
        }) as never
      );
    },
    /: no energy axis \("energy" or "photon_energy"\) beside \/entry1\/counter0\/data$/
  ],
  [
    'wronglength.h5',
    p => writeSynthetic(p, { energies: [1, 2] }),
    /: 2 energies for 3 frames in \/entry1\/counter0\/data$/
  ],
  [
    'nonmonotonic.h5',
    p => writeSynthetic(p, { shape: [4, 2, 2], energies: [520, 530, 525, 540] }),
    /: energy axis "energy" of \/entry1\/counter0\/data is not monotonic: 525 eV follows 530 eV at index 2$/
  ],
  [
    'duplicate.h5',
    p => writeSynthetic(p, { energies: [520, 520, 530] }),
    /is not monotonic: 520 eV follows 520 eV at index 1/
  ],
  [
    'nanenergy.h5',
    p => writeSynthetic(p, { energies: [520, Number.NaN, 530] }),
    /holds a non-finite value at index 1/
  ],
  [
    'zerosize.h5',
    p =>
      writeTreeFile(
        p,
        stackTree({
          data: { data: new Float64Array(0), shape: [0, 4, 4] },
          energy: { data: new Float64Array(0), shape: [0] }
        }) as never
      ),
    /: \/entry1\/counter0\/data is empty \(shape \[0,4,4\]\)$/
  ],
  [
    'huge.h5',
    p => claimShape(p, [100000, 20000, 20000]),
    /: \/entry1\/counter0\/huge is too large to load \(shape \[100000,20000,20000\], 40000000000000 values; at most 1073741824\)$/
  ],
  [
    'allnan.h5',
    p => writeSynthetic(p, { shape: [3, 2, 2], data: new Float64Array(12).fill(Number.NaN) }),
    /: every frame of \/entry1\/counter0\/data is NaN \(no data recorded\)$/
  ],
  [
    'rank4.h5',
    p =>
      writeSynthetic(p, { shape: [2, 2, 2, 2] as unknown as [number, number, number], axes: null }),
    /has 4 dimension\(s\) \(shape \[2,2,2,2\]\); an STXM scan has 1 to 3/
  ],
  [
    'strings.h5',
    p =>
      writeTreeFile(
        p,
        stackTree({ data: { data: ['a', 'b'] }, energy: { data: [1, 2] } }) as never
      ),
    /: \/entry1\/counter0\/data does not hold numbers$/
  ],
  [
    'units.h5',
    p => writeSynthetic(p, { units: 'eV' }),
    /: axis "sample_y" has units "eV", not a length$/
  ],
  [
    'positions.h5',
    p => writeSynthetic(p, { shape: [2, 3, 4], y: [0, 1] }),
    /: axis "sample_y" has 2 values for 3 pixels in \/entry1\/counter0\/data$/
  ],
  [
    'misfit.h5',
    p => writeSynthetic(p, { scanType: 'sample image' }),
    /: scan type "sample image" does not fit the data: \/entry1\/counter0\/data has shape \[3,4,5\]/
  ],
  ['x.tif.h5', p => writeFileSync(p, 'II*\u0000garbage'), /: cannot decode the TIFF/],
  [
    'unknown.xyz',
    p => writeFileSync(p, 'hello'),
    /: unsupported file type \(expected one of \.hdf5, \.h5, \.nxs, \.hdf, \.stxm, \.hdr, \.tif, \.tiff\)$/
  ]
];

describe('bad inputs give one clear line naming the file', () => {
  it.each(cases)('%s', (name, make, reason) => {
    const path = join(dir, name);
    make(path);
    const t0 = performance.now();
    let caught: unknown;
    try {
      readStack(rt, path, name);
    } catch (err) {
      caught = err;
    }
    expect(performance.now() - t0).toBeLessThan(5000); // no hang
    expect(caught).toBeInstanceOf(StackReadError);
    const message = (caught as Error).message;
    expect(message.startsWith(`${name}: `)).toBe(true);
    expect(message).toMatch(reason);
    // eslint-disable-next-line no-control-regex
    expect(message).not.toMatch(/[\n\r\u001b]/);
  });

  it('markup and terminal escapes in a scan type are kept as inert text', () => {
    const path = join(dir, 'evil.h5');
    writeSynthetic(path, { scanType: '<script>alert(1)</script>\u001b[2J' });
    const s = readStack(rt, path, 'evil.h5');
    expect(s.metadata.scanType).toBe('<script>alert(1)</script> [2J');
    expect(s.metadata.scanKind).toBe('image stack');
  });

  it('a missing file', () => {
    expect(() => readStack(rt, join(dir, 'absent.h5'), 'absent.h5')).toThrow(
      /^absent\.h5: file not found or not readable$/
    );
  });
});
