import { describe, expect, it } from 'vitest';

import { loadParams, loadWorkbench, saveWorkbench } from './persist.js';
import { demoReferenceSet } from './references.js';

describe('workbench state across reloads', () => {
  it('round-trips references, parameters, ROIs, state of charge and layout through JSON', () => {
    const refs = demoReferenceSet();
    refs.spectra[0].color = '#aa0011';
    const saved = saveWorkbench({
      references: refs,
      referencesOrigin: { files: ['data/refs.csv'], edited: true },
      params: {
        threshold: 0.01,
        method: 'pcc',
        preprocess: { i0: { mode: 'roi', x0: 1, x1: 5, y0: 0, y1: 3 } }
      },
      rois: [{ id: 4, name: 'ROI 4', color: '#0072B2', rect: { x0: 0, x1: 1, y0: 0, y1: 2 } }],
      stateOfCharge: 0.35,
      layout: { leftTab: 1, rightTab: 2, sizes: [0.4, 0.6], leftSizes: [0.7, 0.3] }
    });
    const back = loadWorkbench(JSON.parse(JSON.stringify(saved)))!;
    expect(back.references?.spectra.map(s => s.name)).toEqual(['Na3', 'Na1']);
    expect(back.references?.spectra[0].color).toBe('#aa0011');
    expect(back.referencesOrigin).toEqual({ files: ['data/refs.csv'], edited: true });
    expect(Array.from(back.references!.spectra[1].values.subarray(0, 3))).toEqual(
      Array.from(refs.spectra[1].values.subarray(0, 3))
    );
    expect(back.params).toEqual({
      threshold: 0.01,
      method: 'pcc',
      preprocess: { i0: { mode: 'roi', x0: 1, x1: 5, y0: 0, y1: 3 } },
      gmvae: undefined
    });
    expect(back.rois[0].rect).toEqual({ x0: 0, x1: 1, y0: 0, y1: 2 });
    expect(back.stateOfCharge).toBe(0.35);
    expect(back.layout?.rightTab).toBe(2);
  });

  it('ignores damaged entries instead of trusting them', () => {
    expect(loadWorkbench(null)).toBeNull();
    expect(loadWorkbench({ version: 2 })).toBeNull();
    const back = loadWorkbench({
      version: 1,
      references: { source: 'x', spectra: [{ name: 'A', energies: [1, 0], values: [1, 2] }] },
      rois: [{ id: 1, name: 'r', color: '#fff', rect: { x0: 'a' } }, 7],
      referencesOrigin: { files: [7], edited: false },
      stateOfCharge: 'full',
      layout: { leftTab: 'x' }
    })!;
    expect(back.referencesOrigin).toBeNull();
    expect(back.references).toBeNull(); // one spectrum, descending energies
    expect(back.rois).toEqual([]);
    expect(back.stateOfCharge).toBeNull();
    expect(back.layout).toBeNull();
  });

  it('keeps only known parameters of the right type', () => {
    const p = loadParams({
      threshold: -1,
      method: 'magic',
      seed: 3,
      preprocess: {
        binning: 2.5,
        ringCurrent: 'yes',
        align: true,
        mask: { mode: 'threshold', od: 0.2 }
      },
      gmvae: { epochs: 5, backend: 'webgpu', latentDim: 3 }
    });
    expect(p).toEqual({
      seed: 3,
      preprocess: { align: true, mask: { mode: 'threshold', od: 0.2 } },
      gmvae: { epochs: 5, latentDim: 3 }
    });
  });
});
