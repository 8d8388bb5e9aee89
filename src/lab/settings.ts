/**
 * The settings (schema/plugin.json) that become a new workbench's parameters:
 * default τ, method, training epochs, latent dimension and tfjs backend. The
 * parameter model checks them (a value it refuses is left out: the
 * workbench keeps the default); the schema's defaults are the model's
 * (`npm run contract` writes them, settings.spec.ts checks them).
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { keepValidParams } from '../core/model/param-specs.js';
import type { DeepPartial, PipelineParams } from '../core/model/params.js';

/** Each setting that is a pipeline parameter, and the parameter's dotted path. */
export const SETTING_PARAMETERS: Readonly<Record<string, string>> = {
  threshold: 'threshold',
  method: 'method',
  epochs: 'gmvae.epochs',
  latentDim: 'gmvae.latentDim',
  backend: 'gmvae.backend'
};

export function settingsToParams(s: ReadonlyPartialJSONObject): DeepPartial<PipelineParams> {
  const nested: Record<string, unknown> = {};
  for (const [setting, path] of Object.entries(SETTING_PARAMETERS)) {
    const value = s[setting];
    if (value === undefined) {
      continue;
    }
    const [group, key] = path.includes('.') ? path.split('.') : [null, path];
    if (group) {
      nested[group] = { ...(nested[group] as object | undefined), [key]: value };
    } else {
      nested[key] = value;
    }
  }
  return keepValidParams(nested);
}

/**
 * The setting `largeStackValues`: stacks of more values (E × ny × nx) are
 * read, pre-processed and mapped in their workbench's stack worker, never
 * moved between workers (undefined: the default, TRANSFER_LIMIT_VALUES).
 */
export function largeStackValues(s: ReadonlyPartialJSONObject): number | undefined {
  const v = s.largeStackValues;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined;
}
