import { join } from 'node:path';

import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  HAVE_SHARED,
  REAL_STACK,
  SHARED_DATA,
  cubeInOrder,
  cubeValue,
  nodeRuntime,
  ramp,
  tempDir
} from '../../test-setup/fixtures.js';
import { writeTreeFile } from '../../test-setup/h5-tree.js';
import { writeAlsMulti, writeI08Old, writeSynthetic } from './nxstxm.fixtures.js';
import { pixelSize, type Stack } from '../model/stack.js';
import type { H5RawRead, H5Runtime } from './h5.js';
import { readScan, readStack } from './read.js';
import { listNxstxmRegions, readNxstxm, readNxstxmHeader } from './nxstxm.js';

let rt: H5Runtime;
const dir = tempDir();
beforeAll(async () => {
  rt = await nodeRuntime();
});

/** Every pixel of the synthetic cubes says where it is: check them all. */
function expectCube(s: Stack, dims: [number, number, number]): void {
  const [ne, ny, nx] = dims;
  expect([s.energies.length, s.y.length, s.x.length]).toEqual(dims);
  for (let e = 0; e < ne; e++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const v = s.data[(e * ny + y) * nx + x];
        if (Math.abs(v - cubeValue(e, y, x)) > 1e-3) {
          throw new Error(`(${e}, ${y}, ${x}) holds ${v}, expected ${cubeValue(e, y, x)}`);
        }
      }
    }
  }
}

describe.skipIf(!HAVE_SHARED)('real files from ../shared/data', () => {
  it('SLS PolLux stack: shape, energies, pixel size, ring current, UTF-8 µm units', () => {
    const s = readNxstxm(rt, REAL_STACK, 'sls.hdf5');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([4, 50, 50]);
    expect(Array.from(s.energies)).toEqual([280, 284.5, 285, 320]);
    expect(pixelSize(s).x).toBeCloseTo(0.5, 9);
    expect(pixelSize(s).y).toBeCloseTo(0.5, 9);
    expect(s.source.dialect).toBe('SLS PolLux (Pixelator)');
    expect(s.control?.length).toBe(s.data.length);
    expect(s.metadata.dwellMs).toEqual([10, 10, 10, 10]);
    expect(s.metadata.scanKind).toBe('image stack');
    expect(s.metadata.nanFrames).toBeUndefined();
  });

  it('SLS PolLux cube equals a whole-dataset read converted to float32', () => {
    const s = readNxstxm(rt, REAL_STACK, 'sls.hdf5');
    const f = new h5wasm.File(REAL_STACK, 'r');
    try {
      const raw = (f.get('entry1/counter0/data') as unknown as { value: Float64Array }).value;
      expect(raw.length).toBe(s.data.length);
      expect(Array.from(s.data)).toEqual(Array.from(Float32Array.from(raw)));
      expect(Math.min(...raw)).toBeGreaterThan(100);
      expect(Math.max(...raw)).toBeLessThan(5000);
    } finally {
      f.close();
    }
  });

  it('HERMES small file: Counter0, no attributes, (energy, x, y) order', () => {
    const s = readNxstxm(rt, join(SHARED_DATA, 'stxm', 'hermes_small_OK.hdf5'), 'hermes.hdf5');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([2, 2, 2]);
    expect(s.source.dialect).toBe('SOLEIL HERMES');
    expect(Array.from(s.energies)).toEqual([100.1, 101.1]);
    expect(Array.from(s.x)).toEqual([1.1, 2.1]);
    expect(Array.from(s.y)).toEqual([11.1, 22.1]);
    // the pixel at x = 2.1, y = 11.1 holds 2000.1 at the first energy (as Orange reads it)
    expect(s.data[0 * 2 + 1]).toBeCloseTo(2000.1, 3);
    // y = 22.1, x = 1.1: 1001.1 at the first energy, 3001.1 at the second
    expect(s.data[(0 * 2 + 1) * 2 + 0]).toBeCloseTo(1001.1, 3);
    expect(s.data[(1 * 2 + 1) * 2 + 0]).toBeCloseTo(3001.1, 3);
    expect(s.metadata.notes?.[0]).toMatch(/HERMES order/);
  });
});

