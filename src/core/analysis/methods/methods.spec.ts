import { describe, expect, it } from 'vitest';

import { parameterSpec } from '../../model/param-specs.js';
import { RESOLUTION_METHODS, withDefaults, type ResolutionMethod } from '../../model/params.js';
import { RESOLUTION_METHOD_INFO, RESOLUTION_METHOD_MODULES, resolutionMethod } from './index.js';

describe('the resolution-method registry', () => {
  it('holds exactly the parameter model’s method ids, in their order', () => {
    expect(Object.keys(RESOLUTION_METHOD_MODULES)).toEqual([...RESOLUTION_METHODS]);
    expect(RESOLUTION_METHOD_INFO.map(m => m.id)).toEqual([...RESOLUTION_METHODS]);
    for (const id of RESOLUTION_METHODS) {
      expect(RESOLUTION_METHOD_MODULES[id].id).toBe(id);
    }
  });

  it('gives every method a distinct label and real parameters', () => {
    const labels = RESOLUTION_METHOD_INFO.map(m => m.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const m of RESOLUTION_METHOD_INFO) {
      expect(m.label.length).toBeGreaterThan(0);
      for (const path of m.uses) {
        expect(parameterSpec(path), `${m.id} uses ${path}`).toBeDefined();
      }
    }
  });

  it('keeps the facts the doors relied on', () => {
    const latent = RESOLUTION_METHOD_INFO.filter(m => m.trainsModel).map(m => m.id);
    const relabel = RESOLUTION_METHOD_INFO.filter(m => m.relabelsAll).map(m => m.id);
    expect(latent).toEqual(['gmvae', 'gmvae-pixel']);
    expect(relabel).toEqual(['pca-kmeans', 'lsq', 'nnls']);
    expect(resolutionMethod('gmvae').neighbourWeight()).toBe(2);
    const params = withDefaults({ gmvae: { neighbourWeight: 0.5 } });
    expect(resolutionMethod('gmvae').neighbourWeight(params)).toBe(0.5);
    expect(resolutionMethod('gmvae-pixel').neighbourWeight()).toBe(0);
    expect(resolutionMethod('pcc').confidenceAt).toBeDefined();
    expect(
      RESOLUTION_METHOD_INFO.every(m => m.trainsModel || !('context' in m) || !m.context)
    ).toBe(true);
  });

  it('names an unknown method', () => {
    expect(() => resolutionMethod('magic' as ResolutionMethod)).toThrow(
      'unknown resolution method "magic"'
    );
  });
});
