/**
 * The command line sets every pipeline parameter (one option per entry of the
 * parameter model), takes a whole set from a JSON file or from a result file,
 * and refuses values out of range before any work.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { PARAMETER_SPECS, validateParams } from '../core/model/param-specs.js';
import { DEFAULT_PARAMS } from '../core/model/params.js';
import { tempDir } from '../test-setup/fixtures.js';
import { UsageError } from './io.js';
import { normaliseFlags, parametersFromOptions } from './params.js';

/** A valid value other than the default, as it is typed on a command line. */
const OTHER: Record<string, string> = {
  threshold: '0.01',
  seed: '7',
  method: 'pcc',
  i0: 'roi:0,4,0,5',
  'ring-current': 'off',
  dwell: 'off',
  align: 'on',
  'align-min-drift-px': '0.5',
  'align-reference': '2',
  'align-max-shift-px': '6',
  'align-interpolation': 'cubic',
  'align-upsample': '20',
  mask: '0.3',
  'energy-shift': '-0.25',
  'energy-range-ev': '1',
  'energy-step-ev': '0.02',
  binning: '2',
  'latent-dim': '3',
  components: '4',
  hidden: '16',
  epochs: '20',
  'batch-size': '256',
  'learning-rate': '0.001',
  patience: '5',
  'max-train-pixels': '0',
  backend: 'cpu',
  'neighbour-weight': '1.5'
};

describe('parameter options', () => {
  it('has an option for every parameter of the model, and each one sets its parameter', async () => {
    expect(Object.keys(OTHER).sort()).toEqual(PARAMETER_SPECS.map(s => s.cli).sort());
    for (const spec of PARAMETER_SPECS) {
      const p = validateParams(await parametersFromOptions('map', { [spec.cli]: OTHER[spec.cli] }));
      const value = spec.group
        ? (p[spec.group] as unknown as Record<string, unknown>)[spec.key]
        : (p as unknown as Record<string, unknown>)[spec.key];
      expect(JSON.stringify(value), spec.cli).not.toBe(JSON.stringify(spec.default));
      // everything else keeps its default
      const rest = { ...p, [spec.group ?? spec.key]: undefined };
      const defaults = { ...DEFAULT_PARAMS, [spec.group ?? spec.key]: undefined };
      expect(JSON.stringify(rest)).toBe(JSON.stringify(defaults));
    }
  });

  it('reads the forms a user types: off, on, auto, roi:…, an OD for the mask', async () => {
    const p = validateParams(
      await parametersFromOptions('map', {
        'energy-shift': 'off',
        align: 'auto',
        i0: 'roi:1,9,2,8',
        mask: 'otsu'
      })
    );
    expect(p.preprocess.energyShift).toBe(0);
    expect(p.preprocess.align).toBe('auto');
    expect(p.preprocess.i0).toEqual({ mode: 'roi', y0: 1, y1: 9, x0: 2, x1: 8 });
    expect(p.preprocess.mask).toEqual({ mode: 'otsu' });
  });

  it('--align stands alone or takes a mode; --no-align turns it off', () => {
    expect(normaliseFlags(['s.h5', '--align', '--refs', 'r.csv'])).toEqual([
      's.h5',
      '--align',
      'on',
      '--refs',
      'r.csv'
    ]);
    expect(normaliseFlags(['--align'])).toEqual(['--align', 'on']);
    expect(normaliseFlags(['--align', 'auto'])).toEqual(['--align', 'auto']);
    expect(normaliseFlags(['--no-align'])).toEqual(['--align', 'off']);
    // a value that is neither a mode nor a file is passed on, to be refused by name
    expect(normaliseFlags(['--align', 'sideways'])).toEqual(['--align', 'sideways']);
  });

  it.each([
    ['epochs', '0', /--epochs: parameter gmvae.epochs must be an integer in 1…5000, not "0"/],
    ['epochs', '-5', /not "-5"/],
    ['max-train-pixels', '-1', /gmvae.maxTrainPixels must be an integer/],
    ['threshold', 'x', /threshold must be a number in 0…1/],
    ['align', 'sideways', /--align: parameter preprocess.align must be auto, on or off/],
    ['energy-shift', '30', /"auto", "off" or a shift in −20…20 eV/],
    ['i0', 'roi:5,1,0,4', /a region of whole pixels with y0 < y1/],
    ['method', 'rm -rf', /must be one of gmvae/],
    ['backend', 'gpu', /one of kernel, wasm, cpu/]
  ])('refuses --%s %s before any work', async (option, text, message) => {
    await expect(parametersFromOptions('map', { [option]: text })).rejects.toThrow(UsageError);
    await expect(parametersFromOptions('map', { [option]: text })).rejects.toThrow(message);
  });

  it('--params FILE.json sets a whole set; each option still overrides it', async () => {
    const dir = tempDir('stxm-params-');
    const file = join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({ method: 'pcc', gmvae: { epochs: 9 }, preprocess: { align: false } })
    );
    const p = validateParams(await parametersFromOptions('map', { params: file, epochs: '11' }));
    expect(p.method).toBe('pcc');
    expect(p.gmvae.epochs).toBe(11);
    expect(p.preprocess.align).toBe(false);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ gmvae: { epochz: 9 } }));
    await expect(parametersFromOptions('map', { params: bad })).rejects.toThrow(
      /bad\.json: unknown parameter "gmvae.epochz"/
    );
  });
});

describe('negative values', () => {
  it('--energy-shift -0.3 is the value, not another option', async () => {
    const { joinNegativeValues } = await import('./io.js');
    expect(
      joinNegativeValues(['s.h5', '--energy-shift', '-0.3', '--json'], {
        'energy-shift': { type: 'string' },
        json: { type: 'boolean' }
      })
    ).toEqual(['s.h5', '--energy-shift=-0.3', '--json']);
    const p = validateParams(await parametersFromOptions('map', { 'energy-shift': '-0.3' }));
    expect(p.preprocess.energyShift).toBe(-0.3);
  });
});
