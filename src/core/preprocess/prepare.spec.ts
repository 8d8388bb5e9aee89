import { describe, expect, it } from 'vitest';

import type { ReferenceSet } from '../model/references.js';
import { DEFAULT_PREPROCESS, type PreprocessParams } from '../model/result.js';
import type { Stack } from '../model/stack.js';
import { simulateDemo } from '../simulate/demo.js';
import { Rng } from '../simulate/rng.js';
import { PreprocessError } from './errors.js';
import { i0SpectrumFromStack } from './i0.js';
import { prepareStack } from './prepare.js';

const NE = 6;
const NY = 40;
const NX = 56;
const ENERGIES = [512, 515, 517, 520, 525, 530];
/** True incident intensity per energy (counts at the mean ring current). */
const I0 = [3000, 3300, 2800, 3600, 3100, 2900];

/** OD of the particle per energy at full thickness. */
const MU = [0.3, 0.9, 1.4, 0.7, 1.1, 0.5];

/** A particle of known OD (thickness × MU) on an empty background. */
function knownOd(): Float32Array {
  const od = new Float32Array(NE * NY * NX);
  for (let e = 0; e < NE; e++) {
    for (let y = 0; y < NY; y++) {
      for (let x = 0; x < NX; x++) {
        const r = Math.hypot((y - NY / 2) / (NY * 0.3), (x - NX / 2) / (NX * 0.3));
        const t = r < 1 ? 0.4 + 0.6 * Math.sqrt(1 - r * r) : 0;
        od[(e * NY + y) * NX + x] = t * MU[e];
      }
    }
  }
  return od;
}

function countsStack(
  od: Float32Array,
  opts: { seed?: number; ring?: (e: number, p: number) => number; dwell?: number[] } = {}
): Stack {
  const rng = new Rng(opts.seed ?? 4);
  const npx = NY * NX;
  const data = new Float32Array(od.length);
  const control = opts.ring ? new Float32Array(od.length) : undefined;
  for (let e = 0; e < NE; e++) {
    for (let p = 0; p < npx; p++) {
      const ring = opts.ring ? opts.ring(e, p) : 1;
      if (control) {
        control[e * npx + p] = 300 * ring;
      }
      const dwell = opts.dwell ? opts.dwell[e] : 1;
      data[e * npx + p] = rng.poisson(I0[e] * ring * dwell * Math.exp(-od[e * npx + p]));
    }
  }
  return {
    data,
    energies: Float64Array.from(ENERGIES),
    y: Float64Array.from({ length: NY }, (_, i) => i * 0.03),
    x: Float64Array.from({ length: NX }, (_, i) => i * 0.03),
    control,
    source: { file: 'synthetic.h5', format: 'test', dialect: 'test' },
    metadata: {
      scanType: 'sample image stack',
      dwellMs: opts.dwell ? [...opts.dwell] : undefined
    }
  };
}

/** Mean and RMS of (recovered − true) OD over pixels where the true OD > 0.1, with the expected Poisson RMS. */
function odError(
  recovered: Float32Array,
  truth: Float32Array,
  only?: number
): { bias: number; rms: number; expected: number } {
  let s = 0;
  let s2 = 0;
  let exp2 = 0;
  let n = 0;
  const npx = NY * NX;
  for (let k = 0; k < truth.length; k++) {
    if (truth[k] > 0.1 && (only === undefined || Math.floor(k / npx) === only)) {
      const d = recovered[k] - truth[k];
      s += d;
      s2 += d * d;
      const e = Math.floor(k / npx);
      exp2 += 1 / (I0[e] * Math.exp(-truth[k]));
      n++;
    }
  }
  return { bias: s / n, rms: Math.sqrt(s2 / n), expected: Math.sqrt(exp2 / n) };
}

const params = (p: Partial<PreprocessParams> = {}): PreprocessParams => ({
  ...DEFAULT_PREPROCESS,
  ...p
});

