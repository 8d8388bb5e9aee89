import { describe, expect, it } from 'vitest';

import { parseReferenceCsv, runPipeline } from '../core/index.js';
import { simulateDemo } from '../core/simulate/demo.js';
import { comparisonCsv, csvCell, fractionsCsv, spectraCsv } from './csv.js';
import { demoReferenceCsv, demoReferenceSet } from './references.js';

describe('CSV exports', () => {
  it('quotes and neutralises untrusted text cells', () => {
    expect(csvCell('Na3')).toBe('Na3');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('@cmd')).toBe("'@cmd");
  });

  it('writes fractions of a real Pearson run, and a comparison of two', async () => {
    const { stack } = simulateDemo({ seed: 3 });
    const result = await runPipeline(stack, demoReferenceSet(), { method: 'pcc' });
    const text = fractionsCsv('demo.h5', result);
    const rows = text.split('\n').filter(l => l && !l.startsWith('#'));
    expect(rows[0]).toBe('phase,pixels,fraction');
    expect(rows.slice(1).map(r => r.split(',')[0])).toEqual(['Na3', 'Na1']);
    const sum = rows.slice(1).reduce((s, r) => s + Number(r.split(',')[2]), 0);
    expect(sum).toBeCloseTo(1, 6);

    const cmp = comparisonCsv([
      { file: 'a.h5', stateOfCharge: 0.2, result },
      { file: 'b,c.h5', stateOfCharge: null, result }
    ]);
    const lines = cmp.trim().split('\n');
    expect(lines[0]).toBe('file,state_of_charge,Na3,Na1');
    expect(lines[1].startsWith('a.h5,0.2,')).toBe(true);
    expect(lines[2].startsWith('"b,c.h5",,')).toBe(true);
  });

  it('writes spectra on one grid', () => {
    const text = spectraCsv(
      [500, 501],
      [
        { name: 'pixel (1, 2)', values: [0.1, 0.2] },
        { name: 'ROI 1', values: [Number.NaN, 3] }
      ]
    );
    expect(text).toBe('energy_eV,"pixel (1, 2)",ROI 1\n500,0.1,\n501,0.2,3\n');
  });
});

describe('demo references', () => {
  it('the CSV the demo command writes parses back to the same spectra', () => {
    const set = parseReferenceCsv(demoReferenceCsv(), 'stxm-demo_references.csv');
    const model = demoReferenceSet();
    expect(set.spectra.map(s => s.name)).toEqual(['Na3', 'Na1']);
    expect(set.spectra[0].energies.length).toBe(model.spectra[0].energies.length);
    for (let i = 0; i < 500; i += 50) {
      expect(set.spectra[1].values[i]).toBeCloseTo(model.spectra[1].values[i], 6);
    }
  });
});
