import { describe, expect, it } from 'vitest';

import { lfpAbsorption } from './lfp.js';
import { LFP, NVPF } from './materials.js';
import { distort } from './mismatch.js';
import { simulateSample } from './sample.js';
import { SCENARIOS, resolveEnergies, scenarioConfig } from './scenarios.js';
import { nvpfAbsorption } from './xanes.js';

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function peakEnergy(mu: (e: number) => number, lo: number, hi: number): number {
  let best = lo;
  for (let e = lo; e <= hi; e += 0.01) {
    if (mu(e) > mu(best)) {
      best = e;
    }
  }
  return best;
}

describe('model spectra', () => {
  it('NVPF: L3 peak moves up 0.5–1 eV per unit of valence, its shoulder fades, the O K pre-edge grows', () => {
    const shift =
      peakEnergy(e => nvpfAbsorption(e, 4.2), 512, 521) -
      peakEnergy(e => nvpfAbsorption(e, 3.0), 512, 521);
    expect(shift / 1.2).toBeGreaterThan(0.5);
    expect(shift / 1.2).toBeLessThan(1.0);
    const shoulder = (v: number): number => nvpfAbsorption(516.6 + 0.8 * (v - 3) - 1.7, v);
    expect(shoulder(3.0)).toBeGreaterThan(shoulder(3.5));
    expect(shoulder(3.5)).toBeGreaterThan(shoulder(4.2));
    expect(nvpfAbsorption(529.8, 4.2)).toBeGreaterThan(nvpfAbsorption(529.8, 3.3));
    expect(nvpfAbsorption(531.5, 4.2)).toBeGreaterThan(nvpfAbsorption(531.5, 3.3));
    // L2 ≈ 7 eV above L3 and broader; edge steps raise the post-edge
    const l2 = peakEnergy(e => nvpfAbsorption(e, 3.0), 521, 527);
    expect(l2 - peakEnergy(e => nvpfAbsorption(e, 3.0), 512, 521)).toBeCloseTo(7.1, 0);
    expect(nvpfAbsorption(549, 3.0)).toBeGreaterThan(nvpfAbsorption(506, 3.0));
  });

  it('LFP: the Fe³⁺ L3 maximum sits ≈2 eV above the Fe²⁺ one', () => {
    const d =
      peakEnergy(e => lfpAbsorption(e, 1), 705, 715) -
      peakEnergy(e => lfpAbsorption(e, 0), 705, 715);
    expect(d).toBeGreaterThan(1.5);
    expect(d).toBeLessThan(2.4);
    expect(LFP.phases.map(p => p.name)).toEqual(['LiFePO4', 'FePO4']);
  });
});

