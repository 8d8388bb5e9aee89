import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { tempDir } from '../../test-setup/fixtures.js';
import { HAVE_VENV, runPython } from '../../test-setup/venv-python.js';
import { parseReferenceCsv } from '../io/references-csv.js';
import { resampleReferences } from '../model/references.js';
import { Rng } from '../simulate/rng.js';
import { ambiguityMap } from './ambiguity.js';
import { pearsonImplementation, pearsonMaps } from './pearson.js';
import { PEARSON_KERNEL_WASM_BASE64 } from './pearson-kernel.js';

const NE = 7;
const NY = 5;
const NX = 6;
const ENERGIES = [512.3, 515.05, 516.2, 517.7, 521.5, 529.8, 545];

/** A small random OD cube and a references CSV on its own, coarser grid. */
function fixture(): { cube: Float32Array; csv: string; mask: Uint8Array } {
  const rng = new Rng(42);
  const npx = NY * NX;
  const cube = new Float32Array(NE * npx);
  for (let i = 0; i < cube.length; i++) {
    cube[i] = 0.2 + rng.uniform() + 0.3 * Math.sin(i);
  }
  // one flat pixel and one masked-out pixel
  for (let e = 0; e < NE; e++) {
    cube[e * npx + 3] = 0.7;
  }
  const mask = new Uint8Array(npx).fill(1);
  mask[5] = 0;
  const lines = ['energy_eV,A,B,C'];
  for (let e = 505; e <= 550; e += 0.5) {
    lines.push(
      `${e},${(1 + Math.sin(e / 3)).toFixed(6)},${(1 + Math.cos(e / 4)).toFixed(6)},${(0.5 + ((e - 505) / 45) ** 2).toFixed(6)}`
    );
  }
  return { cube, csv: lines.join('\n') + '\n', mask };
}

