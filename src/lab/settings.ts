/**
 * The settings (schema/plugin.json) that become a new workbench's parameters:
 * default τ, method, training epochs, latent dimension and training backend.
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { RESOLUTION_METHODS, isGmvaeBackend } from '../core/model/result.js';
import type { DeepPartial, PipelineParams, ResolutionMethod } from '../core/model/result.js';

export function settingsToParams(s: ReadonlyPartialJSONObject): DeepPartial<PipelineParams> {
  const out: DeepPartial<PipelineParams> = {};
  const gmvae: DeepPartial<PipelineParams>['gmvae'] = {};
  if (typeof s.threshold === 'number' && s.threshold >= 0) {
    out.threshold = s.threshold;
  }
  if (
    typeof s.method === 'string' &&
    (RESOLUTION_METHODS as readonly string[]).includes(s.method)
  ) {
    out.method = s.method as ResolutionMethod;
  }
  if (typeof s.epochs === 'number' && s.epochs >= 1) {
    gmvae.epochs = Math.round(s.epochs);
  }
  if (typeof s.latentDim === 'number' && s.latentDim >= 1) {
    gmvae.latentDim = Math.round(s.latentDim);
  }
  if (isGmvaeBackend(s.backend)) {
    gmvae.backend = s.backend;
  }
  out.gmvae = gmvae;
  return out;
}
