import { describe, expect, it } from 'vitest';

import { runPipeline } from '../../core/index.js';
import { simulateDemo } from '../../core/simulate/demo.js';
import { nvpfSpectrum } from '../../core/simulate/xanes.js';
import { resultGrid } from '../shared/grid.js';
import { pixelReadout } from './maps-text.js';

const RLO = '\u202E';

describe('the maps read-out', () => {
  it('draws phase names without their bidi controls', async () => {
    const { stack } = simulateDemo({ seed: 2, ny: 16, nx: 20 });
    const energies = Float64Array.from({ length: 181 }, (_, i) => 505 + 0.25 * i);
    const references = {
      source: 'test',
      spectra: [`Na${RLO}3`, `Na${RLO}1`].map((name, k) => ({
        name,
        energies,
        values: nvpfSpectrum(energies, 3 + k)
      }))
    };
    const result = await runPipeline(stack, references, { method: 'pcc' });
    const i = result.phase.findIndex(p => p >= 0);
    const [, nx] = result.shape;
    const text = pixelReadout(
      result,
      resultGrid(result, null),
      { ix: i % nx, iy: Math.floor(i / nx) },
      false
    );
    expect(text).not.toContain(RLO);
    expect(text).toMatch(/ρ: Na3 -?[\d.]+, Na1 -?[\d.]+/);
    expect(text).toMatch(/phase Na[31]/);
  });
});
