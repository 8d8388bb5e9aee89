import { describe, expect, it } from 'vitest';

import type { ReferenceSet } from '../model/references.js';
import { NVPF, handPickedEnergies } from '../simulate/materials.js';
import { materialReferences } from '../simulate/scenarios.js';
import { planEnergies } from './planner.js';

function gaussRefs(): ReferenceSet {
  // two phases that differ only by a peak at 520 eV (A) vs 522 eV (B), on a common step
  const energies = Float64Array.from({ length: 301 }, (_, i) => 505 + i * 0.1);
  const shape = (peak: number): Float64Array =>
    Float64Array.from(
      energies,
      e => 0.5 + 0.3 / (1 + Math.exp(-(e - 515))) + Math.exp(-0.5 * ((e - peak) / 0.6) ** 2)
    );
  return {
    source: 'test',
    spectra: [
      { name: 'A', energies, values: shape(520) },
      { name: 'B', energies, values: shape(522) }
    ]
  };
}

describe('planEnergies', () => {
  it('returns N sorted energies inside the references, at least the minimum spacing apart', () => {
    const plan = planEnergies(materialReferences(NVPF), 8, { minSpacingEv: 0.3 });
    expect(plan.energies).toHaveLength(8);
    expect(plan.energies).toEqual([...plan.energies].sort((a, b) => a - b));
    for (let i = 1; i < 8; i++) {
      expect(plan.energies[i] - plan.energies[i - 1]).toBeGreaterThanOrEqual(0.3 - 1e-9);
    }
    expect(plan.energies[0]).toBeGreaterThanOrEqual(505);
    expect(plan.energies[7]).toBeLessThanOrEqual(550);
    expect(plan.pairs).toHaveLength(10);
  });

  it('spends energies where two phases differ', () => {
    const plan = planEnergies(gaussRefs(), 4);
    const near = (e: number): boolean => plan.energies.some(x => Math.abs(x - e) < 1.0);
    expect(near(520)).toBe(true);
    expect(near(522)).toBe(true);
  });

  it('separates the NVPF phases better than the hand-picked energies of the same budget', () => {
    const refs = materialReferences(NVPF);
    for (const n of [5, 8, 12]) {
      const planned = planEnergies(refs, n);
      const hand = planEnergies(refs, n, { include: handPickedEnergies(NVPF, n), minSpacingEv: 0 });
      // with every energy fixed, the "plan" is the hand-picked set scored by the same criterion
      expect(hand.energies).toEqual(handPickedEnergies(NVPF, n));
      expect(planned.score).toBeGreaterThan(hand.score);
    }
  });

  it('keeps energies it is told to include, and refuses impossible budgets', () => {
    const plan = planEnergies(gaussRefs(), 5, { include: [506] });
    expect(plan.energies).toContain(506);
    expect(() => planEnergies(gaussRefs(), 2)).toThrow(/≥ 3/);
    expect(() => planEnergies(gaussRefs(), 200, { minSpacingEv: 0.5 })).toThrow(/do not fit/);
    expect(() => planEnergies(gaussRefs(), 5, { range: [400, 520] })).toThrow(/share/);
  });
});
