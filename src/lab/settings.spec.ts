import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parameterSpec } from '../core/model/param-specs.js';
import { DEFAULT_PARAMS } from '../core/model/params.js';
import { TRANSFER_LIMIT_VALUES } from '../worker/read-url.js';
import { largeStackValues, SETTING_PARAMETERS, settingsToParams } from './settings.js';

const ROOT = new URL('../../', import.meta.url);
const json = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as Record<string, unknown>;

describe('settings', () => {
  it('turn into a new workbench’s parameters, checked by the parameter model', () => {
    expect(
      settingsToParams({
        threshold: 0.01,
        method: 'pcc',
        epochs: 7,
        backend: 'cpu',
        latentDim: 3,
        colormap: 'grey'
      })
    ).toEqual({
      threshold: 0.01,
      method: 'pcc',
      gmvae: { epochs: 7, backend: 'cpu', latentDim: 3 }
    });
    // values the model refuses are left out: the workbench keeps the defaults
    expect(
      settingsToParams({
        threshold: -1,
        method: 'magic',
        epochs: 7.4,
        backend: 'webgpu',
        latentDim: 2
      })
    ).toEqual({ gmvae: { latentDim: 2 } });
  });

  it('schema/plugin.json has the parameter model’s defaults and choices (npm run contract)', () => {
    const properties = json('schema/plugin.json').properties as Record<
      string,
      { default: unknown; enum?: unknown[]; minimum?: number; maximum?: number }
    >;
    for (const [setting, path] of Object.entries(SETTING_PARAMETERS)) {
      const spec = parameterSpec(path)!;
      const property = properties[setting];
      expect(property.default, `setting ${setting} (${path})`).toEqual(spec.default);
      expect(property.enum, `choices of setting ${setting}`).toEqual(spec.schema.enum);
      // a range the settings editor allows is one the model accepts
      for (const bound of [property.minimum, property.maximum]) {
        if (bound !== undefined) {
          expect(() => spec.check(bound), `bound ${bound} of setting ${setting}`).not.toThrow();
        }
      }
    }
  });

  it('Python’s fallback defaults are the model’s (python/stxm_phasemap/_contract.py)', () => {
    const python = readFileSync(new URL('python/stxm_phasemap/_contract.py', ROOT), 'utf8');
    const literal = /^DEFAULT_PARAMS: dict\[str, Any\] = json\.loads\(\n {4}r"""(.*)"""\n\)$/m.exec(
      python
    );
    expect(literal, 'DEFAULT_PARAMS in _contract.py').not.toBeNull();
    expect(JSON.parse(literal![1])).toEqual(DEFAULT_PARAMS);
  });

  it('largeStackValues: what moves between workers at most, as the schema says; a bad value is the default', () => {
    const schema = JSON.parse(readFileSync('schema/plugin.json', 'utf8')) as {
      properties: Record<string, { default: unknown; maximum: number }>;
    };
    const setting = schema.properties.largeStackValues;
    expect(setting.default).toBe(TRANSFER_LIMIT_VALUES);
    expect(setting.maximum).toBe(TRANSFER_LIMIT_VALUES);
    expect(largeStackValues({ largeStackValues: 1000 })).toBe(1000);
    expect(largeStackValues({ largeStackValues: 0 })).toBeUndefined();
    expect(largeStackValues({ largeStackValues: 1.5 })).toBeUndefined();
    expect(largeStackValues({})).toBeUndefined();
  });
});
