import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { nodeRuntime, ramp, tempDir } from '../../test-setup/fixtures.js';
import { writeTreeFile } from '../../test-setup/h5-tree.js';
import { writeAxis2000 } from './axis2000.fixtures.js';
import { ReferenceSetError } from '../model/references.js';
import type { H5Runtime } from './h5.js';
import { readReferences, referencesFromTexts } from './references-read.js';
import { parseSpectrumText } from './references-text.js';

let rt: H5Runtime;
const dir = tempDir('stxm-refs-');
beforeAll(async () => {
  rt = await nodeRuntime();
});

const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('two-column text and .xas spectra', () => {
  it('name from a comment, blanks or tabs, descending rows sorted', () => {
    const [s] = parseSpectrumText(
      '# name: Na3 (pristine)\n# measured 2024\n520\t0.5\n515 0.2\n510, 0.1\n',
      'na3.xas'
    );
    expect(s.name).toBe('Na3 (pristine)');
    expect(Array.from(s.energies)).toEqual([510, 515, 520]);
    expect(Array.from(s.values)).toEqual([0.1, 0.2, 0.5]);
  });

  it('name from a header row, else from the file name', () => {
    expect(parseSpectrumText('energy Na1\n1 2\n2 3\n', 'x.txt')[0].name).toBe('Na1');
    expect(parseSpectrumText('energy absorption\n1 2\n2 3\n', 'Na2.txt')[0].name).toBe('Na2');
    expect(parseSpectrumText('1 2\n2 3\n', 'dir/Na1.5.dat')[0].name).toBe('Na1.5');
  });

  it('Athena-style columns named by the last comment line', () => {
    const spectra = parseSpectrumText(
      '# Athena\n#------\n#  energy  norm  nbkg\n500 0.1 0.2\n501 0.3 0.4\n',
      'a.nor'
    );
    expect(spectra.map(s => s.name)).toEqual(['norm', 'nbkg']);
  });

  it('files combine into one set; CSV files add their columns', () => {
    const set = readReferences(rt, [
      write('Na3.xas', '# name = Na3\n500 1\n510 2\n520 3\n'),
      write('Na1.txt', '500 3\n510 2\n520 1\n'),
      write('more.csv', 'energy_eV,Na2,Na0\n500,1,2\n520,2,1\n')
    ]);
    expect(set.spectra.map(s => s.name)).toEqual(['Na3', 'Na1', 'Na2', 'Na0']);
    expect(set.source).toMatch(/Na3\.xas, .*Na1\.txt, .*more\.csv/);
  });

  it('in memory (the page and the worker)', () => {
    const set = referencesFromTexts([
      { name: 'a.txt', text: '1 2\n2 3\n' },
      { name: 'b.txt', text: '1 3\n2 2\n' }
    ]);
    expect(set.spectra.map(s => s.name)).toEqual(['a', 'b']);
  });
});

describe('spectra scans as references', () => {
  it('an NXstxm line spectrum: OD against the bright end of the line, mean of the sample part', () => {
    const ne = 5;
    const n = 12;
    const I0 = 1000;
    const mu = [0.2, 0.8, 1.2, 0.6, 0.4];
    const data: number[] = [];
    for (let e = 0; e < ne; e++) {
      for (let i = 0; i < n; i++) {
        data.push(i >= 4 && i < 9 ? I0 * Math.exp(-mu[e]) : I0);
      }
    }
    const path = join(dir, 'line.h5');
    writeTreeFile(path, {
      children: {
        entry1: {
          attrs: { NX_class: 'NXentry' },
          children: {
            counter0: {
              attrs: { NX_class: 'NXdata', signal: 'data', axes: ['energy', 'line_position'] },
              children: {
                data: { data, shape: [ne, n] },
                energy: { data: ramp(ne, 520, 2) },
                sample_x: { data: ramp(n, 0, 0.1) },
                sample_y: { data: ramp(n, 0, 0) },
                stxm_scan_type: { data: ['sample line spectrum'] }
              }
            }
          }
        }
      }
    });
    const other = write('other.txt', '500 1\n600 2\n');
    const set = readReferences(rt, [path, other]);
    expect(set.spectra[0].name).toBe('line');
    expect(Array.from(set.spectra[0].values).map(v => Number(v.toFixed(6)))).toEqual(mu);
  });

  it('aXis2000 point spectra need an I0 point; the others become references', () => {
    writeAxis2000(dir, 'pts', { points: true, regions: 3, energies: [700, 701, 702, 703] });
    expect(() => readReferences(rt, [join(dir, 'pts.hdr')])).toThrow(
      /name the point measured on empty background/
    );
    const set = readReferences(rt, [join(dir, 'pts.hdr')], { i0Point: 0 });
    expect(set.spectra.map(s => s.name)).toEqual(['pts point 1', 'pts point 2']);
    // point k holds 1000 − 10 e − k; I0 point 0 holds 1000 − 10 e
    expect(set.spectra[1].values[0]).toBeCloseTo(-Math.log(998 / 1000), 9);
  });

  it('an image stack is not a reference spectrum', () => {
    writeAxis2000(dir, 'img', { energies: [1, 2] });
    expect(() => readReferences(rt, [join(dir, 'img.hdr'), join(dir, 'img.hdr')])).toThrow(
      /img\.hdr: holds an image stack, not line or point spectra/
    );
  });
});

describe('bad reference files give one line naming the file', () => {
  it.each([
    ['empty.txt', '', /empty\.txt: file is empty/],
    [
      'words.txt',
      'hello world\nfoo bar\n',
      /words\.txt: line 2: "foo bar" is not a row of numbers/
    ],
    ['one.txt', '1\n2\n', /one\.txt: line 1 has one number/],
    ['ragged.txt', '1 2\n2 3 4\n', /ragged\.txt: line 2 has 3 numbers, line 1 has 2/],
    ['dup.txt', '1 2\n1 3\n', /dup\.txt: the energy 1 eV appears twice/],
    ['wide.txt', '1 2 3\n2 3 4\n', /wide\.txt: 3 columns and no header naming them/],
    ['bad.csv', 'energy_eV,A,B\n500,1,x\n', /bad\.csv: line 2, column "B": "x" is not a number/],
    ['nohead.csv', 'wavelength,A\n500,1\n', /nohead\.csv: the first column must be the energy/],
    ['html.csv', 'energy,<img src=x onerror=alert(1)>,B\n1,2,3\n2,3,4\n', null]
  ])('%s', (name, text, reason) => {
    const other = write('ok.txt', '1 5\n2 6\n');
    if (reason === null) {
      // markup in a phase name is kept as plain text
      const set = readReferences(rt, [write(name, text), other]);
      expect(set.spectra[0].name).toBe('<img src=x onerror=alert(1)>');
      return;
    }
    let caught: unknown;
    try {
      readReferences(rt, [write(name, text), other]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ReferenceSetError);
    expect((caught as Error).message).toMatch(reason);
    expect((caught as Error).message).not.toMatch(/\n/);
  });

  it('two references with one name', () => {
    expect(() =>
      readReferences(rt, [
        write('a.txt', '# name: X\n1 2\n2 3\n'),
        write('b.txt', '# name: X\n1 2\n2 3\n')
      ])
    ).toThrow(/two references are named "X" \(.*a\.txt and .*b\.txt\)/);
  });

  it('a single spectrum is not a set', () => {
    expect(() => readReferences(rt, [write('solo.txt', '1 2\n2 3\n')])).toThrow(
      /1 reference spectrum\(s\); a phase map needs at least 2/
    );
  });
});
