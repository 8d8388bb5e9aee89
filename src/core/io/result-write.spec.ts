import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { nodeRuntime, tempDir } from '../../test-setup/fixtures.js';
import { HAVE_VENV, runPython } from '../../test-setup/venv-python.js';
import { runPipeline } from '../analysis/pipeline.js';
import type { PhaseMapResult } from '../model/result.js';
import { evaluateAgainstTruth, rate } from '../simulate/evaluate.js';
import { simulateSample } from '../simulate/sample.js';
import { writeTruth } from '../simulate/truth-file.js';
import type { H5Runtime } from './h5.js';
import { readResult } from './result-read.js';
import { writeResult } from './result-write.js';

let runtime: H5Runtime;
let result: PhaseMapResult;
let baseline: PhaseMapResult;
const dir = tempDir('stxm-result-');
const sample = simulateSample({ morphology: 'grains', ny: 24, nx: 36, seed: 2 });

beforeAll(async () => {
  runtime = await nodeRuntime();
  result = await runPipeline(sample.stack, sample.references, { seed: 9, gmvae: { epochs: 3 } });
  baseline = await runPipeline(sample.stack, sample.references, { method: 'nnls' });
});

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('result file', () => {
  it('round-trips every map and the parameters', () => {
    const path = join(dir, 'r.h5');
    writeResult(runtime, path, result, { sourceFile: 'stack.h5', referencesFile: 'refs.csv' });
    const back = readResult(runtime, path);
    expect(back.shape).toEqual(result.shape);
    expect(back.phaseNames).toEqual(result.phaseNames);
    for (const key of [
      'phase',
      'initialPhase',
      'pcc',
      'margin',
      'ambiguous',
      'latent',
      'confidence',
      'transition',
      'falseAssignment',
      'unassigned',
      'mask',
      'fractions',
      'energies'
    ] as const) {
      expect(bytes(back[key]).equals(bytes(result[key])), key).toBe(true);
    }
    expect(back.threshold).toBe(result.threshold);
    expect(back.params).toEqual(result.params);
    expect(back.counts).toEqual(result.counts);
    expect(back.versions).toEqual(result.versions);
    expect(back.trainingLoss).toEqual(result.trainingLoss);
    expect(back.training).toEqual(result.training);
    expect(back.latentDim).toBe(2);
    expect(back.phaseGaussians.map(g => Array.from(g.mean))).toEqual(
      result.phaseGaussians.map(g => Array.from(g.mean))
    );
    expect(back.pixelSize.x).toBeCloseTo(result.pixelSize.x, 12);
  });

  it('a baseline result (no latent space) is written with an empty latent axis', () => {
    const path = join(dir, 'b.h5');
    writeResult(runtime, path, baseline);
    const back = readResult(runtime, path);
    expect(back.latentDim).toBe(0);
    expect(back.latent).toHaveLength(0);
    expect(bytes(back.phase).equals(bytes(baseline.phase))).toBe(true);
  });

  it('is readable by h5py as DESIGN.md §3 describes it', ({ skip }) => {
    if (!HAVE_VENV) {
      skip('.venv/bin/python is absent (make venv)');
    }
    const path = join(dir, 'py.h5');
    writeResult(runtime, path, result);
    const out = runPython(
      `
import json, sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
entry = f[f.attrs['default']]
assert entry.attrs['NX_class'] == 'NXentry'
proc = entry[entry.attrs['default']]
assert proc.attrs['NX_class'] == 'NXprocess'
d = proc[proc.attrs['default']]
assert d.attrs['NX_class'] == 'NXdata' and d.attrs['signal'] == 'phase'
print(json.dumps({
  'phase': [str(d['phase'].dtype), list(d['phase'].shape)],
  'initial_phase': str(d['initial_phase'].dtype),
  'pcc': [str(d['pcc'].dtype), list(d['pcc'].shape)],
  'ambiguous': str(d['ambiguous'].dtype),
  'latent': [str(d['latent'].dtype), list(d['latent'].shape)],
  'names': list(d['phase_names'].asstr()[()]),
  'threshold': float(d.attrs['threshold']),
  'seed': int(d.attrs['seed']),
  'method': d.attrs['method'],
  'versions': json.loads(d.attrs['versions']),
  'background': int((d['phase'][()] == -1).sum()),
  'particle_flags': int(d['transition'][()].sum() + d['false_assignment'][()].sum()),
  'confidence_nan_outside': bool(np.isnan(d['confidence'][()][d['phase'][()] == -1]).all()),
  'energy': list(d['energy'][()]),
  'has': sorted(k for k in ('confidence', 'transition', 'false_assignment', 'unassigned', 'mask') if k in d),
}))
`,
      [path]
    );
    const info = JSON.parse(out) as Record<string, unknown>;
    const [ny, nx] = result.shape;
    expect(info.phase).toEqual(['int16', [ny, nx]]);
    expect(info.initial_phase).toBe('int16');
    expect(info.pcc).toEqual(['float32', [5, ny, nx]]);
    expect(info.ambiguous).toBe('uint8');
    expect(info.latent).toEqual(['float32', [ny, nx, 2]]);
    expect(info.names).toEqual(result.phaseNames);
    expect(info.threshold).toBe(0.005);
    expect(info.seed).toBe(9);
    expect(info.method).toBe('gmvae');
    expect((info.versions as Record<string, string>)['stxm-phasemap']).toBe(
      result.versions['stxm-phasemap']
    );
    expect(info.background).toBe(result.phase.filter(p => p === -1).length);
    expect(info.particle_flags).toBe(result.counts.transition + result.counts.falseAssignment);
    expect(info.confidence_nan_outside).toBe(true);
    expect(info.energy).toEqual(Array.from(result.energies));
    expect(info.has).toEqual([
      'confidence',
      'false_assignment',
      'mask',
      'transition',
      'unassigned'
    ]);
  });

  it('the simulator’s ground truth is readable by h5py', ({ skip }) => {
    if (!HAVE_VENV) {
      skip('.venv/bin/python is absent (make venv)');
    }
    const path = join(dir, 'truth.h5');
    writeTruth(runtime, path, sample.truth, sample.stack.energies);
    const out = runPython(
      `
import json, sys, h5py
g = h5py.File(sys.argv[1], 'r')['/entry/truth']
print(json.dumps({'phase': list(g['phase'].shape), 'fractions': list(g['fractions'].shape),
  'names': list(g['phase_names'].asstr()[()]), 'seed': int(g.attrs['seed']),
  'config': json.loads(g.attrs['config'])['morphology'], 'sum': float(g['fractions'][()].sum())}))
`,
      [path]
    );
    const info = JSON.parse(out) as {
      phase: number[];
      fractions: number[];
      names: string[];
      seed: number;
      config: string;
      sum: number;
    };
    expect(info.phase).toEqual([24, 36]);
    expect(info.fractions).toEqual([5, 24, 36]);
    expect(info.names).toEqual(sample.truth.phaseNames);
    expect(info.seed).toBe(2);
    expect(info.config).toBe('grains');
    expect(info.sum).toBeCloseTo(sample.truth.phase.filter(p => p >= 0).length, 2);
  });

  it('records where an aligned (cropped) map sits in the stack, and the truth can still score it', async () => {
    const drifting = simulateSample({
      morphology: 'core-shell',
      ny: 40,
      nx: 40,
      driftPx: 0.6,
      seed: 4
    });
    const cropped = await runPipeline(drifting.stack, drifting.references, {
      method: 'pcc',
      preprocess: { align: true }
    });
    expect(cropped.crop).toBeDefined();
    const { y0, y1, x0, x1 } = cropped.crop!;
    expect(cropped.shape).toEqual([y1 - y0, x1 - x0]);
    expect(cropped.shape[0] * cropped.shape[1]).toBeLessThan(40 * 40);
    const path = join(dir, 'cropped.h5');
    writeResult(runtime, path, cropped);
    expect(readResult(runtime, path).crop).toEqual(cropped.crop);
    const acc = evaluateAgainstTruth(cropped, drifting.truth);
    expect(acc.overall.total).toBeGreaterThan(0);
    expect(rate(acc.overall)).toBeGreaterThan(0.6);
    expect(result.crop).toBeUndefined(); // nothing cropped without alignment
  });

  it('a file that is not a result says so', () => {
    const path = join(dir, 'truth2.h5');
    writeTruth(runtime, path, sample.truth, sample.stack.energies);
    expect(() => readResult(runtime, path, 'truth2.h5')).toThrow(
      /truth2\.h5: not a phase-map result/
    );
  });
});
