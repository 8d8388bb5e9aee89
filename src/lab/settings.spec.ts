import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parameterSpec } from '../core/model/param-specs.js';
import { DEFAULT_PARAMS } from '../core/model/params.js';
import { SETTING_PARAMETERS, settingsToParams } from './settings.js';

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

  it('schema/plugin.json has the parameter model’s defaults and choices (npm run build:defaults)', () => {
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

  it('Python’s fallback defaults are the model’s (python/stxm_phasemap/_defaults.json)', () => {
    expect(json('python/stxm_phasemap/_defaults.json').defaults).toEqual(DEFAULT_PARAMS);
  });
});
