/**
 * The general stack simulator: a material, a morphology, sparse energies and
 * the imperfections of a real acquisition (Poisson counts, frame drift, an
 * energy-calibration offset, ring-current decay, and reference mismatch: the
 * sample's own spectra deviate from the references handed to the engine).
 * Deterministic for a seed. Returns the raw-count stack, the references a
 * user would have, and the ground truth.
 */
import type { ReferenceSet } from '../model/references.js';
import type { Stack } from '../model/stack.js';
import { MATERIALS, referenceGrid, type MaterialId } from './materials.js';
import { distort, randomDistortion, type Distortion } from './mismatch.js';
import { makeLayout, type Morphology } from './morphology.js';
import { Rng } from './rng.js';

export interface SampleConfig {
  material: MaterialId;
  morphology: Morphology;
  seed: number;
  ny: number;
  nx: number;
  /** Pixel size, µm (20–40 nm typical). */
  pixelUm: number;
  /** Energy labels of the frames, eV (what the file says). */
  energies: number[];
  /** Incident counts per pixel at full ring current. */
  i0: number;
  /** Frame drift: rms step of a random walk between frames, px. */
  driftPx: number;
  /** Calibration offset: the photon energy is the label plus this, eV. */
  energyOffsetEv: number;
  /** Reference mismatch level: 0 = the sample's spectra are the references, 1 = typical. */
  mismatch: number;
  /** Width of mixed bands at fronts and grain boundaries, px. */
  bandPx: number;
  /** Particle thickness, rim and maximum, µm. */
  thicknessUm: [number, number];
  /** Relative ring-current decay over the whole scan. */
  ringDecay: number;
  /** Indices (into the material's phases) present in the sample; default all. */
  samplePhases?: number[];
  /** Indices whose references the engine gets; default all. */
  referencePhases?: number[];
}

export const DEFAULT_SAMPLE: SampleConfig = {
  material: 'nvpf',
  morphology: 'core-shell',
  seed: 1,
  ny: 64,
  nx: 64,
  pixelUm: 0.03,
  energies: [512.0, 515.0, 516.2, 517.0, 518.0, 521.5, 523.8, 527.0, 529.8, 531.5, 534.0, 545.0],
  i0: 2000,
  driftPx: 0,
  energyOffsetEv: 0,
  mismatch: 1,
  bandPx: 2,
  thicknessUm: [0.1, 0.6],
  ringDecay: 0.02
};

export interface SampleTruth {
  /** Names of the material's phases; `phase` indexes into it. */
  phaseNames: string[];
  /** Dominant phase per pixel, −1 = background, (y, x). */
  phase: Int16Array;
  /** Fraction of each phase, (N, y, x). */
  fractions: Float32Array;
  /** Thickness, µm, (y, x). */
  thickness: Float32Array;
  /** Frame shifts applied (the sample moved by these), px, one per energy. */
  shiftY: Float64Array;
  shiftX: Float64Array;
  /** The sample's own spectra on the reference grid, (N, grid), and that grid. */
  sampleGrid: Float64Array;
  sampleSpectra: Float64Array;
  distortions: Distortion[];
  config: SampleConfig;
}

export interface SimulatedSample {
  stack: Stack;
  references: ReferenceSet;
  truth: SampleTruth;
}