describe('simulateSample', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateSample({ ny: 24, nx: 24, seed: 3 });
    const b = simulateSample({ ny: 24, nx: 24, seed: 3 });
    const c = simulateSample({ ny: 24, nx: 24, seed: 4 });
    expect(bytes(a.stack.data).equals(bytes(b.stack.data))).toBe(true);
    expect(bytes(a.truth.phase).equals(bytes(b.truth.phase))).toBe(true);
    expect(bytes(a.stack.data).equals(bytes(c.stack.data))).toBe(false);
  });

  it('follows Beer–Lambert with the sample’s own (mismatched) spectra at the shifted energies', () => {
    const offset = 0.3;
    const s = simulateSample({
      ny: 32,
      nx: 32,
      i0: 1e9,
      energyOffsetEv: offset,
      mismatch: 1,
      seed: 5,
      ringDecay: 0
    });
    const npx = 32 * 32;
    const ne = s.stack.energies.length;
    // a pure pixel, thickest
    let p = -1;
    for (let q = 0; q < npx; q++) {
      if (s.truth.phase[q] >= 0 && s.truth.fractions[s.truth.phase[q] * npx + q] === 1) {
        if (p < 0 || s.truth.thickness[q] > s.truth.thickness[p]) {
          p = q;
        }
      }
    }
    expect(p).toBeGreaterThanOrEqual(0);
    const n = s.truth.phase[p];
    const own = distort(NVPF.phases[n].absorption, s.truth.distortions[n], NVPF.range);
    for (let e = 0; e < ne; e++) {
      const od = -Math.log(s.stack.data[e * npx + p] / 1e9);
      expect(od).toBeCloseTo(s.truth.thickness[p] * own(s.stack.energies[e] + offset), 3);
    }
    // and the references handed to the engine are the undistorted model
    const ref = s.references.spectra[n];
    const i = ref.energies.findIndex(e => Math.abs(e - 517) < 1e-6);
    expect(ref.values[i]).toBeCloseTo(NVPF.phases[n].absorption(517), 10);
    expect(Math.abs(own(517) - ref.values[i])).toBeGreaterThan(0); // mismatch
  });

  it('has thickness 0.1–0.6 µm on an empty background and 1–3 px mixed bands', () => {
    const s = simulateSample({ morphology: 'core-shell', ny: 64, nx: 64, bandPx: 2, seed: 6 });
    const npx = 64 * 64;
    let bg = 0;
    let mixed = 0;
    for (let p = 0; p < npx; p++) {
      const t = s.truth.thickness[p];
      if (t === 0) {
        bg++;
        expect(s.truth.phase[p]).toBe(-1);
        continue;
      }
      expect(t).toBeGreaterThanOrEqual(0.1 - 1e-6);
      expect(t).toBeLessThanOrEqual(0.6 + 1e-6);
      let sum = 0;
      let max = 0;
      for (let n = 0; n < 5; n++) {
        sum += s.truth.fractions[n * npx + p];
        max = Math.max(max, s.truth.fractions[n * npx + p]);
      }
      expect(sum).toBeCloseTo(1, 5);
      mixed += max < 1 ? 1 : 0;
    }
    expect(bg).toBeGreaterThan(npx * 0.3);
    // two fronts around a ~50 px particle, 2 px wide: a few hundred mixed pixels
    expect(mixed).toBeGreaterThan(100);
    expect(mixed).toBeLessThan(npx * 0.25);
    // Poisson counts on the background: mean ≈ I0 (ring current 400 mA → I0), variance ≈ mean
    const frame = Array.from(s.stack.data.subarray(0, npx)).filter(
      (_, p) => s.truth.thickness[p] === 0
    );
    const mean = frame.reduce((a, b) => a + b, 0) / frame.length;
    const variance = frame.reduce((a, b) => a + (b - mean) ** 2, 0) / frame.length;
    expect(mean / 2000).toBeCloseTo(1, 1);
    expect(variance / mean).toBeGreaterThan(0.8);
    expect(variance / mean).toBeLessThan(1.2);
  });

  it('grains give every phase a place; several particles lie apart on the background', () => {
    const g = simulateSample({ morphology: 'grains', ny: 64, nx: 64, seed: 7 });
    expect(new Set(g.truth.phase.filter(p => p >= 0)).size).toBe(5);
    const parts = simulateSample({ morphology: 'particles', ny: 64, nx: 64, seed: 7 });
    // connected components of the particle support (4-neighbours)
    const seen = new Uint8Array(64 * 64);
    let components = 0;
    for (let p = 0; p < 64 * 64; p++) {
      if (parts.truth.thickness[p] > 0 && !seen[p]) {
        components++;
        const stack = [p];
        seen[p] = 1;
        while (stack.length) {
          const q = stack.pop()!;
          const y = Math.floor(q / 64);
          const x = q % 64;
          for (const [yy, xx] of [
            [y - 1, x],
            [y + 1, x],
            [y, x - 1],
            [y, x + 1]
          ]) {
            const r = yy * 64 + xx;
            if (
              yy >= 0 &&
              yy < 64 &&
              xx >= 0 &&
              xx < 64 &&
              !seen[r] &&
              parts.truth.thickness[r] > 0
            ) {
              seen[r] = 1;
              stack.push(r);
            }
          }
        }
      }
    }
    expect(components).toBeGreaterThanOrEqual(3);
  });

  it('drift moves each frame by the recorded shift', () => {
    const s = simulateSample({
      morphology: 'core-shell',
      ny: 64,
      nx: 64,
      seed: 7,
      driftPx: 0.5,
      i0: 1e7,
      ringDecay: 0
    });
    const npx = 64 * 64;
    const ne = s.stack.energies.length;
    expect(s.truth.shiftX[0]).toBe(0);
    const centroid = (e: number): [number, number] => {
      let w = 0;
      let cy = 0;
      let cx = 0;
      for (let p = 0; p < npx; p++) {
        const inside = -Math.log(Math.max(1, s.stack.data[e * npx + p]) / 1e7) > 0.05 ? 1 : 0;
        w += inside;
        cy += inside * Math.floor(p / 64);
        cx += inside * (p % 64);
      }
      return [cy / w, cx / w];
    };
    const [y0, x0] = centroid(0);
    const [y1, x1] = centroid(ne - 1);
    expect(Math.hypot(s.truth.shiftX[ne - 1], s.truth.shiftY[ne - 1])).toBeGreaterThan(1);
    expect(Math.abs(x1 - x0 - s.truth.shiftX[ne - 1])).toBeLessThan(0.3);
    expect(Math.abs(y1 - y0 - s.truth.shiftY[ne - 1])).toBeLessThan(0.3);
  });

  it('can leave a phase out of the references', () => {
    const s = simulateSample({ ny: 24, nx: 24, referencePhases: [0, 1, 2, 3], seed: 1 });
    expect(s.references.spectra.map(r => r.name)).toEqual(['Na3', 'Na2.4', 'Na2', 'Na1']);
    expect(s.truth.phaseNames).toHaveLength(5);
  });

  it('refuses impossible configurations with a clear message', () => {
    expect(() => simulateSample({ ny: 4, nx: 4 })).toThrow(/at least 8 × 8/);
    expect(() => simulateSample({ referencePhases: [0] })).toThrow(/at least 2 references/);
    expect(() => simulateSample({ samplePhases: [7] })).toThrow(/phase indices/);
  });
});

describe('scenarios and energy specs', () => {
  it('resolve hand-picked, planned, uniform and explicit energies', () => {
    expect(resolveEnergies('hand:8', 'nvpf')).toEqual(NVPF.handPicked[8]);
    expect(resolveEnergies('uniform:5', 'lfp')).toHaveLength(5);
    expect(resolveEnergies('planned:6', 'nvpf')).toHaveLength(6);
    expect(resolveEnergies('512, 530.5,545', 'nvpf')).toEqual([512, 530.5, 545]);
    expect(() => resolveEnergies('700', 'nvpf')).toThrow(/505–550/);
    expect(() => resolveEnergies('planned:2', 'nvpf')).toThrow(/3…200/);
  });

  it('the benchmark has at least eight stacks, with a non-square and an LFP one', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(8);
    const configs = SCENARIOS.map(scenarioConfig);
    expect(configs.some(c => c.ny !== c.nx)).toBe(true);
    expect(configs.some(c => c.material === 'lfp')).toBe(true);
    expect(new Set(configs.map(c => c.energies.length)).size).toBeGreaterThanOrEqual(3);
    expect(Math.min(...configs.map(c => c.i0))).toBeLessThanOrEqual(500);
    expect(Math.max(...configs.map(c => c.i0))).toBeGreaterThanOrEqual(5000);
  });
});