describe('I0 and OD recover a known optical density within noise', () => {
  const truth = knownOd();

  it('inPlace computes the same optical density in the input array; the default leaves the input alone', () => {
    const od = knownOd();
    const kept = countsStack(od);
    const before = Float32Array.from(kept.data);
    const copy = prepareStack(kept);
    expect(kept.data).toEqual(before);
    const consumed = countsStack(od);
    const inPlace = prepareStack(consumed, DEFAULT_PREPROCESS, undefined, { inPlace: true });
    expect(inPlace.stack.data).toBe(consumed.data);
    expect(inPlace.stack.data).toEqual(copy.stack.data);
    expect(inPlace.mask).toEqual(copy.mask);
  });

  it('auto I0 (bright-pixel histogram): I0 within 1 %, OD unbiased, RMS at the Poisson level', () => {
    const stack = countsStack(truth);
    const before = Float32Array.from(stack.data);
    const p = prepareStack(stack, params());
    for (let e = 0; e < NE; e++) {
      expect(Math.abs(p.i0[e] / I0[e] - 1)).toBeLessThan(0.01);
    }
    const err = odError(p.stack.data, truth);
    expect(Math.abs(err.bias)).toBeLessThan(0.01);
    expect(err.rms).toBeLessThan(1.3 * err.expected);
    expect(p.stack.metadata.quantity).toBe('optical density');
    expect(Array.from(stack.data)).toEqual(Array.from(before)); // the input is untouched
    expect(p.provenance.map(s => s.step)).toEqual([
      'input',
      'ring current',
      'I0',
      'optical density',
      'alignment',
      'particle mask',
      'energy shift'
    ]);
    // the mask is the particle
    let agree = 0;
    for (let q = 0; q < NY * NX; q++) {
      agree += Number(truth[q] > 0 === (p.mask[q] === 1));
    }
    expect(agree / (NY * NX)).toBeGreaterThan(0.97);
  });

  it('I0 from a region of interest', () => {
    const p = prepareStack(
      countsStack(truth),
      params({ i0: { mode: 'roi', y0: 0, y1: 6, x0: 0, x1: 10 } })
    );
    for (let e = 0; e < NE; e++) {
      expect(Math.abs(p.i0[e] / I0[e] - 1)).toBeLessThan(0.015);
    }
    expect(Math.abs(odError(p.stack.data, truth).bias)).toBeLessThan(0.015);
    expect(p.provenance.find(s => s.step === 'I0')?.details.mode).toBe('roi');
  });

  it('I0 from a measured spectrum on its own energy grid, at another dwell', () => {
    // I0 measured at 0.5 ms on a 1 eV grid; the stack was measured at 1 ms
    const grid = Array.from({ length: 30 }, (_, i) => 510 + i);
    const values = grid.map(E => {
      const j = ENERGIES.findIndex(x => x >= E);
      if (ENERGIES[j] === E) {
        return I0[j] / 2;
      }
      const a = Math.max(0, j - 1);
      const b = j < 0 ? NE - 1 : j;
      const t = b === a ? 0 : (E - ENERGIES[a]) / (ENERGIES[b] - ENERGIES[a]);
      return ((1 - t) * I0[a] + t * I0[b]) / 2;
    });
    const stack = countsStack(truth, { dwell: [1, 1, 1, 1, 1, 1] });
    const p = prepareStack(
      stack,
      params({ i0: { mode: 'spectrum', values, energies: grid, dwellMs: 0.5 } })
    );
    for (let e = 0; e < NE; e++) {
      expect(p.i0[e]).toBeCloseTo(I0[e], 6);
    }
    expect(Math.abs(odError(p.stack.data, truth).bias)).toBeLessThan(0.01);
  });

  it('I0 from an empty-area scan', () => {
    const empty = countsStack(new Float32Array(NE * NY * NX), { seed: 9 });
    const i0 = i0SpectrumFromStack(empty);
    const p = prepareStack(countsStack(truth), params({ i0 }));
    for (let e = 0; e < NE; e++) {
      expect(Math.abs(p.i0[e] / I0[e] - 1)).toBeLessThan(0.005);
    }
  });

  it('ring current: a beam loss halfway through the stack is normalised away', () => {
    const drop = (e: number): number => (e >= 3 ? 0.7 : 1);
    const stack = countsStack(truth, { ring: e => drop(e) });
    const p = prepareStack(
      stack,
      params({ i0: { mode: 'spectrum', values: I0.map(v => v * 0.85) } })
    );
    // counts were scaled to the mean current (0.85 of full): OD comes back unbiased at every energy
    for (let e = 0; e < NE; e++) {
      expect(Math.abs(odError(p.stack.data, truth, e).bias)).toBeLessThan(0.015);
    }
    const off = prepareStack(
      stack,
      params({ ringCurrent: false, i0: { mode: 'spectrum', values: I0.map(v => v * 0.85) } })
    );
    // without it, the frames before the loss are 0.16 too low, those after 0.19 too high
    expect(odError(off.stack.data, truth, 0).bias).toBeLessThan(-0.14);
    expect(odError(off.stack.data, truth, 5).bias).toBeGreaterThan(0.17);
    expect(p.provenance.find(s => s.step === 'ring current')?.details.applied).toBe(true);
  });

  it('dwell: frames counted twice as long are scaled back', () => {
    const dwell = [1, 2, 1, 2, 1, 1];
    const p = prepareStack(
      countsStack(truth, { dwell }),
      params({ i0: { mode: 'spectrum', values: I0 } })
    );
    expect(Math.abs(odError(p.stack.data, truth).bias)).toBeLessThan(0.01);
    expect(p.provenance.find(s => s.step === 'dwell')?.details.referenceMs).toBe(1);
  });

  it('the demo particle: mask matches the simulated particle', () => {
    const { stack, truth: t } = simulateDemo({ seed: 3 });
    const p = prepareStack(stack, params());
    let agree = 0;
    for (let q = 0; q < t.phase.length; q++) {
      agree += Number(t.phase[q] >= 0 === (p.mask[q] === 1));
    }
    expect(agree / t.phase.length).toBeGreaterThan(0.95);
  });
});