export function simulateSample(partial: Partial<SampleConfig> = {}): SimulatedSample {
  const config: SampleConfig = { ...DEFAULT_SAMPLE, ...partial };
  const material = MATERIALS[config.material];
  const nAll = material.phases.length;
  const inSample = config.samplePhases ?? material.phases.map((_, i) => i);
  const referenced = config.referencePhases ?? material.phases.map((_, i) => i);
  validate(config, nAll, inSample, referenced);
  const { ny, nx } = config;
  const npx = ny * nx;
  const energies = Float64Array.from(config.energies);
  const ne = energies.length;
  const rng = new Rng(config.seed);

  // where the phases are (in the sample's own phase numbering), then mapped to the material's
  const layout = makeLayout(config.morphology, rng, {
    ny,
    nx,
    phases: inSample.length,
    bandPx: config.bandPx,
    thicknessUm: config.thicknessUm
  });
  const fractions = new Float32Array(nAll * npx);
  inSample.forEach((m, i) =>
    fractions.set(layout.fractions.subarray(i * npx, (i + 1) * npx), m * npx)
  );

  // the sample's own spectra: the references, distorted
  const distortions = material.phases.map(() =>
    randomDistortion(rng, config.mismatch, material.range)
  );
  const own = material.phases.map((ph, n) =>
    distort(e => ph.absorption(e), distortions[n], material.range)
  );

  // OD field per frame at the photon energies (label + calibration offset)
  const mu = new Float64Array(nAll * ne);
  for (let n = 0; n < nAll; n++) {
    for (let e = 0; e < ne; e++) {
      mu[n * ne + e] = own[n](energies[e] + config.energyOffsetEv);
    }
  }
  const shiftY = new Float64Array(ne);
  const shiftX = new Float64Array(ne);
  for (let e = 1; e < ne; e++) {
    shiftY[e] = shiftY[e - 1] + config.driftPx * rng.normal();
    shiftX[e] = shiftX[e - 1] + config.driftPx * rng.normal();
  }

  const data = new Float32Array(ne * npx);
  const control = new Float32Array(ne * npx);
  const field = new Float64Array(npx);
  for (let e = 0; e < ne; e++) {
    for (let p = 0; p < npx; p++) {
      let m = 0;
      for (let n = 0; n < nAll; n++) {
        const f = fractions[n * npx + p];
        if (f > 0) {
          m += f * mu[n * ne + e];
        }
      }
      field[p] = layout.thickness[p] * m;
    }
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const p = y * nx + x;
        const od = bilinear(field, ny, nx, y - shiftY[e], x - shiftX[e]);
        const t = (e * npx + p) / (ne * npx);
        const ring = 400 * (1 - config.ringDecay * t);
        control[e * npx + p] = ring;
        data[e * npx + p] = rng.poisson(config.i0 * (ring / 400) * Math.exp(-od));
      }
    }
  }

  const truthPhase = new Int16Array(npx).fill(-1);
  for (let p = 0; p < npx; p++) {
    if (layout.thickness[p] > 0) {
      let best = 0;
      for (let n = 1; n < nAll; n++) {
        if (fractions[n * npx + p] > fractions[best * npx + p]) {
          best = n;
        }
      }
      truthPhase[p] = best;
    }
  }

  const grid = referenceGrid(material);
  const sampleSpectra = new Float64Array(nAll * grid.length);
  for (let n = 0; n < nAll; n++) {
    for (let i = 0; i < grid.length; i++) {
      sampleSpectra[n * grid.length + i] = own[n](grid[i]);
    }
  }
  const references: ReferenceSet = {
    source: `simulator (${material.id}, exact model spectra)`,
    spectra: referenced.map(m => ({
      name: material.phases[m].name,
      energies: grid,
      values: Float64Array.from(grid, e => material.phases[m].absorption(e)),
      source: 'simulator'
    }))
  };

  const label = `${material.id} ${config.morphology} ${ny}×${nx}, ${ne} energies, I0 ${config.i0}`;
  return {
    stack: {
      data,
      energies,
      y: Float64Array.from({ length: ny }, (_, i) => i * config.pixelUm),
      x: Float64Array.from({ length: nx }, (_, i) => i * config.pixelUm),
      control,
      source: { file: 'simulated', format: 'NXstxm (HDF5)', dialect: 'STXM PhaseMap simulator' },
      metadata: {
        beamline: 'STXM PhaseMap simulator',
        scanType: 'sample image stack',
        dwellMs: Array.from({ length: ne }, () => 1),
        title: `${label} (seed ${config.seed})`
      }
    },
    references,
    truth: {
      phaseNames: material.phases.map(p => p.name),
      phase: truthPhase,
      fractions,
      thickness: layout.thickness,
      shiftY,
      shiftX,
      sampleGrid: grid,
      sampleSpectra,
      distortions,
      config
    }
  };
}

/** Bilinear sample of a (ny, nx) field at fractional (y, x); 0 outside. */
function bilinear(field: Float64Array, ny: number, nx: number, y: number, x: number): number {
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const fy = y - y0;
  const fx = x - x0;
  const at = (yy: number, xx: number): number =>
    yy >= 0 && yy < ny && xx >= 0 && xx < nx ? field[yy * nx + xx] : 0;
  if (fy === 0 && fx === 0) {
    return at(y0, x0);
  }
  return (
    (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
    fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1))
  );
}

function validate(c: SampleConfig, nAll: number, inSample: number[], referenced: number[]): void {
  const bad = (msg: string): never => {
    throw new RangeError(`simulate: ${msg}`);
  };
  if (!(Number.isInteger(c.ny) && Number.isInteger(c.nx) && c.ny >= 8 && c.nx >= 8)) {
    bad(`image size must be at least 8 × 8 px, got ${c.ny} × ${c.nx}`);
  }
  if (c.ny * c.nx > 4096 * 4096) {
    bad(`image size ${c.ny} × ${c.nx} is too large`);
  }
  if (c.energies.length < 1) {
    bad('no energies');
  }
  if (!(c.i0 > 0) || !(c.pixelUm > 0) || !(c.bandPx > 0) || !(c.driftPx >= 0)) {
    bad('I0, pixel size and band width must be > 0, drift ≥ 0');
  }
  for (const list of [inSample, referenced]) {
    if (list.length < 1 || list.some(i => !Number.isInteger(i) || i < 0 || i >= nAll)) {
      bad(`phase indices must lie in 0..${nAll - 1}`);
    }
  }
  if (referenced.length < 2) {
    bad('the engine needs at least 2 references');
  }
}
