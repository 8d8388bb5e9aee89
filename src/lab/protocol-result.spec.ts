import { describe, expect, it } from 'vitest';

import { RESULT_ARRAYS, runPipeline, type PhaseMapResult } from '../core/index.js';
import { simulateDemo } from '../core/simulate/demo.js';
import { simulateSample } from '../core/simulate/sample.js';
import { nvpfSpectrum } from '../core/simulate/xanes.js';
import { encodeReferences, encodeResult, jsonSafe, resultArrayShape } from './protocol-result.js';

const grid = Float64Array.from({ length: 181 }, (_, i) => 505 + 0.25 * i);
const refs = {
  source: 'model',
  spectra: [
    { name: 'Na3', energies: grid, values: nvpfSpectrum(grid, 3) },
    { name: 'Na1', energies: grid, values: nvpfSpectrum(grid, 4) }
  ]
};

async function demoResult(): Promise<PhaseMapResult> {
  const { stack } = simulateDemo({ seed: 2, ny: 20, nx: 24 });
  return runPipeline(stack, refs, { method: 'pcc' });
}

describe('encodeResult', () => {
  it('sends every typed-array field as an array with its shape, the rest as JSON', async () => {
    const result = await demoResult();
    const { json, arrays } = encodeResult(result, 'p.h5');
    for (const key of RESULT_ARRAYS) {
      expect(arrays[key], key).toBeDefined();
    }
    expect(arrays.phase.shape).toEqual([20, 24]);
    expect(arrays.phase.dtype).toBe('int16');
    expect(arrays.pcc.shape).toEqual([2, 20, 24]);
    expect(arrays.fractions.shape).toEqual([2]);
    expect(arrays.energies.shape).toEqual([12]);
    expect(arrays.trainingLoss.shape).toEqual([0]);
    expect(arrays.phaseMeans.shape).toEqual([0, 0]);
    expect(json.path).toBe('p.h5');
    expect(json.phaseNames).toEqual(['Na3', 'Na1']);
    expect(json.pcc).toBeUndefined();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json); // JSON-safe
  });

  it('sends the warnings as JSON, as the engine made them', async () => {
    const { stack, references } = simulateSample({
      ...{ material: 'nvpf', morphology: 'grains', seed: 5, ny: 40, nx: 40 },
      ...{ driftPx: 0.3, energyOffsetEv: 0.3 }
    });
    const result = await runPipeline(stack, references, { method: 'pcc' });
    const { json } = encodeResult(result, 'p.h5');
    expect(result.warnings.map(w => w.code)).toEqual(
      expect.arrayContaining(['drift', 'energy-shift-applied'])
    );
    expect(json.warnings).toEqual(result.warnings);
  });

  it('sends fields the engine adds later, with inferred shapes', async () => {
    const result = await demoResult();
    const extended = {
      ...result,
      entropy: new Float32Array(20 * 24),
      perPhase: new Float32Array(2 * 20 * 24)
    };
    const { arrays } = encodeResult(extended, 'p.h5');
    expect(arrays.entropy.shape).toEqual([20, 24]);
    expect(arrays.perPhase.shape).toEqual([2, 20, 24]);
  });

  it('infers latent shapes and packs the phase Gaussians', async () => {
    const result = await demoResult();
    const l = 3;
    const withLatent: PhaseMapResult = {
      ...result,
      latentDim: l,
      latent: new Float32Array(20 * 24 * l),
      phaseGaussians: [0, 1].map(i => ({
        mean: Float64Array.from([i, i, i]),
        cov: new Float64Array(9).fill(i),
        count: 10 + i
      }))
    };
    expect(resultArrayShape('latent', 20 * 24 * l, withLatent)).toEqual([20, 24, 3]);
    const { json, arrays } = encodeResult(withLatent, 'p.h5');
    expect(arrays.phaseMeans.shape).toEqual([2, 3]);
    expect(Array.from(arrays.phaseMeans.values)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(arrays.phaseCovariances.shape).toEqual([2, 3, 3]);
    expect(json.phaseCounts).toEqual([10, 11]);
  });
});

describe('jsonSafe and references', () => {
  it('turns non-finite numbers into null', () => {
    expect(jsonSafe({ a: NaN, b: [1, Infinity], c: new Float32Array(2), d: undefined })).toEqual({
      a: null,
      b: [1, null]
    });
  });

  it('encodes references as names plus arrays', () => {
    const { json, arrays } = encodeReferences(refs);
    expect(json).toEqual({ names: ['Na3', 'Na1'], source: 'model' });
    expect(arrays['values:1'].shape).toEqual([181]);
  });
});
