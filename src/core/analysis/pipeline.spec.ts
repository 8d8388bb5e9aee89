import { describe, expect, it } from 'vitest';

import type { ReferenceSet } from '../model/references.js';
import { RESULT_ARRAYS, type PhaseMapResult, type ProgressEvent } from '../model/result.js';
import { simulateDemo } from '../simulate/demo.js';
import { evaluateAgainstTruth, rate } from '../simulate/evaluate.js';
import { simulateSample } from '../simulate/sample.js';
import { nvpfSpectrum } from '../simulate/xanes.js';
import { CancelledError, runPipeline } from './pipeline.js';
import { applyThreshold, thresholdInSteps } from './threshold.js';

function demoReferences(): ReferenceSet {
  const energies = Float64Array.from({ length: 401 }, (_, i) => 505 + i * 0.1 * 1.0);
  return {
    source: 'test',
    spectra: [
      { name: 'Na3', energies, values: nvpfSpectrum(energies, 3.0) },
      { name: 'Na1', energies, values: nvpfSpectrum(energies, 4.0) }
    ]
  };
}

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A small grained NVPF particle with reference mismatch: ambiguous pixels to resolve. */
const small = simulateSample({ morphology: 'grains', ny: 40, nx: 40, i0: 1000, seed: 4 });
const FAST = { epochs: 15 };

describe('runPipeline (Pearson only)', () => {
  it('maps the demo core–shell particle close to its ground truth', async () => {
    const { stack, truth } = simulateDemo({ seed: 5, i0: 20000 });
    const refs = demoReferences();
    const stages: string[] = [];
    const result = await runPipeline(
      stack,
      refs,
      { method: 'pcc' },
      {
        onProgress: e => stages.push(`${e.stage}:${e.fraction}`)
      }
    );
    expect(stages).toContain('pcc:1');
    expect(stages).not.toContain('train:0'); // no model for Pearson-only
    let agree = 0;
    let both = 0;
    for (let p = 0; p < truth.phase.length; p++) {
      if (truth.phase[p] >= 0 && result.phase[p] >= 0) {
        both++;
        agree += truth.phase[p] === result.phase[p] ? 1 : 0;
      }
    }
    expect(both).toBeGreaterThan(0.8 * truth.phase.filter(p => p >= 0).length);
    expect(agree / both).toBeGreaterThan(0.9);
    const sum = result.fractions.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
  });

  it('a larger τ marks at least as many pixels ambiguous, without new correlations', async () => {
    const { stack } = simulateDemo({ seed: 6 });
    const result = await runPipeline(stack, demoReferences(), { method: 'pcc', threshold: 0.001 });
    const wider = applyThreshold(result, 0.05);
    expect(wider.pcc).toBe(result.pcc);
    expect(wider.counts.ambiguous).toBeGreaterThanOrEqual(result.counts.ambiguous);
    expect(wider.counts.ambiguous).toBeGreaterThan(0);
    expect(Array.from(wider.phase)).toEqual(Array.from(result.phase)); // argmax does not depend on τ
  });

  it('says clearly when no pixel can be analysed', async () => {
    const { stack } = simulateDemo({ seed: 1 });
    await expect(
      runPipeline(stack, demoReferences(), {
        method: 'pcc',
        preprocess: { mask: { mode: 'threshold', od: 99 } }
      })
    ).rejects.toThrow(/no particle pixel to analyse/);
  });
});

