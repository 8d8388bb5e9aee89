/** The batch manifest, result names and the summary table, without running the engine. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { tempDir } from '../test-setup/fixtures.js';
import { parseCsvRecords, readManifest } from './batch-manifest.js';
import { baseName, uniqueNames } from './batch-plan.js';
import {
  TAIL_COLUMNS,
  csvCell,
  tableColumns,
  tableCsv,
  tableRows,
  type BatchRow
} from './batch-table.js';

const dir = tempDir('stxm-manifest-');

function manifest(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('manifest', () => {
  it('reads file, refs and name, carries the other columns (numbers as numbers), paths relative to it', () => {
    const p = manifest(
      'm1.csv',
      '# beamtime 2026-11\nfile,refs,state_of_charge,sample\n' +
        'a/soc10.h5,refs.csv,0.1,"NVPF, cycled"\n\n/abs/soc40.h5,,0.4,x\n'
    );
    const m = readManifest(p);
    expect(m.columns).toEqual(['state_of_charge', 'sample']);
    expect(m.rows.map(r => [r.file, r.refs, r.line])).toEqual([
      [join(dir, 'a/soc10.h5'), join(dir, 'refs.csv'), 3],
      ['/abs/soc40.h5', null, 5]
    ]);
    expect(m.rows.map(r => r.columns)).toEqual([
      { state_of_charge: 0.1, sample: 'NVPF, cycled' },
      { state_of_charge: 0.4, sample: 'x' }
    ]);
  });

  it('takes tab-separated manifests and quoted fields with quotes and line breaks', () => {
    expect(parseCsvRecords('a\tb\n"x ""y"""\t"1\n2"\n', '\t')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x "y"', '1\n2'], line: 2 }
    ]);
    const p = manifest('m2.tsv', 'file\tname\ts.h5\tfirst\n');
    expect(() => readManifest(p)).toThrow(/m2\.tsv: the manifest lists no stack/);
  });

  it('names the file and the line of what it cannot use', () => {
    expect(() => readManifest(manifest('m3.csv', 'path,refs\nx.h5,r.csv\n'))).toThrow(
      /m3\.csv: the manifest's header has no "file" column \(it has: path, refs\)/
    );
    expect(() => readManifest(manifest('m4.csv', 'file,soc\nx.h5,1,2\n'))).toThrow(
      /m4\.csv: line 2 has 3 fields, the header 2/
    );
    expect(() => readManifest(manifest('m5.csv', 'file,soc\n,0.1\n'))).toThrow(
      /m5\.csv: line 2 names no file/
    );
    expect(() => readManifest(manifest('m6.csv', 'file\n"x.h5\n'))).toThrow(
      /m6\.csv: a quoted field opened on line 2 is not closed/
    );
    expect(() => readManifest(join(dir, 'none.csv'))).toThrow(/none\.csv: cannot read/);
  });
});

describe('result names', () => {
  it('are the stacks’ names, safe as file names, unique', () => {
    expect(baseName('/data/run 7/soc0.1.h5')).toBe('soc0.1');
    expect(baseName('x/a?b.hdf5')).toBe('a_b');
    expect(uniqueNames(['soc10', 'SOC10', 'soc10', 'b'])).toEqual([
      'soc10',
      'SOC10-2',
      'soc10-3',
      'b'
    ]);
  });
});

describe('summary table', () => {
  it('file, name, the manifest’s columns, status, error, fractions in order of appearance, then the tail', () => {
    const rows: BatchRow[] = [
      {
        file: 'a.h5',
        name: 'a',
        status: 'mapped',
        error: null,
        fraction_Na3: 0.5,
        fraction_Na1: 0.5
      },
      { file: 'b.h5', name: 'b', status: 'failed', error: 'b.h5: not an HDF5 file' },
      { file: 'c.h5', name: 'c', status: 'mapped', error: null, fraction_Na1: 1, fraction_Na2: 0 }
    ];
    expect(tableColumns(rows, ['soc'])).toEqual([
      'file',
      'name',
      'soc',
      'status',
      'error',
      'fraction_Na3',
      'fraction_Na1',
      'fraction_Na2',
      ...TAIL_COLUMNS
    ]);
    const t = tableRows(
      rows,
      [{ columns: { soc: 0.1 } }, { columns: { soc: 0.5 } }, { columns: {} }],
      ['soc']
    );
    const csv = tableCsv(t.columns, t.rows).split('\n');
    expect(
      csv[0].startsWith(
        'file,name,soc,status,error,fraction_Na3,fraction_Na1,fraction_Na2,particle'
      )
    ).toBe(true);
    expect(csv[1].startsWith('a.h5,a,0.1,mapped,,0.5,0.5,,')).toBe(true);
    expect(csv[2].startsWith('b.h5,b,0.5,failed,b.h5: not an HDF5 file,,,,')).toBe(true);
    expect(csv[3].startsWith('c.h5,c,,mapped,,,1,0,')).toBe(true);
  });

  it('quotes text and neutralises spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('plain')).toBe('plain');
  });
});
