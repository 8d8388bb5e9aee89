import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  HAVE_SHARED,
  SHARED_DATA,
  cubeValue,
  nodeRuntime,
  tempDir
} from '../../test-setup/fixtures.js';
import { writeAxis2000 } from './axis2000.fixtures.js';
import { pixelSize } from '../model/stack.js';
import { parseHdr } from './axis2000-hdr.js';
import { axis2000DataFiles } from './axis2000.js';
import type { H5Runtime } from './h5.js';
import { companionFiles, readScan, readStack } from './read.js';

let rt: H5Runtime;
const dir = tempDir('stxm-axis-');
beforeAll(async () => {
  rt = await nodeRuntime();
});

describe('the .hdr parser', () => {
  it('nested blocks, counted lists, strings, numbers, booleans', () => {
    const h = parseHdr(
      'A = { B = "x; y"; C = (2, 1.5, -2e3); D = true;\n E = (1,\n{ F = 3;}); };\n G= 7;'
    );
    expect(h).toEqual({ A: { B: 'x; y', C: [2, 1.5, -2000], D: true, E: [1, { F: 3 }] }, G: 7 });
  });
  it('skips a stray "}" in a list (SLS HDF5→SDF converter)', () => {
    expect(parseHdr('P = (2, 1, 2});')).toEqual({ P: [2, 1, 2] });
  });
  it('says where a block is broken', () => {
    expect(() => parseHdr('A = { B = 1;\n C 2; }')).toThrow(/line 2: expected "=" after "C"/);
    expect(() => parseHdr('A = { B = 1;')).toThrow(/not closed/);
  });
});

describe.skipIf(!HAVE_SHARED)('the real MAX IV aXis2000 stack', () => {
  const hdr = join(SHARED_DATA, 'stxm', 'max_iv.hdr');

  it('10 × 10 px, 50 nm, 2 energies from StackAxis (not the per-image 718 eV)', () => {
    const s = readStack(rt, hdr, 'max_iv.hdr');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([2, 10, 10]);
    expect(Array.from(s.energies)).toEqual([698, 700]);
    expect(pixelSize(s).x).toBeCloseTo(0.05, 9);
    expect(pixelSize(s).y).toBeCloseTo(0.05, 9);
    expect(s.metadata.dwellMs).toEqual([1, 1]);
    expect(s.source.channel).toBe('PMT');
    expect(s.metadata.notes?.join(' ')).toMatch(/718 eV.*StackAxis says 700 eV \(StackAxis used\)/);
    // row 0 of max_iv_a000.xim starts 1251, 1281; row 1 starts 1262
    expect(Array.from(s.data.subarray(0, 2))).toEqual([1251, 1281]);
    expect(s.data[10]).toBe(1262);
    // the ring current of each image comes from its header line
    expect(s.control?.[0]).toBeCloseTo(248.32, 3);
  });

  it('names its data files for the worker', () => {
    const text = readFileSync(hdr, 'utf8');
    expect(companionFiles('max_iv.hdr', text)).toEqual(['max_iv_a000.xim', 'max_iv_a001.xim']);
  });
});

describe('synthetic aXis2000 scans', () => {
  it('a non-square image stack: x and y never swap', () => {
    writeAxis2000(dir, 'stack', { nx: 7, ny: 3, energies: [520, 521, 523, 530] });
    const s = readStack(rt, join(dir, 'stack.hdr'), 'stack.hdr');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([4, 3, 7]);
    for (let e = 0; e < 4; e++) {
      for (let y = 0; y < 3; y++) {
        for (let x = 0; x < 7; x++) {
          expect(s.data[(e * 3 + y) * 7 + x]).toBeCloseTo(cubeValue(e, y, x), 3);
        }
      }
    }
    expect(s.source.format).toBe('aXis2000 SDF (.hdr + .xim)');
  });

  it('a single image', () => {
    writeAxis2000(dir, 'image', {
      nx: 5,
      ny: 4,
      energies: [530],
      type: 'Image Scan',
      flags: 'Image'
    });
    const s = readStack(rt, join(dir, 'image.hdr'), 'image.hdr');
    expect(s.metadata.scanKind).toBe('image');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([1, 4, 5]);
    expect(s.data[4 * 5 - 1]).toBeCloseTo(cubeValue(0, 3, 4), 3);
  });

  it('multi-region stack with two channels: region and channel chosen', () => {
    const files = writeAxis2000(dir, 'multi', {
      nx: 4,
      ny: 3,
      energies: [700, 710],
      regions: 2,
      channels: ['PMT', 'Diode'],
      flags: 'Multi-Region Image Stack'
    });
    expect(files).toContain('multi_b0011.xim');
    const first = readStack(rt, join(dir, 'multi.hdr'), 'multi.hdr');
    expect(first.source.regions).toEqual(['region 0', 'region 1']);
    expect(first.source.channels).toEqual(['PMT', 'Diode']);
    expect(first.data[0]).toBeCloseTo(cubeValue(0, 0, 0), 3);
    const other = readStack(rt, join(dir, 'multi.hdr'), 'multi.hdr', {
      entry: 'region 1',
      channel: 'Diode'
    });
    expect(other.source.entry).toBe('region 1');
    expect(other.data[0]).toBeCloseTo(cubeValue(0, 0, 0) + 10000 + 100000, 3);
    expect(other.x[0]).toBeCloseTo(first.x[0] + 1, 6);
    expect(() => readStack(rt, join(dir, 'multi.hdr'), 'multi.hdr', { channel: 'APD' })).toThrow(
      /multi\.hdr: no channel "APD" \(the file has PMT, Diode\)/
    );
  });

  it('a line scan: energy along PAxis, positions along QAxis', () => {
    writeAxis2000(dir, 'line', { line: true, ny: 5, energies: [520, 525, 530] });
    const s = readScan(rt, join(dir, 'line.hdr'), 'line.hdr');
    expect(s.metadata.scanKind).toBe('line spectrum');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([3, 1, 5]);
    expect(s.data[2 * 5 + 4]).toBeCloseTo(cubeValue(2, 0, 4), 3);
    expect(s.x[4]).toBeCloseTo(0.4, 9);
  });

  it('point spectra in .xsp files, one per region', () => {
    writeAxis2000(dir, 'pts', { points: true, regions: 3, energies: [700, 701, 702, 703] });
    const s = readScan(rt, join(dir, 'pts.hdr'), 'pts.hdr');
    expect(s.metadata.scanKind).toBe('point spectrum');
    expect([s.energies.length, s.y.length, s.x.length]).toEqual([4, 1, 3]);
    expect(s.data[1 * 3 + 2]).toBe(1000 - 10 - 2);
  });

  it('a focus scan is recognised', () => {
    writeAxis2000(dir, 'focus', {
      type: 'Focus Scan',
      flags: 'Image',
      energies: [530],
      nx: 4,
      ny: 3
    });
    expect(readScan(rt, join(dir, 'focus.hdr'), 'focus.hdr').metadata.scanKind).toBe('focus');
  });

  it('an aborted stack: missing trailing .xim files become NaN frames', () => {
    writeAxis2000(dir, 'aborted', {
      energies: [1, 2, 3, 4],
      skip: ['aborted_a002.xim', 'aborted_a003.xim']
    });
    const s = readStack(rt, join(dir, 'aborted.hdr'), 'aborted.hdr');
    expect(s.metadata.nanFrames).toEqual([2, 3]);
    expect(s.metadata.notes?.join(' ')).toMatch(/aborted scan/);
  });

  it('lists data files from the header text', () => {
    writeAxis2000(dir, 'list', { energies: [1, 2] });
    expect(axis2000DataFiles(readFileSync(join(dir, 'list.hdr'), 'utf8'), 'list.hdr')).toEqual([
      'list_a000.xim',
      'list_a001.xim'
    ]);
  });
});