describe('runPipeline with the GMVAE', () => {
  let first: PhaseMapResult;
  const events: ProgressEvent[] = [];

  it('fills every field of the result, with consistent shapes', async () => {
    first = await runPipeline(
      small.stack,
      small.references,
      { method: 'gmvae', seed: 3, gmvae: FAST },
      { onProgress: e => events.push(e) }
    );
    const [ny, nx] = first.shape;
    const npx = ny * nx;
    const n = first.phaseNames.length;
    expect(first.phaseNames).toEqual(['Na3', 'Na2.4', 'Na2', 'Na1', 'Na1-y']);
    expect(first.latentDim).toBe(2);
    expect(first.latent).toHaveLength(npx * 2);
    expect(first.pcc).toHaveLength(n * npx);
    for (const key of RESULT_ARRAYS) {
      expect(first[key].length, key).toBeGreaterThan(0);
    }
    for (const key of ['phase', 'initialPhase', 'ambiguous', 'confidence', 'transition'] as const) {
      expect(first[key], key).toHaveLength(npx);
    }
    expect(first.phaseGaussians).toHaveLength(n);
    for (let p = 0; p < npx; p++) {
      if (first.mask[p]) {
        expect(first.phase[p]).toBeGreaterThanOrEqual(0);
        expect(first.confidence[p]).toBeGreaterThanOrEqual(0);
        expect(first.confidence[p]).toBeLessThanOrEqual(1);
        if (!first.ambiguous[p]) {
          expect(first.phase[p]).toBe(first.initialPhase[p]); // only ambiguous pixels move
        }
      } else {
        expect(first.phase[p]).toBe(-1);
        expect(first.latent[2 * p]).toBeNaN();
      }
    }
    expect(first.counts.resolved).toBe(first.counts.ambiguous);
    expect(first.counts.ambiguous).toBeGreaterThan(20);
    expect(first.fractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(first.trainingLoss).toHaveLength(first.training!.epochs);
    expect(first.validationLoss).toHaveLength(first.training!.epochs);
    // the default: the wasm SIMD training kernel, no tfjs
    expect(first.training!.backend).toBe('kernel');
    expect(first.training!.backendNote).toBeUndefined();
    expect(first.versions['gmvae-backend']).toBe('kernel');
    expect(first.versions['tfjs-backend']).toBeUndefined();
    expect(Object.keys(first.timings).sort()).toEqual(['pcc', 'prepare', 'resolve', 'train']);
  });

  it('reports every epoch with its losses', () => {
    const epochs = events.filter(e => e.stage === 'train' && e.epoch !== undefined);
    expect(epochs.map(e => e.epoch)).toEqual(first.trainingLoss.map((_, i) => i));
    expect(epochs.every(e => Number.isFinite(e.loss) && Number.isFinite(e.valLoss))).toBe(true);
    expect(first.trainingLoss.at(-1)!).toBeLessThan(first.trainingLoss[0]);
  });

  it('gives a bit-identical final map and latent space for the same seed, another for another seed', async () => {
    const again = await runPipeline(small.stack, small.references, {
      method: 'gmvae',
      seed: 3,
      gmvae: FAST
    });
    expect(bytes(again.phase).equals(bytes(first.phase))).toBe(true);
    expect(bytes(again.latent).equals(bytes(first.latent))).toBe(true);
    expect(again.trainingLoss).toEqual(first.trainingLoss);
    const other = await runPipeline(small.stack, small.references, {
      method: 'gmvae',
      seed: 4,
      gmvae: FAST
    });
    expect(bytes(other.latent).equals(bytes(first.latent))).toBe(false);
  });

  it('resolves the Pearson-ambiguous pixels far better than Pearson alone', async () => {
    const pcc = await runPipeline(small.stack, small.references, { method: 'pcc' });
    const gmvae = evaluateAgainstTruth(first, small.truth);
    const argmax = evaluateAgainstTruth(pcc, small.truth);
    expect(gmvae.ambiguous.total).toBe(argmax.ambiguous.total);
    expect(rate(gmvae.ambiguous)).toBeGreaterThan(rate(argmax.ambiguous) + 0.15);
    expect(rate(gmvae.overall)).toBeGreaterThan(rate(argmax.overall));
  });

  it('re-resolves for a new τ from the latents, without training', () => {
    const none = applyThreshold(first, 0);
    expect(none.latent).toBe(first.latent);
    expect(none.counts.ambiguous).toBeLessThan(first.counts.ambiguous);
    const wide = applyThreshold(first, 0.05);
    expect(wide.counts.ambiguous).toBeGreaterThan(first.counts.ambiguous);
    expect(wide.counts.resolved).toBe(wide.counts.ambiguous);
    // back to the original τ: the same map as the pipeline made
    const back = applyThreshold(wide, first.threshold);
    expect(bytes(back.phase).equals(bytes(first.phase))).toBe(true);
    expect(back.params.threshold).toBe(first.threshold);
  });

  it('in two steps: the preview has the final map of the whole update, finish adds the flags', () => {
    const whole = applyThreshold(first, 0.02);
    const steps = thresholdInSteps(first, 0.02);
    expect(steps.pending).toBe(true);
    expect(bytes(steps.preview.phase).equals(bytes(whole.phase))).toBe(true);
    expect(bytes(steps.preview.ambiguous).equals(bytes(whole.ambiguous))).toBe(true);
    expect(steps.preview.fractions).toEqual(whole.fractions);
    // confidence and flags still those of the previous τ until finish()
    expect(steps.preview.confidence).toBe(first.confidence);
    const done = steps.finish();
    expect(done.phase).toBe(steps.preview.phase);
    expect(steps.finish()).toBe(done);
    expect(bytes(done.confidence).equals(bytes(whole.confidence))).toBe(true);
    expect(bytes(done.transition).equals(bytes(whole.transition))).toBe(true);
    expect(done.counts).toEqual(whole.counts);
    // Pearson-only: one step
    const pcc = thresholdInSteps({ ...first, params: { ...first.params, method: 'pcc' } }, 0.02);
    expect(pcc.pending).toBe(false);
    expect(pcc.finish()).toBe(pcc.preview);
  });

  it.for(['wasm', 'cpu'] as const)(
    'trains with tfjs on its %s backend when asked, deterministically too',
    async backend => {
      const params = { method: 'gmvae', seed: 2, gmvae: { epochs: 2, backend } } as const;
      const a = await runPipeline(small.stack, small.references, params);
      const b = await runPipeline(small.stack, small.references, params);
      expect(a.training!.backend).toBe(backend);
      expect(a.versions['tfjs-backend']).toBe(backend);
      expect(a.versions['gmvae-backend']).toBe(backend);
      expect(bytes(a.latent).equals(bytes(b.latent))).toBe(true);
    }
  );

  it('stops between batches when cancelled', async () => {
    const controller = new AbortController();
    const run = runPipeline(
      small.stack,
      small.references,
      { method: 'gmvae', gmvae: { epochs: 50 } },
      {
        signal: controller.signal,
        onProgress: e => {
          if (e.stage === 'train' && e.epoch === 1) {
            controller.abort();
          }
        }
      }
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('baselines through the same interface', () => {
  it.each(['pca-kmeans', 'lsq', 'nnls'] as const)(
    '%s labels every particle pixel',
    async method => {
      const r = await runPipeline(small.stack, small.references, { method, seed: 1 });
      const npx = r.shape[0] * r.shape[1];
      let labelled = 0;
      for (let p = 0; p < npx; p++) {
        expect(r.phase[p] >= 0).toBe(r.mask[p] === 1);
        labelled += r.phase[p] >= 0 ? 1 : 0;
      }
      expect(labelled).toBe(r.counts.particle);
      expect(r.params.method).toBe(method);
      expect(r.trainingLoss).toEqual([]);
      expect(r.latentDim).toBe(method === 'pca-kmeans' ? r.phaseNames.length : 0);
      const acc = rate(evaluateAgainstTruth(r, small.truth).overall);
      expect(acc).toBeGreaterThan(0.2); // a real map, not noise: 5 phases
    }
  );
});

describe('runPipeline on a consumed input: the cube let go once read no more', () => {
  const copyOf = (s: typeof small.stack): typeof small.stack => ({
    ...s,
    data: s.data.slice(),
    control: s.control?.slice()
  });

  it.each([
    ['gmvae', { method: 'gmvae' as const, gmvae: FAST }, true],
    ['pcc', { method: 'pcc' as const }, true],
    ['lsq (its resolution reads the cube)', { method: 'lsq' as const }, false]
  ])(
    '%s',
    async (_label, params, letGo) => {
      const kept = await runPipeline(copyOf(small.stack), small.references, params);
      const input = copyOf(small.stack);
      const cube = input.data;
      let released = 0;
      const stagesAtRelease: string[] = [];
      const stages: string[] = [];
      const consumed = await runPipeline(input, small.references, params, {
        consumeInput: true,
        onProgress: e => stages.push(`${e.stage}:${e.fraction}`),
        released: () => {
          released++;
          stagesAtRelease.push(stages.at(-1) ?? '');
        }
      });
      // the same maps as a run that keeps its input
      expect(bytes(consumed.phase).equals(bytes(kept.phase))).toBe(true);
      expect(bytes(consumed.pcc).equals(bytes(kept.pcc))).toBe(true);
      expect(bytes(consumed.confidence).equals(bytes(kept.confidence))).toBe(true);
      if (letGo) {
        expect(released).toBe(1);
        expect(input.data.length).toBe(0);
        // after its last reader: the training, or Pearson without one; before the resolution
        expect(stagesAtRelease).toEqual([params.method === 'gmvae' ? 'train:1' : 'pcc:1']);
      } else {
        expect(released).toBe(0);
        expect(input.data).toBe(cube);
      }
    },
    60_000
  );
});
