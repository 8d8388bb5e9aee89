/**
 * Short training runs with the wasm kernel reach the accuracy of the same
 * runs in tfjs (wasm backend), on benchmark scenarios against their ground
 * truth, within the spread between seeds. The per-pixel rule (gmvae-pixel)
 * is the method most sensitive to the learned latent space.
 */
import { describe, expect, it } from 'vitest';

import type { GmvaeBackend, ResolutionMethod } from '../../model/result.js';
import { evaluateAgainstTruth, rate } from '../../simulate/evaluate.js';
import { simulateSample } from '../../simulate/sample.js';
import { findScenario, scenarioConfig } from '../../simulate/scenarios.js';
import { runPipeline } from '../pipeline.js';

const SCENARIOS = ['nvpf-core-shell-12e', 'nvpf-particles-12e', 'nvpf-grains-8e-low-dose'].map(
  name => {
    const scenario = findScenario(name);
    return { scenario, sample: simulateSample(scenarioConfig(scenario)) };
  }
);
const SEEDS = [0, 1, 2];
const EPOCHS = 20;

/** Pooled accuracy (overall, ambiguous pixels) over the scenarios, per seed. */
async function pooled(
  backend: GmvaeBackend,
  method: ResolutionMethod
): Promise<{ overall: number; ambiguous: number }[]> {
  const out = [];
  for (const seed of SEEDS) {
    const all = { overall: { correct: 0, total: 0 }, ambiguous: { correct: 0, total: 0 } };
    for (const { scenario, sample } of SCENARIOS) {
      const result = await runPipeline(sample.stack, sample.references, {
        method,
        seed,
        preprocess: scenario.preprocess ?? {},
        gmvae: { epochs: EPOCHS, backend }
      });
      expect(result.training!.backend).toBe(backend);
      const acc = evaluateAgainstTruth(result, sample.truth);
      for (const key of ['overall', 'ambiguous'] as const) {
        all[key].correct += acc[key].correct;
        all[key].total += acc[key].total;
      }
    }
    out.push({ overall: rate(all.overall), ambiguous: rate(all.ambiguous) });
  }
  return out;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const spread = (v: number[]): number => Math.max(...v) - Math.min(...v);

describe('GMVAE kernel: the accuracy of tfjs training', () => {
  it.for(['gmvae-pixel', 'gmvae'] as const)(
    '%s: pooled accuracy of 3 scenarios × 3 seeds within the seed-to-seed spread',
    { timeout: 600_000 },
    async method => {
      const kernel = await pooled('kernel', method);
      const tfjs = await pooled('wasm', method);
      for (const key of ['overall', 'ambiguous'] as const) {
        const k = kernel.map(r => r[key]);
        const t = tfjs.map(r => r[key]);
        // seed noise: the larger spread, and at least 1 point (ambiguous) / 0.3 (overall)
        const noise = Math.max(spread(k), spread(t), key === 'ambiguous' ? 0.01 : 0.003);
        expect(Math.abs(mean(k) - mean(t)), key).toBeLessThanOrEqual(noise);
      }
      // and the method works: the ambiguous pixels are mostly resolved right
      expect(mean(kernel.map(r => r.ambiguous))).toBeGreaterThan(0.55);
    }
  );
});
