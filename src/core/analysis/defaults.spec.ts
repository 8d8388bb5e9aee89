/**
 * Right by default: on the simulator's realistic stacks (drift 0.5–2 px,
 * calibration offsets 0.1–0.5 eV, 6–20 energies), the engine with no options
 * — what `stxm-phasemap map FILE --refs R`, a new workbench and `wb.run()`
 * run — is within one point of the best options set by hand.
 */
import { describe, expect, it } from 'vitest';

import type { PipelineParams, DeepPartial } from '../model/params.js';
import { realisticCase } from '../simulate/realistic.js';
import { simulateSample } from '../simulate/sample.js';
import { evaluateAgainstTruth } from '../simulate/evaluate.js';
import { runPipeline } from './pipeline.js';

/** Seeds of the check set (the criteria were tuned on other stacks). */
const SEEDS = [1, 2, 3, 4, 5, 6];

describe('defaults on realistic stacks', () => {
  it('no options: within one point of frames aligned and the true shift set by hand', async () => {
    const pooled = { defaults: [0, 0], hand: [0, 0], previous: [0, 0] };
    for (const seed of SEEDS) {
      const c = realisticCase(seed);
      const sample = simulateSample(c.config);
      const runs: Record<keyof typeof pooled, DeepPartial<PipelineParams>> = {
        defaults: {},
        hand: { preprocess: { align: true, energyShift: -c.energyOffsetEv } },
        previous: { preprocess: { align: false, energyShift: 0 } }
      };
      for (const [name, params] of Object.entries(runs) as [
        keyof typeof pooled,
        DeepPartial<PipelineParams>
      ][]) {
        const r = await runPipeline(sample.stack, sample.references, params);
        const a = evaluateAgainstTruth(r, sample.truth).overall;
        pooled[name][0] += a.correct;
        pooled[name][1] += a.total;
        if (name === 'defaults') {
          // the calibration found the offset: references move against the stack's labels
          const shift = r.provenance.find(s => s.step === 'energy shift')?.details;
          expect(shift?.applied, c.name).toBe(true);
          expect(Math.abs((shift?.shiftEv as number) + c.energyOffsetEv), c.name).toBeLessThan(0.1);
          expect(r.provenance.find(s => s.step === 'alignment')?.details.applied, c.name).toBe(
            true
          );
        }
      }
    }
    const rate = (k: keyof typeof pooled): number => (100 * pooled[k][0]) / pooled[k][1];
    expect(rate('defaults')).toBeGreaterThanOrEqual(rate('hand') - 1);
    // and the previous defaults (no alignment, no calibration) were far off
    expect(rate('previous')).toBeLessThan(rate('defaults') - 20);
  }, 240_000);
});
