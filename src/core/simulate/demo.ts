/**
 * Demo stacks.
 *
 * - `DEMO_SAMPLE` (demo-sample.ts), the built-in demo stack (what `make demo`, `stxm-phasemap
 *   simulate --out FILE` and the "Open STXM Demo Stack" command give): one NVPF
 *   particle of four grains, each with its own Na3 → Na2.4 → Na2 → Na1 fronts,
 *   so that neighbouring phases meet at fronts and grain boundaries and Pearson
 *   leaves pixels ambiguous for the GMVAE to resolve; 12 sparse energies, the
 *   frames drifting by about half a pixel and the references 0.2 eV off the
 *   stack's energy scale, so that the default alignment and calibration do
 *   visible work. Run finishes in seconds.
 * - `simulateDemo`: a two-phase core–shell particle (Na3 core, Na1 shell) at a
 *   chosen state of charge (`front`), for series of states of charge (the comm
 *   bridge's `simulate`, the example notebook, the comparison view).
 */
import type { H5Runtime } from '../io/h5.js';
import { writeNxstxm } from '../io/nxstxm-write.js';
import type { Stack } from '../model/stack.js';
import { Rng } from './rng.js';
import { nvpfSpectrum } from './xanes.js';

export interface DemoOptions {
  seed?: number;
  /** Rows and columns; non-square on purpose by default. */
  ny?: number;
  nx?: number;
  /** Pixel size in µm. */
  pixelUm?: number;
  /** Incident counts per pixel at full ring current. */
  i0?: number;
  /**
   * Radius of the core–shell front as a fraction of the particle's radius
   * (default 0.6): 0 = all Na1 (charged), 1 = all Na3. The Na1 share of the
   * particle is about 1 − front².
   */
  front?: number;
}

export const DEMO_ENERGIES = [
  512.0, 515.0, 516.2, 517.0, 518.0, 521.5, 523.8, 527.0, 529.8, 531.5, 534.0, 545.0
];

export interface DemoTruth {
  /** Phase index per pixel (0 = Na3, 1 = Na1), −1 outside the particle. */
  phase: Int16Array;
  /** Fraction of the oxidised phase per pixel (0…1). */
  mix: Float32Array;
  phaseNames: string[];
}

export function simulateDemo(options: DemoOptions = {}): { stack: Stack; truth: DemoTruth } {
  const { seed = 1, ny = 48, nx = 64, pixelUm = 0.03, i0 = 3000, front = 0.6 } = options;
  const rng = new Rng(seed);
  const energies = Float64Array.from(DEMO_ENERGIES);
  const ne = energies.length;
  const reduced = nvpfSpectrum(energies, 3.0);
  const oxidised = nvpfSpectrum(energies, 4.0);

  const cy = (ny - 1) / 2;
  const cx = (nx - 1) / 2;
  const ry = ny * 0.38;
  const rx = nx * 0.4;
  const thickness = new Float32Array(ny * nx);
  const mix = new Float32Array(ny * nx);
  const phase = new Int16Array(ny * nx).fill(-1);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const r = Math.hypot((y - cy) / ry, (x - cx) / rx);
      if (r >= 1) {
        continue;
      }
      const i = y * nx + x;
      thickness[i] = 0.1 + 0.4 * Math.sqrt(1 - r * r); // µm, a rounded particle
      // core–shell front at r = front, 2 px wide mixed band
      const pxFromFront = (r - front) * Math.min(rx, ry);
      mix[i] = Math.min(1, Math.max(0, 0.5 + pxFromFront / 2));
      phase[i] = mix[i] < 0.5 ? 0 : 1;
    }
  }

  const data = new Float32Array(ne * ny * nx);
  const control = new Float32Array(ne * ny * nx);
  for (let e = 0; e < ne; e++) {
    for (let p = 0; p < ny * nx; p++) {
      const t = (e * ny * nx + p) / (ne * ny * nx);
      const ring = 400 * (1 - 0.02 * t); // mA, slow decay through the scan
      const mu = (1 - mix[p]) * reduced[e] + mix[p] * oxidised[e];
      const od = thickness[p] * mu;
      control[e * ny * nx + p] = ring;
      data[e * ny * nx + p] = rng.poisson(i0 * (ring / 400) * Math.exp(-od));
    }
  }
  const x = Float64Array.from({ length: nx }, (_, i) => i * pixelUm);
  const y = Float64Array.from({ length: ny }, (_, i) => i * pixelUm);
  return {
    stack: {
      data,
      energies,
      x,
      y,
      control,
      source: { file: 'demo', format: 'NXstxm (HDF5)', dialect: 'STXM PhaseMap simulator' },
      metadata: {
        beamline: 'STXM PhaseMap simulator',
        scanType: 'sample image stack',
        dwellMs: Array.from({ length: ne }, () => 1),
        title: `NVPF demo particle (seed ${seed})`
      }
    },
    truth: { phase, mix, phaseNames: ['Na3', 'Na1'] }
  };
}

/** Make the demo stack and write it as an NXstxm file at `path`. */
export function simulateDemoFile(
  runtime: H5Runtime,
  path: string,
  options: DemoOptions = {}
): Stack {
  const { stack } = simulateDemo(options);
  writeNxstxm(runtime, path, stack);
  return stack;
}
