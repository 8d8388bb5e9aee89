/**
 * Each warning of a run (model/warnings.ts) fires where it should and stays
 * silent where it should not, with its numbers.
 */
import { describe, expect, it } from 'vitest';

import type { ReferenceSet } from '../model/references.js';
import type { DeepPartial, PipelineParams } from '../model/params.js';
import type { PhaseMapResult } from '../model/result.js';
import type { WarningCode } from '../model/warnings.js';
import { resolveEnergies } from '../simulate/scenarios.js';
import { simulateSample, type SampleConfig } from '../simulate/sample.js';
import { runPipeline } from './pipeline.js';
import { countWarnings } from './fit-warnings.js';
import { applyThreshold } from './threshold.js';

const sample = (config: Partial<SampleConfig> = {}): ReturnType<typeof simulateSample> =>
  simulateSample({ material: 'nvpf', morphology: 'grains', ny: 40, nx: 40, seed: 21, ...config });
const run = (
  s: ReturnType<typeof simulateSample>,
  params: DeepPartial<PipelineParams> = {},
  refs: ReferenceSet = s.references
): Promise<PhaseMapResult> => runPipeline(s.stack, refs, { method: 'pcc', ...params });
const codes = (r: PhaseMapResult): WarningCode[] => r.warnings.map(w => w.code);
const message = (r: PhaseMapResult, code: WarningCode): string =>
  r.warnings.find(w => w.code === code)?.message ?? '';

describe('run warnings', () => {
  const clean = sample();

  it('a clean stack: no warning at all', async () => {
    expect((await run(clean)).warnings).toEqual([]);
  });

  it('energy-shift-applied: the shift found, with the fit before and after', async () => {
    const r = await run(sample({ energyOffsetEv: 0.3 }));
    expect(message(r, 'energy-shift-applied')).toMatch(
      /^references fit best 0\.\d\d eV lower: applied \(mean correlation 0\.\d{3} → 0\.\d{3}\)$/
    );
    expect(r.warnings.find(w => w.code === 'energy-shift-applied')?.level).toBe('info');
  });

  it('energy-shift-declined: a shift set by hand that the data clearly contradict', async () => {
    const offset = sample({ energyOffsetEv: 0.3 });
    const r = await run(offset, { preprocess: { energyShift: 0.2 } });
    expect(message(r, 'energy-shift-declined')).toMatch(
      /references would fit best 0\.\d\d eV lower .*, the shift set is 0\.20 eV/
    );
    // the right shift set by hand: nothing to say
    const right = await run(offset, { preprocess: { energyShift: -0.3 } });
    expect(codes(right)).not.toContain('energy-shift-declined');
  });

  it('drift: aligned with the drift and the crop, or a warning when alignment is off', async () => {
    const drifting = sample({ driftPx: 0.5 });
    const r = await run(drifting);
    expect(message(r, 'drift')).toMatch(/^drift up to \d\.\d px: frames aligned, \d+ px cropped$/);
    const off = await run(drifting, { preprocess: { align: false } });
    expect(off.warnings.find(w => w.code === 'drift')).toMatchObject({
      level: 'warning',
      message: expect.stringMatching(
        /^frames drift up to \d\.\d px and alignment is off$/
      ) as string
    });
    expect(codes(await run(clean))).not.toContain('drift');
  });

  it('low-correlation: references that do not describe the sample', async () => {
    const unlike = sample({ mismatch: 8 });
    const r = await run(unlike, { preprocess: { energyShift: 0 } });
    expect(message(r, 'low-correlation')).toMatch(
      /^median best correlation 0\.\d\d: the references may not describe this sample/
    );
    expect(codes(await run(clean))).not.toContain('low-correlation');
  });

  it('ambiguous: the share of the particle, at the τ in use, following τ', async () => {
    const r = await run(clean);
    expect(codes(r)).not.toContain('ambiguous');
    const wide = applyThreshold(r, 0.2);
    expect(message(wide, 'ambiguous')).toMatch(/^\d+ % of the particle is ambiguous at τ = 0\.2/);
    expect(codes(applyThreshold(wide, 0.005))).not.toContain('ambiguous');
  });

  it('coverage: stack energies outside the references are left out and named', async () => {
    const cut: ReferenceSet = {
      source: 'short.csv',
      spectra: clean.references.spectra.map(s => {
        const keep = Array.from(s.energies, (e, i) => (e <= 540 ? i : -1)).filter(i => i >= 0);
        return {
          ...s,
          energies: Float64Array.from(keep, i => s.energies[i]),
          values: Float64Array.from(keep, i => s.values[i])
        };
      })
    };
    const r = await run(clean, { preprocess: { energyShift: 0 } }, cut);
    expect(message(r, 'coverage')).toBe('references do not cover 545 eV: 1 frame(s) left out');
    expect(Array.from(r.energies)).not.toContain(545);
    expect(codes(await run(clean))).not.toContain('coverage');
  });

  it('few-energies: five energies', async () => {
    const five = sample({ energies: resolveEnergies('hand:5', 'nvpf') });
    expect(message(await run(five), 'few-energies')).toMatch(
      /^5 energies: correlations from so few points/
    );
  });

  it('dropped-frames: a frame without data', async () => {
    const s = sample();
    const npx = 40 * 40;
    s.stack.data.fill(Number.NaN, 3 * npx, 4 * npx);
    expect(message(await run(s), 'dropped-frames')).toBe(
      `1 frame(s) without usable data left out: ${s.stack.energies[3]} eV`
    );
  });

  it('unassigned: many pixels far from every phase (the latent flag of the GMVAE methods)', () => {
    const counts = {
      particle: 1000,
      ambiguous: 10,
      resolved: 10,
      transition: 0,
      falseAssignment: 0
    };
    expect(countWarnings({ ...counts, unassigned: 120 }, 0.005, true)).toEqual([
      {
        code: 'unassigned',
        level: 'warning',
        message:
          '12 % of the particle is far from every reference phase: a phase may be missing from the references'
      }
    ]);
    expect(countWarnings({ ...counts, unassigned: 20 }, 0.005, true)).toEqual([]);
  });
});