describe('pearsonMaps', () => {
  it.for(['wasm', 'js'] as const)(
    '%s: matches an independent numpy computation to 1e-5 (references resampled by np.interp)',
    (use, { skip }) => {
      if (!HAVE_VENV) {
        skip('.venv/bin/python is absent (make venv)');
      }
      const { cube, csv, mask } = fixture();
      const dir = tempDir('stxm-pearson-');
      const refs = resampleReferences(parseReferenceCsv(csv, 'refs.csv'), ENERGIES);
      const maps = pearsonMaps(cube, NE, refs.values, 3, mask, use);
      writeFileSync(join(dir, 'cube.f32'), Buffer.from(cube.buffer));
      writeFileSync(join(dir, 'refs.csv'), csv);
      writeFileSync(join(dir, 'mask.u8'), Buffer.from(mask.buffer));
      const out = runPython(
        `
import json, sys, numpy as np
d, ne, ny, nx = sys.argv[1], ${NE}, ${NY}, ${NX}
energies = np.array(${JSON.stringify(ENERGIES)})
cube = np.fromfile(d + '/cube.f32', dtype='<f4').astype(np.float64).reshape(ne, ny * nx)
mask = np.fromfile(d + '/mask.u8', dtype=np.uint8)
table = np.loadtxt(d + '/refs.csv', delimiter=',', skiprows=1)
refs = np.array([np.interp(energies, table[:, 0], table[:, k]) for k in (1, 2, 3)])
pcc = np.full((3, ny * nx), np.nan)
for p in range(ny * nx):
    s = cube[:, p]
    if mask[p] and s.std() > 0:
        pcc[:, p] = [np.corrcoef(s, r)[0, 1] for r in refs]
print(json.dumps([None if np.isnan(v) else v for v in pcc.ravel()]))
`,
        [dir]
      );
      const expected = JSON.parse(out) as (number | null)[];
      expect(expected).toHaveLength(maps.pcc.length);
      let compared = 0;
      expected.forEach((v, i) => {
        if (v === null) {
          expect(maps.pcc[i]).toBeNaN();
        } else {
          expect(Math.abs(maps.pcc[i] - v)).toBeLessThan(1e-5);
          compared++;
        }
      });
      expect(compared).toBe(3 * (NY * NX - 2)); // every pixel but the flat and the masked one
    }
  );

  it.each(['wasm', 'js'] as const)(
    '%s: argmax, margin and ambiguity follow the correlations',
    use => {
      const { cube, csv, mask } = fixture();
      const refs = resampleReferences(parseReferenceCsv(csv, 'refs.csv'), ENERGIES);
      const { pcc, initialPhase, margin } = pearsonMaps(cube, NE, refs.values, 3, mask, use);
      const npx = NY * NX;
      expect(initialPhase[3]).toBe(-1); // flat
      expect(initialPhase[5]).toBe(-1); // masked out
      expect(margin[3]).toBeNaN();
      for (let p = 0; p < npx; p++) {
        if (initialPhase[p] < 0) {
          continue;
        }
        const v = [0, 1, 2].map(n => pcc[n * npx + p]).sort((a, b) => b - a);
        expect(pcc[initialPhase[p] * npx + p]).toBe(v[0]);
        expect(margin[p]).toBeCloseTo(v[0] - v[1], 6);
      }
      const amb = ambiguityMap(margin, 0.1);
      for (let p = 0; p < npx; p++) {
        expect(amb[p]).toBe(margin[p] <= 0.1 ? 1 : 0);
      }
    }
  );

  it('refuses fewer than 3 energies and a flat reference', () => {
    expect(() => pearsonMaps(new Float32Array(4), 2, new Float64Array(4), 2)).toThrow(
      /at least 3 energies/
    );
    expect(() => pearsonMaps(new Float32Array(6), 3, Float64Array.of(1, 1, 1, 1, 2, 3), 2)).toThrow(
      /flat/
    );
  });

  it('the wasm kernel runs in Node, and auto picks it', () => {
    expect(pearsonImplementation()).toBe('wasm');
  });

  it.each([
    { name: '5 refs, several blocks, odd pixel count', ne: 20, npx: 9001, nRefs: 5, offset: 0.3 },
    { name: '8 refs (two kernel passes), large offset', ne: 40, npx: 3000, nRefs: 8, offset: 50 },
    { name: '13 refs (three passes), 100 energies', ne: 100, npx: 1201, nRefs: 13, offset: 1 },
    { name: 'one reference (margin +∞)', ne: 6, npx: 33, nRefs: 1, offset: 0 },
    { name: '2 refs, 3 energies, 2 pixels', ne: 3, npx: 2, nRefs: 2, offset: 0 }
  ])('wasm kernel = TypeScript loop to 2e-6: $name', ({ ne, npx, nRefs, offset }) => {
    const rng = new Rng(ne * 1000 + nRefs);
    const refs = new Float64Array(nRefs * ne);
    for (let i = 0; i < refs.length; i++) {
      refs[i] = rng.uniform() + Math.sin(i);
    }
    const cube = new Float32Array(ne * npx);
    for (let p = 0; p < npx; p++) {
      const a = refs.subarray((p % nRefs) * ne, ((p % nRefs) + 1) * ne);
      for (let e = 0; e < ne; e++) {
        cube[e * npx + p] = offset + 0.05 * a[e] + 0.02 * rng.normal();
      }
    }
    const mask = new Uint8Array(npx).fill(1);
    mask[npx - 1] = 0;
    if (npx > 8) {
      for (let e = 0; e < ne; e++) {
        cube[e * npx + 1] = 0.7; // flat
      }
      cube[3 * npx + 2] = Number.NaN; // aborted frame
      cube[2 * npx + 4] = Number.POSITIVE_INFINITY;
    }
    const w = pearsonMaps(cube, ne, refs, nRefs, mask, 'wasm');
    const j = pearsonMaps(cube, ne, refs, nRefs, mask, 'js');
    let analysed = 0;
    let phaseFlips = 0;
    for (let p = 0; p < npx; p++) {
      if (j.initialPhase[p] < 0) {
        expect(w.initialPhase[p]).toBe(-1);
        expect(w.margin[p]).toBeNaN();
        for (let n = 0; n < nRefs; n++) {
          expect(w.pcc[n * npx + p]).toBeNaN();
        }
        continue;
      }
      analysed++;
      for (let n = 0; n < nRefs; n++) {
        expect(Math.abs(w.pcc[n * npx + p] - j.pcc[n * npx + p])).toBeLessThan(2e-6);
      }
      if (nRefs === 1) {
        expect(w.margin[p]).toBe(Number.POSITIVE_INFINITY);
      } else {
        expect(Math.abs(w.margin[p] - j.margin[p])).toBeLessThan(4e-6);
      }
      // the argmax may differ only where the two best are within rounding
      if (w.initialPhase[p] !== j.initialPhase[p]) {
        phaseFlips++;
        expect(j.margin[p]).toBeLessThan(4e-6);
      }
    }
    expect(analysed).toBe(npx > 8 ? npx - 4 : npx - 1);
    expect(phaseFlips).toBeLessThanOrEqual(1);
  });

  it('the checked-in kernel is what wasm/pearson.ts compiles to (npm run build:wasm)', () => {
    const built = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--print', 'pearson'], {
      encoding: 'utf8'
    });
    expect(built.length).toBeGreaterThan(1000);
    expect(built).toBe(PEARSON_KERNEL_WASM_BASE64);
  });
});