describe('counts that carry no data', () => {
  it('NaN, zero and partly NaN frames are dropped and named', () => {
    const stack = countsStack(knownOd());
    const npx = NY * NX;
    stack.data.fill(Number.NaN, 2 * npx, 3 * npx); // aborted
    stack.data.fill(0, 4 * npx, 5 * npx); // nothing recorded
    stack.data.fill(Number.NaN, 5 * npx, 5 * npx + 100); // 4 % NaN
    const p = prepareStack(stack, params());
    expect(p.droppedFrames).toEqual([2, 4, 5]);
    expect(Array.from(p.stack.energies)).toEqual([512, 515, 520]);
    expect(p.stack.data.length).toBe(3 * npx);
    const step = p.provenance.find(s => s.step === 'drop frames')?.details;
    expect(step).toMatchObject({ allNanEv: [517], allZeroEv: [525], incompleteEv: [530] });
  });

  it('zero and negative counts become NaN, are counted, and leave the mask', () => {
    const stack = countsStack(knownOd());
    const centre = (NY / 2) * NX + NX / 2;
    stack.data[centre] = 0;
    stack.data[NY * NX + centre + 1] = -5;
    const p = prepareStack(stack, params());
    expect(Number.isNaN(p.stack.data[centre])).toBe(true);
    expect(p.mask[centre]).toBe(0);
    expect(p.mask[centre + 1]).toBe(0);
    expect(p.provenance.find(s => s.step === 'optical density')?.details.zeroOrNegativeCounts).toBe(
      2
    );
  });

  it('an all-zero I0 is an error naming the file and the energy', () => {
    const stack = countsStack(knownOd());
    for (let e = 0; e < NE; e++) {
      for (let y = 0; y < 4; y++) {
        stack.data.fill(0, (e * NY + y) * NX, (e * NY + y) * NX + 4);
      }
    }
    expect(() =>
      prepareStack(stack, params({ i0: { mode: 'roi', y0: 0, y1: 4, x0: 0, x1: 4 } }))
    ).toThrow(/^synthetic\.h5: I0 at 512 eV is 0: no incident intensity/);
  });

  it('a stack with no usable frame', () => {
    const stack = countsStack(knownOd());
    stack.data.fill(Number.NaN);
    expect(() => prepareStack(stack, params())).toThrow(PreprocessError);
    expect(() => prepareStack(stack, params())).toThrow(/no usable frame: 6 all NaN/);
  });

  it('bad parameters are named', () => {
    const stack = countsStack(knownOd());
    expect(() => prepareStack(stack, params({ binning: 0 }))).toThrow(
      /parameter preprocess.binning must be an integer in 1…64, not 0/
    );
    expect(() =>
      prepareStack(stack, params({ i0: { mode: 'roi', y0: 0, y1: 99, x0: 0, x1: 4 } }))
    ).toThrow(/I0 region rows 0–99, columns 0–4 is not inside the 40 × 56 image/);
    expect(() => prepareStack(stack, params({ i0: { mode: 'spectrum', values: [1, 2] } }))).toThrow(
      /the I0 spectrum has 2 values for 6 energies/
    );
    expect(() =>
      prepareStack(stack, params({ energyShift: 'sideways' as unknown as number }))
    ).toThrow(/parameter preprocess.energyShift must be "auto", "off" or a shift/);
  });
});

