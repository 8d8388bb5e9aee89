import { describe, expect, it } from 'vitest';

import type { ReferenceSet } from '../model/references.js';
import { simulateDemo } from '../simulate/demo.js';
import { nvpfSpectrum } from '../simulate/xanes.js';
import { runPipeline } from './pipeline.js';
import { applyThreshold } from './threshold.js';

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
  });
});
