import { describe, expect, it } from 'vitest';

import { validateParams } from '../model/param-specs.js';
import { realisticCase } from '../simulate/realistic.js';
import { simulateSample } from '../simulate/sample.js';
import { PREPARE_STEPS, prepareStack } from './prepare.js';
import type { PrepareContext, PrepareState } from './steps.js';

/** A drifting stack with a calibration offset: every step has something to do. */
const sample = simulateSample(realisticCase(2).config);

function initialState(): PrepareState {
  const s = sample.stack;
  const [ne, ny, nx] = [s.energies.length, s.y.length, s.x.length];
  return {
    frames: s,
    keep: Array.from({ length: ne }, (_, e) => e),
    data: s.data,
    ny,
    nx,
    y: s.y,
    x: s.x,
    i0: new Float64Array(ne).fill(Number.NaN),
    dx: new Float64Array(ne),
    dy: new Float64Array(ne),
    crop: { y0: 0, y1: ny, x0: 0, x1: nx },
    binning: 1,
    mask: null,
    energyShiftEv: 0
  };
}

describe('pre-processing as a list of steps', () => {
  it('runs frames, ring current/dwell, I0, OD, alignment, binning, mask, calibration, in order', () => {
    expect(PREPARE_STEPS.map(s => s.name.split(':')[0])).toEqual([
      'frames',
      'ring current and dwell',
      'I0',
      'optical density',
      'alignment',
      'binning',
      'particle mask',
      'energy calibration of the references',
      'check'
    ]);
  });

  it('each step returns its own provenance; together they are prepareStack’s', () => {
    const params = validateParams({ preprocess: { binning: 2 } }).preprocess;
    const context: PrepareContext = {
      input: sample.stack,
      file: sample.stack.source.file,
      params,
      references: sample.references,
      isOd: false,
      inPlace: false
    };
    const before = Float32Array.from(sample.stack.data);
    let state = initialState();
    const recorded: Record<string, string[]> = {};
    const all = [];
    const warnings = [];
    for (const step of PREPARE_STEPS) {
      const out = step.run(state, context);
      state = out.state;
      recorded[step.name.split(':')[0]] = out.provenance.map(p => p.step);
      all.push(...out.provenance);
      warnings.push(...out.warnings);
    }
    const prepared = prepareStack(sample.stack, { binning: 2 }, sample.references);
    expect(all).toEqual(prepared.provenance);
    expect(warnings).toEqual(prepared.warnings);
    expect(state.data).toEqual(prepared.stack.data);
    expect(recorded).toMatchObject({
      frames: ['input'],
      'ring current and dwell': ['ring current'],
      I0: ['I0'],
      'optical density': ['optical density'],
      alignment: ['alignment'],
      binning: ['binning'],
      'particle mask': ['particle mask'],
      'energy calibration of the references': ['energy shift']
    });
    // the input's counts are untouched
    expect(sample.stack.data).toEqual(before);
  });

  it('skips ring current, I0 and OD for a stack already in optical density', () => {
    const od = prepareStack(sample.stack, {}, sample.references).stack;
    const again = prepareStack(od, { align: false }, sample.references);
    const steps = again.provenance.map(p => p.step);
    expect(steps).not.toContain('I0');
    expect(steps).not.toContain('optical density');
    expect(steps).not.toContain('ring current');
    expect(again.provenance[0].details.quantity).toBe('optical density');
  });
});