describe('NXstxm dialects (synthetic files)', () => {
  it('Pixelator layout, non-square: x and y never swap', () => {
    const path = join(dir, 'nonsquare.h5');
    const { data } = cubeInOrder([2, 3, 5]);
    writeSynthetic(path, {
      shape: [2, 3, 5],
      data,
      y: [0, 0.1, 0.2],
      x: [0, 0.04, 0.08, 0.12, 0.16]
    });
    const s = readNxstxm(rt, path, 'nonsquare.h5');
    expectCube(s, [2, 3, 5]);
    expect(pixelSize(s).y).toBeCloseTo(0.1, 12);
    expect(pixelSize(s).x).toBeCloseTo(0.04, 12);
  });

  it('converts positions in nm to µm', () => {
    const path = join(dir, 'nm.h5');
    writeSynthetic(path, { shape: [1, 2, 3], x: [0, 25, 50], y: [0, 25], units: 'nm' });
    expect(pixelSize(readNxstxm(rt, path, 'nm.h5')).x).toBeCloseTo(0.025, 12);
  });

  it.each([
    [['y', 'x', 'e'] as const, ['sample_y', 'sample_x', 'energy']],
    [['x', 'y', 'e'] as const, ['sample_x', 'sample_y', 'energy']],
    [['e', 'x', 'y'] as const, ['energy', 'sample_x', 'sample_y']]
  ])('axes attribute %j: read into (energy, y, x)', (order, axes) => {
    const path = join(dir, `order-${order.join('')}.h5`);
    const { data, shape } = cubeInOrder([4, 3, 5], [...order]);
    writeSynthetic(path, { shape: shape as [number, number, number], axes, data });
    expectCube(readNxstxm(rt, path, 'o.h5'), [4, 3, 5]);
  });

  it('no axes attribute, non-square: axes matched by length', () => {
    const path = join(dir, 'bylength.h5');
    const { data, shape } = cubeInOrder([4, 3, 5], ['e', 'x', 'y']);
    writeSynthetic(path, {
      shape: shape as [number, number, number],
      axes: null,
      data,
      y: ramp(3),
      x: ramp(5)
    });
    expectCube(readNxstxm(rt, path, 'bylength.h5'), [4, 3, 5]);
  });

  it('older Diamond I08: Counter1, photon_energy, per-field axis attributes, scan_type', () => {
    const path = join(dir, 'i08.nxs');
    writeI08Old(path, [3, 4, 7], ['x', 'y', 'e']);
    const s = readNxstxm(rt, path, 'i08.nxs');
    expectCube(s, [3, 4, 7]);
    expect(s.source.dialect).toMatch(/Diamond I08 \(older NXstxm/);
    expect(s.source.signal).toBe('/entry1/Counter1/data');
    expect(Array.from(s.energies)).toEqual([700, 700.5, 701]);
    expect(pixelSize(s).x).toBeCloseTo(0.03, 9);
    expect(pixelSize(s).y).toBeCloseTo(0.05, 9);
    expect(s.metadata.beamline).toBe('I08');
  });

  it('energies in keV are converted to eV', () => {
    const path = join(dir, 'kev.nxs');
    writeI08Old(path, [2, 3, 3], ['e', 'y', 'x'], { energyUnits: 'keV', energies: [0.7, 0.71] });
    expect(Array.from(readNxstxm(rt, path, 'kev.nxs').energies)).toEqual([700, 710]);
  });

  it('ALS multi-entry .stxm: lists the regions, reads the first image stack, or the entry asked for', () => {
    const path = join(dir, 'als.stxm');
    writeAlsMulti(path, [
      { dims: [6, 8], scanType: 'sample image' },
      { dims: [3, 4, 5], scanType: 'sample image stack' },
      { dims: [2, 5, 4], scanType: 'sample image stack' }
    ]);
    const regions = listNxstxmRegions(rt, path, 'als.stxm');
    expect(regions.map(r => [r.name, r.kind, r.shape])).toEqual([
      ['entry0', 'image', [6, 8]],
      ['entry1', 'image stack', [3, 4, 5]],
      ['entry2', 'image stack', [2, 5, 4]]
    ]);
    const first = readStack(rt, path, 'als.stxm');
    expect(first.source.entry).toBe('/entry1');
    expect(first.source.regions).toEqual(['/entry0', '/entry1', '/entry2']);
    expect(first.source.dialect).toBe('ALS (one entry per region)');
    expectCube(first, [3, 4, 5]);
    const third = readStack(rt, path, 'als.stxm', { entry: 'entry2' });
    expectCube(third, [2, 5, 4]);
    expect(third.energies[0]).toBe(527);
    const image = readStack(rt, path, 'als.stxm', { entry: '/entry0' });
    expect(image.metadata.scanKind).toBe('image');
    expect(Array.from(image.energies)).toEqual([530]);
    expectCube(image, [1, 6, 8]);
    expect(() => readStack(rt, path, 'als.stxm', { entry: 'entry9' })).toThrow(
      /als\.stxm: no entry "entry9" \(the file has \/entry0, \/entry1, \/entry2\)/
    );
  });

  it('definition as a scalar string or a one-element array', () => {
    for (const [name, definition] of [
      ['def-scalar.h5', 'NXstxm'],
      ['def-array.h5', ['NXstxm']]
    ] as const) {
      const path = join(dir, name);
      const { data } = cubeInOrder([2, 2, 3]);
      writeTreeFile(path, {
        children: {
          entry1: {
            attrs: { NX_class: 'NXentry' },
            children: {
              definition: { data: definition as string | string[] },
              counter0: {
                attrs: {
                  NX_class: 'NXdata',
                  signal: 'data',
                  axes: ['energy', 'sample_y', 'sample_x']
                },
                children: {
                  data: { data, shape: [2, 2, 3] },
                  energy: { data: [1, 2] },
                  sample_y: { data: [0, 1] },
                  sample_x: { data: [0, 1, 2] }
                }
              }
            }
          }
        }
      });
      expectCube(readStack(rt, path, name), [2, 2, 3]);
    }
  });

  it('NaN frames of an aborted scan are kept and listed; partial frames too', () => {
    const path = join(dir, 'aborted.h5');
    const { data } = cubeInOrder([5, 3, 4]);
    data.fill(Number.NaN, 3 * 12); // frames 3, 4 never recorded
    data[2 * 12 + 5] = Number.NaN; // frame 2 aborted mid-way
    writeSynthetic(path, { shape: [5, 3, 4], data });
    const s = readStack(rt, path, 'aborted.h5');
    expect(s.energies.length).toBe(5);
    expect(s.metadata.nanFrames).toEqual([3, 4]);
    expect(s.metadata.incompleteFrames).toEqual([2]);
    expect(Number.isNaN(s.data[4 * 12])).toBe(true);
  });

  it('all-zero frames are listed', () => {
    const path = join(dir, 'zeros.h5');
    const { data } = cubeInOrder([3, 2, 2]);
    data.fill(0, 4, 8);
    writeSynthetic(path, { shape: [3, 2, 2], data });
    expect(readStack(rt, path, 'zeros.h5').metadata.zeroFrames).toEqual([1]);
  });

  it('decreasing energies are accepted as they are', () => {
    const path = join(dir, 'down.h5');
    writeSynthetic(path, { energies: [540, 530, 520] });
    expect(Array.from(readStack(rt, path, 'down.h5').energies)).toEqual([540, 530, 520]);
  });

  it('metadata strings with markup and control characters come through as inert text', () => {
    const path = join(dir, 'html.h5');
    const { data } = cubeInOrder([2, 2, 2]);
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>\u001b[31mred\u0007';
    writeTreeFile(path, {
      children: {
        entry1: {
          attrs: { NX_class: 'NXentry' },
          children: {
            title: { data: [evil] },
            start_time: { data: ['<b>2020</b>'] },
            counter0: {
              attrs: { NX_class: 'NXdata', signal: 'data' },
              children: {
                data: { data, shape: [2, 2, 2] },
                energy: { data: [1, 2] },
                sample_y: { data: [0, 1], attrs: { units: 'um' } },
                sample_x: { data: [0, 1] },
                stxm_scan_type: { data: ['sample image stack'] }
              }
            },
            collection: { children: { beamline: { data: ['<svg onload=alert(1)>'] } } }
          }
        }
      }
    });
    const s = readStack(rt, path, 'html.h5');
    expect(s.metadata.title).toBe(
      '<script>alert("x")</script><img src=x onerror=alert(1)> [31mred'
    );
    expect(s.metadata.beamline).toBe('<svg onload=alert(1)>');
    expect(s.metadata.startTime).toBe('<b>2020</b>');
  });
});

describe('scan kinds other than image stacks are recognised and named', () => {
  it('a single image (2-D data, scalar energy)', () => {
    const path = join(dir, 'image.h5');
    const { data } = cubeInOrder([1, 3, 4]);
    writeSynthetic(path, {
      shape: [3, 4] as unknown as [number, number, number],
      data,
      axes: ['sample_y', 'sample_x'],
      energies: [532],
      scanType: 'sample image'
    });
    const s = readStack(rt, path, 'image.h5');
    expect(s.metadata.scanKind).toBe('image');
    expect(Array.from(s.energies)).toEqual([532]);
    expectCube(s, [1, 3, 4]);
  });

  it('a line spectrum: (energy, 1, positions), x = distance along the line', () => {
    const path = join(dir, 'line.h5');
    const ne = 6;
    const n = 5;
    const data = Float64Array.from({ length: ne * n }, (_, k) =>
      cubeValue(Math.floor(k / n), 0, k % n)
    );
    writeTreeFile(path, {
      children: {
        entry1: {
          attrs: { NX_class: 'NXentry' },
          children: {
            counter0: {
              attrs: { NX_class: 'NXdata', signal: 'data', axes: ['energy', 'line_position'] },
              children: {
                data: { data, shape: [ne, n] },
                energy: { data: ramp(ne, 520, 1) },
                sample_x: { data: ramp(n, 0, 0.3) },
                sample_y: { data: ramp(n, 0, 0.4) },
                stxm_scan_type: { data: ['sample line spectrum'] }
              }
            }
          }
        }
      }
    });
    const s = readScan(rt, path, 'line.h5');
    expect(s.metadata.scanKind).toBe('line spectrum');
    expectCube(s, [ne, 1, n]);
    expect(s.x[4]).toBeCloseTo(2, 9); // 4 steps of 0.5 µm (0.3, 0.4)
    expect(() => readStack(rt, path, 'line.h5')).toThrow(
      /line\.h5: scan type "sample line spectrum" is a line spectrum, not an image stack: use it as reference spectra/
    );
  });

  it('point spectra: one spectrum per point', () => {
    const path = join(dir, 'points.h5');
    writeTreeFile(path, {
      children: {
        entry1: {
          attrs: { NX_class: 'NXentry' },
          children: {
            counter0: {
              attrs: { NX_class: 'NXdata', signal: 'data' },
              children: {
                data: { data: ramp(8, 100, 1), shape: [4, 2] },
                energy: { data: [1, 2, 3, 4] },
                stxm_scan_type: { data: ['sample point spectrum'] }
              }
            }
          }
        }
      }
    });
    const s = readScan(rt, path, 'points.h5');
    expect(s.metadata.scanKind).toBe('point spectrum');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([4, 1, 2]);
    expect(Array.from(s.data)).toEqual(ramp(8, 100, 1));
  });

  it('a focus scan is named and refused as a stack', () => {
    const path = join(dir, 'focus.h5');
    writeTreeFile(path, {
      children: {
        entry1: {
          attrs: { NX_class: 'NXentry' },
          children: {
            counter0: {
              attrs: { NX_class: 'NXdata', signal: 'data', axes: ['zoneplate_z', 'line_position'] },
              children: {
                data: { data: ramp(12), shape: [3, 4] },
                energy: { data: [530] },
                zoneplate_z: { data: [-10, -9, -8] },
                sample_x: { data: ramp(4, 0, 0.1) },
                sample_y: { data: ramp(4) },
                stxm_scan_type: { data: ['sample focus'] }
              }
            }
          }
        }
      }
    });
    const s = readScan(rt, path, 'focus.h5');
    expect(s.metadata.scanKind).toBe('focus');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([1, 3, 4]);
    expect(() => readStack(rt, path, 'focus.h5')).toThrow(
      /focus\.h5: .* is a focus scan, not an image stack/
    );
  });
});

describe('readNxstxmHeader: what readNxstxm reads, without the cube', () => {
  const files: [string, () => string][] = [
    [
      'Pixelator',
      () => (writeSynthetic(join(dir, 'h-pix.h5'), { shape: [3, 4, 5] }), join(dir, 'h-pix.h5'))
    ],
    [
      'older I08',
      () => (
        writeI08Old(join(dir, 'h-i08.nxs'), [3, 4, 6], ['x', 'y', 'e']),
        join(dir, 'h-i08.nxs')
      )
    ],
    [
      'ALS multi-entry',
      () => {
        const p = join(dir, 'h-als.stxm');
        writeAlsMulti(p, [
          { dims: [4, 4], scanType: 'sample image' },
          { dims: [2, 3, 5], scanType: 'sample image stack' }
        ]);
        return p;
      }
    ],
    ...(HAVE_SHARED
      ? (['sls_pollux_stack_C-K.hdf5', 'hermes_small_OK.hdf5'].map(n => [
          n,
          () => join(SHARED_DATA, 'stxm', n)
        ]) as [string, () => string][])
      : [])
  ];
  it.each(files)('%s: axes, source and metadata equal; the ring current is seen', (_, make) => {
    const path = make();
    const stack = readNxstxm(rt, path, 'f');
    const header = readNxstxmHeader(rt, path, 'f');
    expect(header).not.toHaveProperty('data');
    expect(header.energies).toEqual(stack.energies);
    expect(header.x).toEqual(stack.x);
    expect(header.y).toEqual(stack.y);
    expect(header.source).toEqual(stack.source);
    const { nanFrames, incompleteFrames, zeroFrames, ...rest } = stack.metadata;
    void [nanFrames, incompleteFrames, zeroFrames];
    expect(header.metadata).toEqual(rest);
    expect(header.hasControl).toBe(stack.control !== undefined);
    expect(header.dtype).toMatch(/^(float|u?int)\d+$/);
  });
});

describe('the cube read through h5wasm’s raw read equals Dataset.slice’s', () => {
  const tree = (dtype: string, shape: number[], axes: string[], beamline = 'PolLux') => ({
    children: {
      entry1: {
        attrs: { NX_class: 'NXentry' },
        children: {
          instrument: { children: { name: { data: [beamline] } } },
          counter0: {
            attrs: { NX_class: 'NXdata', signal: 'data', axes },
            children: {
              data: {
                data: Float64Array.from(
                  { length: shape.reduce((a, b) => a * b, 1) },
                  (_, i) => (i * 37) % 251
                ),
                shape,
                dtype
              },
              energy: { data: ramp(shape[axes.indexOf('energy')], 520) },
              sample_y: { data: ramp(shape[axes.indexOf('sample_y')], 0, 0.1) },
              sample_x: { data: ramp(shape[axes.indexOf('sample_x')], 0, 0.2) }
            }
          }
        }
      }
    }
  });
  it.each([
    ['<f', [3, 4, 5], ['energy', 'sample_y', 'sample_x']],
    ['<d', [3, 4, 5], ['energy', 'sample_y', 'sample_x']],
    ['<H', [3, 4, 5], ['energy', 'sample_y', 'sample_x']],
    ['<h', [3, 4, 5], ['energy', 'sample_y', 'sample_x']],
    ['<i', [3, 4, 5], ['energy', 'sample_y', 'sample_x']],
    ['<B', [3, 4, 5], ['energy', 'sample_y', 'sample_x']],
    ['<f', [4, 5, 3], ['sample_y', 'sample_x', 'energy']],
    ['<H', [5, 3, 4], ['sample_x', 'energy', 'sample_y']]
  ])('%s %j %j', (dtype, shape, axes) => {
    const p = join(
      dir,
      `raw-${dtype.replace(/[<>]/g, c => (c === '<' ? 'le' : 'be'))}-${axes.join('-')}.h5`
    );
    writeTreeFile(p, tree(dtype, shape, axes));
    const raw = rt.raw;
    if (!raw) {
      throw new Error('the runtime has no raw read');
    }
    let calls = 0;
    const counted: H5RawRead = {
      get_dataset_data: (...args) => (calls++, raw.get_dataset_data(...args)),
      _malloc: n => raw._malloc(n),
      _free: ptr => raw._free(ptr),
      get HEAPU8() {
        return raw.HEAPU8;
      }
    };
    const direct = readStack({ ...rt, raw: counted }, p, 'raw.h5');
    // one read per slab of the file's first dimension: a small cube is one slab
    expect(calls).toBe(1);
    const sliced = readStack({ File: rt.File, FS: rt.FS }, p, 'raw.h5');
    expect(direct.data).toEqual(sliced.data);
    expect(Array.from(direct.data.subarray(0, 4))).toEqual(Array.from(sliced.data.subarray(0, 4)));
    expect(direct.data.some(v => v !== 0)).toBe(true);
  });

  it.skipIf(!HAVE_SHARED)('real files: identical cubes and ring currents', () => {
    for (const name of ['sls_pollux_stack_C-K.hdf5', 'hermes_small_OK.hdf5']) {
      const p = join(SHARED_DATA, 'stxm', name);
      const direct = readStack(rt, p);
      const sliced = readStack({ File: rt.File, FS: rt.FS }, p);
      expect(direct.data).toEqual(sliced.data);
      expect(direct.control).toEqual(sliced.control);
    }
  });
});
