import { describe, expect, it } from 'vitest';

import { prepareStack } from '../../core/preprocess/prepare.js';
import { simulateSample } from '../../core/simulate/sample.js';
import { preprocessDecisions } from './decisions.js';

const DRIFTING = { material: 'nvpf', morphology: 'grains', driftPx: 0.3, seed: 5 } as const;

describe('pre-processing decisions', () => {
  it('a drifting, offset stack: frames aligned, the estimated shift applied, with the numbers', () => {
    const s = simulateSample({ ...DRIFTING, energyOffsetEv: 0.3 });
    const [align, calibration] = preprocessDecisions(
      prepareStack(s.stack, {}, s.references).provenance
    );
    expect(align).toMatchObject({
      key: 'alignment',
      title: 'Alignment (automatic)',
      applied: true
    });
    expect(align.text).toMatch(
      /^measured drift 1\.\d px \(aligns from 0\.25 px\): frames aligned to the 5\d\d(\.\d+)? eV frame, cropped to rows/
    );
    expect(calibration).toMatchObject({ title: 'Energy calibration (automatic)', applied: true });
    expect(calibration.text).toMatch(
      /^estimated shift of the references −0\.2\d eV \(mean correlation 0\.9\d\d → 0\.9\d\d\): applied$/
    );
  });

  it('a steady, calibrated stack: neither applied, and why', () => {
    const s = simulateSample({ ...DRIFTING, driftPx: 0 });
    const [align, calibration] = preprocessDecisions(
      prepareStack(s.stack, {}, s.references).provenance
    );
    expect(align.applied).toBe(false);
    expect(align.text).toMatch(
      /^measured drift 0\.\d+ px: frames not aligned \(drift below 0\.25 px\)$/
    );
    expect(calibration.applied).toBe(false);
    expect(calibration.text).toMatch(/: not applied \(no gain\)$/);
  });

  it('alignment off, a fixed shift, and calibration without references', () => {
    const s = simulateSample({ ...DRIFTING, energyOffsetEv: 0.3 });
    const steps = prepareStack(
      s.stack,
      { align: false, energyShift: 0.5 },
      s.references
    ).provenance;
    const [align, calibration] = preprocessDecisions(steps);
    expect(align.title).toBe('Alignment (off)');
    expect(align.text).toMatch(/frames not aligned \(turned off\)$/);
    expect(calibration.title).toBe('Energy calibration (fixed)');
    expect(calibration.text).toMatch(
      /^references shifted by \+0\.50 eV; the data fit best at −0\.\d\d eV/
    );
    const none = preprocessDecisions(prepareStack(s.stack, {}).provenance)[1];
    expect(none).toMatchObject({ applied: null, text: 'not estimated: no references given' });
    const off = preprocessDecisions(prepareStack(s.stack, { energyShift: 0 }).provenance)[1];
    expect(off.title).toBe('Energy calibration (off)');
  });
});
