/**
 * `stxm-phasemap info` on every real file of ../shared/data/stxm, on a file
 * of each dialect the tests write, and on the bad-input corpus (exit 2, one
 * line). Most runs go through `main()` in-process (the same code as the
 * binary); a few run the real binary.
 */
import fs, { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { writeAxis2000 } from '../core/io/axis2000.fixtures.js';
import { writeAlsMulti, writeI08Old, writeSynthetic } from '../core/io/nxstxm.fixtures.js';
import { tiffBytes } from '../core/io/tiff-stack.fixtures.js';
import { HAVE_SHARED, SHARED_DATA, cubeInOrder, ramp, tempDir } from '../test-setup/fixtures.js';
import { writeTreeFile } from '../test-setup/h5-tree.js';
import { runCli } from '../test-setup/cli.js';
import type { FileInfo } from '../core/index.js';
import { main } from './main.js';

const dir = tempDir('stxm-info-');

async function info(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['info', ...args], {
    out: t => (out += t + '\n'),
    err: t => (err += t + '\n')
  });
  return { code, out, err };
}

async function infoJson(...args: string[]): Promise<FileInfo> {
  const r = await info(...args, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as FileInfo;
}

describe.skipIf(!HAVE_SHARED)('every real file in ../shared/data/stxm', () => {
  it.each([
    [
      'sls_pollux_stack_C-K.hdf5',
      'SLS PolLux (Pixelator)',
      [4, 50, 50],
      [280, 320],
      { x: 0.5, y: 0.5 }
    ],
    ['hermes_small_OK.hdf5', 'SOLEIL HERMES', [2, 2, 2], [100.1, 101.1], { x: 1, y: 11 }],
    ['max_iv.hdr', 'aXis2000 SDF', [2, 10, 10], [698, 700], { x: 0.05, y: 0.05 }]
  ])('%s', async (name, dialect, shape, range, px) => {
    const i = await infoJson(join(SHARED_DATA, 'stxm', name));
    expect(i.dialect).toBe(dialect);
    expect(i.shape).toEqual(shape);
    expect(i.energyRange).toEqual(range);
    expect(i.pixelSize).toEqual({ ...px, units: 'µm' });
    expect(i.scanKind).toBe('image stack');
  });

  it('the human summary of the aXis2000 file names the trusted energy', async () => {
    const r = await info(join(SHARED_DATA, 'stxm', 'max_iv.hdr'));
    expect(r.out).toContain('2 energies × 10 y × 10 x');
    expect(r.out).toContain('0.05 µm (x) × 0.05 µm (y)');
    expect(r.out).toMatch(/note .*718 eV.*StackAxis used/);
  });
});

describe('each dialect the tests write', () => {
  it('Pixelator NXstxm, non-square', async () => {
    const p = join(dir, 'pixelator.h5');
    writeSynthetic(p, { shape: [3, 4, 5], y: ramp(4, 0, 0.1), x: ramp(5, 0, 0.02) });
    const i = await infoJson(p);
    expect(i.shape).toEqual([3, 4, 5]);
    expect(i.pixelSize).toEqual({ x: 0.02, y: 0.1, units: 'µm' });
  });

  it('older Diamond I08', async () => {
    const p = join(dir, 'i08.nxs');
    writeI08Old(p, [3, 4, 6], ['x', 'y', 'e']);
    const i = await infoJson(p);
    expect(i.dialect).toMatch(/Diamond I08/);
    expect(i.shape).toEqual([3, 4, 6]);
    expect(i.pixelSize).toEqual({ x: 0.03, y: 0.05, units: 'µm' });
    expect(i.energies).toEqual([700, 700.5, 701]);
  });

  it('ALS multi-region .stxm, with --entry', async () => {
    const p = join(dir, 'als.stxm');
    writeAlsMulti(p, [
      { dims: [4, 4], scanType: 'sample image' },
      { dims: [2, 3, 5], scanType: 'sample image stack' }
    ]);
    const i = await infoJson(p);
    expect(i.entry).toBe('/entry1');
    expect(i.regions?.map(r => [r.name, r.kind])).toEqual([
      ['entry0', 'image'],
      ['entry1', 'image stack']
    ]);
    const image = await infoJson(p, '--entry', 'entry0');
    expect(image.scanKind).toBe('image');
    expect(image.shape).toEqual([1, 4, 4]);
    const text = await info(p);
    expect(text.out).toMatch(/regions +entry0 \(image \[4,4\]\), entry1 \(image stack \[2,3,5\]\)/);
  });

  it('an aborted scan: NaN frames are reported with --frames', async () => {
    const p = join(dir, 'aborted.h5');
    const { data } = cubeInOrder([4, 2, 3]);
    data.fill(Number.NaN, 2 * 6);
    writeSynthetic(p, { shape: [4, 2, 3], data, energies: [520, 521, 522, 523] });
    const i = await infoJson(p, '--frames');
    expect(i.nanFrames).toEqual([2, 3]);
    expect(i.zeroFrames).toEqual([]);
    expect((await info(p, '--frames')).out).toContain('NaN frames   2 (522 eV), 3 (523 eV)');
    // without --frames the data are not read, and the summary says so
    const meta = await infoJson(p);
    expect(meta.nanFrames).toBeNull();
    expect((await info(p)).out).toContain('frames      not read (--frames');
  });

  it('aXis2000 multi-region, two channels, with --entry and --channel', async () => {
    writeAxis2000(dir, 'multi', {
      regions: 2,
      channels: ['PMT', 'Diode'],
      energies: [700, 705],
      nx: 5,
      ny: 3
    });
    const i = await infoJson(join(dir, 'multi.hdr'), '--entry', 'region 1', '--channel', 'Diode');
    expect(i.shape).toEqual([2, 3, 5]);
    expect(i.channel).toBe('Diode');
    expect(i.regions?.map(r => r.name)).toEqual(['region 0', 'region 1']);
  });

  it('TIFF with an energy list (beside it or given)', async () => {
    writeFileSync(
      join(dir, 'stack.tif'),
      tiffBytes([ramp(12), ramp(12, 5)], 4, 3, 'u16', { perCm: 20000 })
    );
    writeFileSync(join(dir, 'stack.txt'), '530\n540\n');
    const i = await infoJson(join(dir, 'stack.tif'));
    expect(i.shape).toEqual([2, 3, 4]);
    expect(i.pixelSize).toEqual({ x: 0.5, y: 0.5, units: 'µm' });
    writeFileSync(join(dir, 'bare.tif'), tiffBytes([ramp(12), ramp(12, 5)], 4, 3));
    writeFileSync(join(dir, 'energies.list'), '700\n710\n');
    const j = await infoJson(join(dir, 'bare.tif'), '--energies', join(dir, 'energies.list'));
    expect(j.energies).toEqual([700, 710]);
    expect(j.pixelSize).toEqual({ x: null, y: null, units: 'µm' });
    expect(
      (await info(join(dir, 'bare.tif'), '--energies', join(dir, 'energies.list'))).out
    ).toContain('pixel size  unknown (positions are pixel indices)');
  });

  it.each([
    [
      'line spectrum',
      'sample line spectrum',
      ['energy', 'line_position'],
      'line spectrum',
      '4 energies × 3 positions along the line'
    ],
    [
      'point spectra',
      'sample point spectrum',
      ['energy', 'point'],
      'point spectrum',
      '4 energies × 3 point(s)'
    ],
    [
      'focus',
      'sample focus',
      ['zoneplate_z', 'line_position'],
      'focus',
      '4 zone-plate positions × 3 positions along the line'
    ]
  ])('%s: recognised and named', async (label, scanType, axes, kind, shapeText) => {
    const p = join(dir, `${label.replace(' ', '-')}.h5`);
    writeTreeFile(p, {
      children: {
        entry1: {
          attrs: { NX_class: 'NXentry' },
          children: {
            counter0: {
              attrs: { NX_class: 'NXdata', signal: 'data', axes },
              children: {
                data: { data: ramp(12, 100), shape: [4, 3] },
                energy: { data: kind === 'focus' ? [530] : [520, 521, 522, 523] },
                zoneplate_z: { data: [1, 2, 3, 4] },
                sample_x: { data: [0, 0.1, 0.2] },
                sample_y: { data: [0, 0, 0] },
                stxm_scan_type: { data: [scanType] }
              }
            }
          }
        }
      }
    });
    const i = await infoJson(p);
    expect(i.scanKind).toBe(kind);
    expect((await info(p)).out).toContain(shapeText);
  });
});

describe('an HDF5 file: metadata only, the cube is not read', () => {
  /** Bytes h5wasm/node reads from disk while `work` runs (it reads through fs.readSync). */
  async function bytesRead(work: () => Promise<unknown>): Promise<number> {
    const original = fs.readSync;
    let total = 0;
    fs.readSync = ((...args: Parameters<typeof original>) => {
      const n = original(...args);
      total += n;
      return n;
    }) as typeof original;
    try {
      await work();
    } finally {
      fs.readSync = original;
    }
    return total;
  }

  it('reads a few kB of a 6 MB stack; --frames reads it all', async () => {
    const p = join(dir, 'meta-only.h5');
    writeSynthetic(p, { shape: [20, 200, 200] }); // float64: 6.4 MB of data
    const size = statSync(p).size;
    let i: FileInfo | undefined;
    const metaBytes = await bytesRead(async () => (i = await infoJson(p)));
    expect(metaBytes).toBeGreaterThan(0);
    expect(metaBytes).toBeLessThan(size / 50);
    expect(i?.shape).toEqual([20, 200, 200]);
    expect(i?.dtype).toBe('float64');
    expect(i?.nanFrames).toBeNull();
    const allBytes = await bytesRead(() => infoJson(p, '--frames'));
    expect(allBytes).toBeGreaterThan(size * 0.9);
  });

  it('describes a stack whose data cannot be read (every frame NaN: refused by --frames)', async () => {
    const p = join(dir, 'all-nan.h5');
    writeSynthetic(p, { shape: [3, 2, 2], data: new Float64Array(12).fill(Number.NaN) });
    const i = await infoJson(p);
    expect(i.shape).toEqual([3, 2, 2]);
    const r = await info(p, '--frames');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/every frame .* is NaN/);
  });
});