describe('broken aXis2000 scans give one line naming the file', () => {
  const cases: [string, () => string, RegExp][] = [
    [
      'a missing .xim in the middle',
      () => {
        writeAxis2000(dir, 'hole', { energies: [1, 2, 3], skip: ['hole_a001.xim'] });
        return 'hole.hdr';
      },
      /^hole\.hdr: missing data file hole_a001\.xim \(named by hole\.hdr\)$/
    ],
    [
      'a missing .xim of a single image',
      () => {
        writeAxis2000(dir, 'lonely', { energies: [1], skip: ['lonely_a.xim'] });
        return 'lonely.hdr';
      },
      /^lonely\.hdr: missing data file lonely_a\.xim/
    ],
    [
      'a .xim with a row too few',
      () => {
        writeAxis2000(dir, 'short', { energies: [1, 2], ny: 4 });
        const p = join(dir, 'short_a001.xim');
        writeFileSync(p, readFileSync(p, 'utf8').split('\r\n').slice(1).join('\r\n'));
        return 'short.hdr';
      },
      /^short_a001\.xim: 3 rows, the header says 4 \(QAxis points\)$/
    ],
    [
      'a .xim with text in it',
      () => {
        writeAxis2000(dir, 'text', { energies: [1, 2] });
        writeFileSync(join(dir, 'text_a000.xim'), '1\t2\t3\t4\t5\t<b>\n'.repeat(4));
        return 'text.hdr';
      },
      /^text_a000\.xim: row 1, value 6: "<b>" is not a number$/
    ],
    [
      'a header that is not one',
      () => {
        writeFileSync(join(dir, 'nothdr.hdr'), 'ENVI\nsamples = 10\n');
        return 'nothdr.hdr';
      },
      /^nothdr\.hdr: not an aXis2000 header \(no "ScanDefinition"\)$/
    ],
    [
      'a header cut short',
      () => {
        writeAxis2000(dir, 'cut', { energies: [1, 2] });
        const p = join(dir, 'cut.hdr');
        writeFileSync(p, readFileSync(p, 'utf8').slice(0, 200));
        return 'cut.hdr';
      },
      /^cut\.hdr: aXis2000 header is malformed: .*not closed/
    ],
    [
      'a header whose point count lies',
      () => {
        writeAxis2000(dir, 'count', { energies: [1, 2] });
        const p = join(dir, 'count.hdr');
        writeFileSync(p, readFileSync(p, 'utf8').replace('Points = (6,', 'Points = (7,'));
        return 'count.hdr';
      },
      /^count\.hdr: region 0 PAxis says 7 points but lists 6 numbers$/
    ],
    [
      'energies not monotonic',
      () => {
        writeAxis2000(dir, 'mono', { energies: [700, 702, 701] });
        return 'mono.hdr';
      },
      /^mono\.hdr: StackAxis energies is not monotonic: 701 eV follows 702 eV at index 2$/
    ],
    [
      'a .xim opened instead of its header',
      () => {
        writeAxis2000(dir, 'xim', { energies: [1, 2] });
        return 'xim_a000.xim';
      },
      /^xim_a000\.xim: a \.xim file holds one part of an aXis2000 scan: open the \.hdr file beside it$/
    ]
  ];
  it.each(cases)('%s', (_label, make, reason) => {
    const name = make();
    let caught: unknown;
    try {
      readStack(rt, join(dir, name), name);
    } catch (err) {
      caught = err;
    }
    expect((caught as Error)?.name).toBe('StackReadError');
    expect((caught as Error).message).toMatch(reason);
  });
});
