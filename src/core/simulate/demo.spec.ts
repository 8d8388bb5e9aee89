import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nodeRuntime } from '../../test-setup/fixtures.js';
import type { H5Runtime } from '../io/h5.js';
import { readNxstxm } from '../io/nxstxm.js';
import { simulateDemo, simulateDemoFile } from './demo.js';
import { nvpfAbsorption } from './xanes.js';

let runtime: H5Runtime;
let dir: string;

beforeAll(async () => {
  runtime = await nodeRuntime();
  dir = mkdtempSync(join(tmpdir(), 'stxm-demo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo stack', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateDemo({ seed: 3 }).stack.data;
    const b = simulateDemo({ seed: 3 }).stack.data;
    const c = simulateDemo({ seed: 4 }).stack.data;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('has a core-shell particle whose optical density follows Beer–Lambert', () => {
    const { stack, truth } = simulateDemo({ seed: 1, i0: 1e6 }); // little noise
    const [ny, nx] = [stack.y.length, stack.x.length];
    expect(nx).not.toBe(ny); // non-square on purpose
    const counts = { bg: 0, core: 0, shell: 0 };
    truth.phase.forEach(p => (p === -1 ? counts.bg++ : p === 0 ? counts.core++ : counts.shell++));
    expect(counts.bg).toBeGreaterThan(0);
    expect(counts.core).toBeGreaterThan(50);
    expect(counts.shell).toBeGreaterThan(50);
    // background transmits I0 (scaled by the ring current), the particle absorbs
    const e = stack.energies.indexOf(529.8);
    const centre = Math.floor(ny / 2) * nx + Math.floor(nx / 2);
    const bgPixel = 0;
    const i = (p: number): number => stack.data[e * ny * nx + p];
    const i0 = 1e6 * (stack.control![e * ny * nx + centre] / 400);
    expect(Math.abs(i(bgPixel) / (1e6 * (stack.control![e * ny * nx] / 400)) - 1)).toBeLessThan(
      0.01
    );
    const od = -Math.log(i(centre) / i0);
    // centre: Na3 core, thickness 0.5 µm
    expect(od).toBeCloseTo(0.5 * nvpfAbsorption(529.8, 3.0), 2);
  });

  it('oxidised NVPF absorbs more at the O K pre-edge and its L3 peak moves up', () => {
    expect(nvpfAbsorption(529.8, 4.0)).toBeGreaterThan(nvpfAbsorption(529.8, 3.0) * 1.5);
    const peak = (v: number): number => {
      let best = 0;
      let at = 0;
      for (let e = 512; e < 521; e += 0.05) {
        if (nvpfAbsorption(e, v) > best) {
          best = nvpfAbsorption(e, v);
          at = e;
        }
      }
      return at;
    };
    const shift = peak(4.0) - peak(3.0);
    expect(shift).toBeGreaterThan(0.5);
    expect(shift).toBeLessThan(1.0);
  });

  it('round-trips through the NXstxm writer and reader', () => {
    const path = join(dir, 'demo.h5');
    const written = simulateDemoFile(runtime, path, { seed: 2 });
    const read = readNxstxm(runtime, path, 'demo.h5');
    expect(Array.from(read.energies)).toEqual(Array.from(written.energies));
    expect(read.y.length).toBe(written.y.length);
    expect(read.x.length).toBe(written.x.length);
    expect(Buffer.from(read.data.buffer).equals(Buffer.from(written.data.buffer))).toBe(true);
    expect(read.control).toBeDefined();
    expect(read.metadata.scanType).toBe('sample image stack');
    expect(read.source.dialect).toMatch(/simulator/);
  });
});
