/**
 * The automatic energy calibration and its trap: for NVPF a global energy
 * shift looks like a change of Na content, so on a particle of one phase, or
 * one that lacks some of the reference phases, the calibration must not
 * "explain away" the phase it sees by shifting the references onto another.
 */
import { describe, expect, it } from 'vitest';

import { runPipeline } from '../analysis/pipeline.js';
import { NVPF_PHASES } from '../simulate/xanes.js';
import { evaluateAgainstTruth, rate } from '../simulate/evaluate.js';
import { resolveEnergies } from '../simulate/scenarios.js';
import { simulateSample, type SampleConfig } from '../simulate/sample.js';
import { prepareStack } from './prepare.js';

const base = (config: Partial<SampleConfig>): Partial<SampleConfig> => ({
  material: 'nvpf',
  energies: resolveEnergies('hand:12', 'nvpf'),
  i0: 2000,
  ...config
});

async function calibrated(config: Partial<SampleConfig>): Promise<{
  applied: boolean;
  shiftEv: number;
  accuracy: number;
}> {
  const s = simulateSample(base(config));
  const r = await runPipeline(s.stack, s.references, { method: 'pcc' });
  const step = r.provenance.find(p => p.step === 'energy shift')?.details ?? {};
  return {
    applied: step.applied === true,
    shiftEv: step.shiftEv as number,
    accuracy: rate(evaluateAgainstTruth(r, s.truth).overall)
  };
}

describe('automatic energy calibration', () => {
  it.each(NVPF_PHASES.map((p, i) => [p.name, i] as const))(
    'a particle of %s alone, no offset: no phase explained away by a shift',
    async (_, phase) => {
      for (const seed of [31, 32]) {
        const c = await calibrated({ morphology: 'core-shell', samplePhases: [phase], seed });
        // either nothing is applied, or a shift well below the ≈0.16–0.4 eV between phases
        expect(Math.abs(c.shiftEv)).toBeLessThan(0.06);
        expect(c.accuracy).toBeGreaterThan(0.9);
      }
    }
  );

  it.each([[[0, 3]], [[1, 2]], [[2, 4]], [[0, 2, 4]]])(
    'a particle missing phases (has %j), no offset: the phases it has stay',
    async phases => {
      const c = await calibrated({ morphology: 'grains', samplePhases: phases, seed: 33 });
      expect(Math.abs(c.shiftEv)).toBeLessThan(0.06);
      expect(c.accuracy).toBeGreaterThan(0.85);
    }
  );

  it.each([0.15, -0.3, 0.45])(
    'a real offset of %s eV on a particle of every phase is found and applied',
    async offset => {
      const c = await calibrated({ morphology: 'grains', energyOffsetEv: offset, seed: 34 });
      expect(c.applied).toBe(true);
      expect(Math.abs(c.shiftEv + offset)).toBeLessThan(0.08);
      expect(c.accuracy).toBeGreaterThan(0.8);
    }
  );

  it('references measured over the stack’s own range: the search keeps room to shift them', async () => {
    // energies spread over the references' whole range (505–550 eV), ends included
    const energies = [
      505, 508, 512, 515, 516.2, 517, 518, 521.5, 523.8, 527, 529.8, 531.5, 534, 540, 550
    ];
    const s = simulateSample(
      base({ morphology: 'grains', energyOffsetEv: 0.3, seed: 36, energies })
    );
    const r = await runPipeline(s.stack, s.references, { method: 'pcc' });
    const step = r.provenance.find(p => p.step === 'energy shift')?.details;
    expect(step?.applied).toBe(true);
    expect(Math.abs((step?.shiftEv as number) + 0.3)).toBeLessThan(0.08);
    // the search scored every shift on the frames the references cover across it
    expect(step?.energiesUsed).toBe(13);
    // moved down, the references no longer reach 550 eV: that frame leaves the analysis
    expect(Array.from(r.energies)).not.toContain(550);
    expect(r.warnings.find(w => w.code === 'coverage')).toMatchObject({
      level: 'info',
      message: 'the shifted references do not cover 550 eV: 1 frame(s) left out'
    });
  });

  it('records the estimate, the criterion and the decision', () => {
    const s = simulateSample(base({ morphology: 'grains', energyOffsetEv: 0.3, seed: 35 }));
    const p = prepareStack(s.stack, {}, s.references);
    const d = p.provenance.find(x => x.step === 'energy shift')?.details;
    expect(d).toMatchObject({ mode: 'auto', applied: true, decision: 'applied', atEdge: false });
    expect(d?.sectorShiftsEv as number[]).toHaveLength(4);
    expect(d?.gain as number).toBeGreaterThan(0.001);
    expect(JSON.parse(d?.criteria as string)).toEqual({
      minGain: 0.001,
      maxSectorSpreadEv: 0.25,
      rivalMargin: 0.005
    });
    expect(p.energyShiftEv).toBe(d?.shiftEv);
  });

  it('off and a fixed shift are obeyed, with the estimate still recorded', () => {
    const s = simulateSample(base({ morphology: 'grains', energyOffsetEv: 0.3, seed: 35 }));
    const off = prepareStack(s.stack, { energyShift: 'off' as unknown as number }, s.references);
    expect(off.energyShiftEv).toBe(0);
    const fixed = prepareStack(s.stack, { energyShift: -0.1 }, s.references);
    expect(fixed.energyShiftEv).toBe(-0.1);
    const d = fixed.provenance.find(x => x.step === 'energy shift')?.details;
    expect(d?.mode).toBe('fixed');
    expect(d?.estimatedShiftEv as number).toBeLessThan(-0.15);
  });
});