describe('bad inputs: exit 2 with one line', () => {
  const bad: [string, (p: string) => void, RegExp][] = [
    ['html.h5', p => writeFileSync(p, '<script>alert(1)</script>'), /not an HDF5 file/],
    ['wrong.h5', p => writeSynthetic(p, { energies: [1, 2] }), /2 energies for 3 frames/],
    ['mono.h5', p => writeSynthetic(p, { energies: [3, 1, 2] }), /not monotonic/],
    [
      'hole.hdr',
      p => {
        writeAxis2000(dir, 'hole', { energies: [1, 2, 3], skip: ['hole_a001.xim'] });
        void p;
      },
      /missing data file hole_a001\.xim/
    ],
    [
      'short.hdr',
      p => {
        writeAxis2000(dir, 'short', { energies: [1, 2], ny: 4 });
        const x = join(dir, 'short_a000.xim');
        writeFileSync(x, readFileSync(x, 'utf8').split('\r\n').slice(2).join('\r\n'));
        void p;
      },
      /short_a000\.xim: 2 rows, the header says 4/
    ],
    ['lonely.tif', p => writeFileSync(p, tiffBytes([ramp(4)], 2, 2)), /no energy list/]
  ];
  it.each(bad)('%s', async (name, make, reason) => {
    const p = join(dir, name);
    make(p);
    const r = await info(p);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(reason);
  });

  it('an unknown --entry', async () => {
    const p = join(dir, 'als2.stxm');
    writeAlsMulti(p, [{ dims: [2, 2, 2], scanType: 'sample image stack' }]);
    const r = await info(p, '--entry', 'entry7');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no entry "entry7"/);
  });

  it('the real binary: exit 2 and one line on stderr', async () => {
    const p = join(dir, 'bin-bad.h5');
    writeSynthetic(p, { energies: [5, 4, 6] });
    const r = await runCli('info', p);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `${p}: energy axis "energy" of /entry1/counter0/data is not monotonic`
    );
  });
});