describe('alignment, binning and the OD input path', () => {
  it('aligns, crops and reports the shifts in the prepared stack', () => {
    const stack = countsStack(knownOd());
    const p = prepareStack(stack, params({ align: true }));
    expect(p.shifts.dx.length).toBe(NE);
    // nothing drifted: shifts are tiny and the crop keeps (almost) everything
    expect(
      Math.max(...Array.from(p.shifts.dx, Math.abs), ...Array.from(p.shifts.dy, Math.abs))
    ).toBeLessThan(0.1);
    expect(p.stack.y.length * p.stack.x.length).toBe(p.mask.length);
    expect(p.provenance.find(s => s.step === 'alignment')?.details.interpolation).toBe('linear');
  });

  it('bins 2 × 2', () => {
    const p = prepareStack(countsStack(knownOd()), params({ binning: 2 }));
    expect([p.stack.y.length, p.stack.x.length]).toEqual([NY / 2, NX / 2]);
    expect(p.stack.x[0]).toBeCloseTo(0.015, 12);
    expect(p.mask.length).toBe((NY / 2) * (NX / 2));
  });

  it('an OD stack skips I0 and OD', () => {
    const od = knownOd();
    const stack: Stack = { ...countsStack(od), data: od, control: undefined };
    stack.metadata = { ...stack.metadata, quantity: 'optical density' };
    const p = prepareStack(stack, params());
    expect(Array.from(p.stack.data)).toEqual(Array.from(od));
    expect(p.provenance.map(s => s.step)).toEqual([
      'input',
      'alignment',
      'particle mask',
      'energy shift'
    ]);
  });
});

describe('global energy calibration', () => {
  /** Two smooth XANES-like references on a fine grid. */
  function references(): ReferenceSet {
    const grid = Float64Array.from({ length: 400 }, (_, i) => 505 + i * 0.1);
    const peak = (E: number, c: number, w: number): number => Math.exp(-(((E - c) / w) ** 2));
    return {
      source: 'refs',
      spectra: [
        {
          name: 'A',
          energies: grid,
          values: grid.map(E => 0.2 + peak(E, 516, 1.2) + 0.5 * peak(E, 523, 2))
        },
        {
          name: 'B',
          energies: grid,
          values: grid.map(E => 0.2 + 0.6 * peak(E, 517.5, 1.2) + peak(E, 526, 2))
        }
      ]
    };
  }

  it('finds a 0.4 eV shift between the stack and the references', () => {
    const refs = references();
    const energies = Float64Array.from({ length: 16 }, (_, i) => 512 + i);
    const ne = energies.length;
    const ny = 20;
    const nx = 24;
    const shift = 0.4;
    const at = (s: number, E: number): number => {
      const r = refs.spectra[s];
      const i = Math.round((E - shift - 505) / 0.1);
      return r.values[i];
    };
    const od = new Float32Array(ne * ny * nx);
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const inside = Math.hypot(y - 10, x - 12) < 8;
        const mix = x / nx;
        for (let e = 0; e < ne; e++) {
          od[(e * ny + y) * nx + x] = inside
            ? (1 - mix) * at(0, energies[e]) + mix * at(1, energies[e])
            : 0.01 * (e % 2);
        }
      }
    }
    const stack: Stack = {
      data: od,
      energies,
      y: Float64Array.from({ length: ny }, (_, i) => i),
      x: Float64Array.from({ length: nx }, (_, i) => i),
      source: { file: 'od.h5', format: 'test', dialect: 'test' },
      metadata: { scanType: 'sample image stack', quantity: 'optical density' }
    };
    const p = prepareStack(
      stack,
      params({ energyShift: 'auto', energyRangeEv: 1.5, energyStepEv: 0.1 }),
      refs
    );
    const step = p.provenance.find(s => s.step === 'energy shift')?.details;
    expect(Math.abs((step?.estimatedShiftEv as number) - shift)).toBeLessThan(0.05);
    expect(step?.meanCorrelation as number).toBeGreaterThan(
      step?.meanCorrelationUnshifted as number
    );
    // every pixel here mixes the two references in another proportion, so each
    // quarter of the particle prefers its own shift: the estimate is declined
    expect(step?.decision).toBe('unstable');
    expect(p.energyShiftEv).toBe(0);
    expect(p.warnings.map(w => w.code)).toContain('energy-shift-declined');
  });
});
