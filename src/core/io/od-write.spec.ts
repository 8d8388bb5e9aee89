import { join } from 'node:path';

import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';

import { nodeRuntime, tempDir } from '../../test-setup/fixtures.js';
import { DEFAULT_PREPROCESS } from '../model/result.js';
import { prepareStack } from '../preprocess/prepare.js';
import { simulateDemo } from '../simulate/demo.js';
import type { H5Runtime } from './h5.js';
import { formatSpectraCsv, meanSpectrum, writeOdStack } from './od-write.js';
import { readStack } from './read.js';
import { parseReferenceText } from './references-read.js';

let rt: H5Runtime;
const dir = tempDir('stxm-od-');
beforeAll(async () => {
  rt = await nodeRuntime();
});

describe('the OD stack as NeXus', () => {
  it('reads back as optical density with its pre-processing', () => {
    const { stack } = simulateDemo({ seed: 2, ny: 32, nx: 40 });
    const prepared = prepareStack(stack, { ...DEFAULT_PREPROCESS, align: true });
    const path = join(dir, 'od.h5');
    writeOdStack(rt, path, prepared);

    const back = readStack(rt, path, 'od.h5');
    expect(back.metadata.quantity).toBe('optical density');
    expect([back.energies.length, back.y.length, back.x.length]).toEqual([
      prepared.stack.energies.length,
      prepared.stack.y.length,
      prepared.stack.x.length
    ]);
    expect(Array.from(back.data)).toEqual(Array.from(prepared.stack.data));
    expect(Array.from(back.x)).toEqual(Array.from(prepared.stack.x));

    const f = new h5wasm.File(path, 'r');
    try {
      const proc = f.get('entry1/preprocessing') as unknown as {
        attrs: Record<string, { value: unknown }>;
        keys(): string[];
      };
      expect(proc.attrs.NX_class.value).toBe('NXprocess');
      expect(proc.keys().sort()).toEqual([
        'energy_shift',
        'i0',
        'mask',
        'program',
        'provenance',
        'shift_x',
        'shift_y'
      ]);
      const mask = f.get('entry1/preprocessing/mask') as unknown as {
        value: Uint8Array;
        shape: number[];
      };
      expect(mask.shape).toEqual([back.y.length, back.x.length]);
      expect(Array.from(mask.value)).toEqual(Array.from(prepared.mask));
      const prov = JSON.parse(
        (f.get('entry1/preprocessing/provenance') as unknown as { value: string[] }).value[0]
      ) as { step: string }[];
      expect(prov.map(s => s.step)).toContain('alignment');
    } finally {
      f.close();
    }

    // an OD file goes through pre-processing without a second I0
    const again = prepareStack(back);
    expect(again.provenance.map(s => s.step)).toEqual([
      'input',
      'alignment',
      'particle mask',
      'energy shift'
    ]);
  });
});

describe('spectra as CSV', () => {
  it('particle and background mean spectra round-trip through the reference CSV reader', () => {
    const { stack } = simulateDemo({ seed: 2, ny: 24, nx: 32 });
    const p = prepareStack(stack);
    const particle = meanSpectrum(p.stack, p.mask);
    const background = meanSpectrum(
      p.stack,
      p.mask.map(v => 1 - v)
    );
    const csv = formatSpectraCsv(p.stack.energies, [
      { name: 'particle', values: particle },
      { name: 'back,ground', values: background }
    ]);
    const spectra = parseReferenceText(csv, 'spectra.csv');
    expect(spectra.map(s => s.name)).toEqual(['particle', 'back,ground']);
    for (let e = 0; e < particle.length; e++) {
      expect(spectra[0].values[e]).toBeCloseTo(particle[e], 6);
    }
    expect(particle[0]).toBeGreaterThan(background[0]);
  });
});
