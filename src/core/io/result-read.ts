/**
 * Reader of the result file written by `writeResult` (result-write.ts): the
 * maps and parameters back as a `PhaseMapResult`. For tests, for re-opening
 * a saved result, and as the executable description of the file layout.
 */
import type { Dataset, Group } from 'h5wasm';

import type {
  LatentGaussian,
  PhaseMapResult,
  PipelineParams,
  ProvenanceStep
} from '../model/result.js';
import { StackReadError } from './errors.js';
import { child, isDataset, isGroup, openHdf5, stringAttr, toFloat64 } from './h5.js';
import { repairString } from './text.js';

export function readResult(
  runtime: H5RuntimeLike,
  path: string,
  displayName = path
): PhaseMapResult {
  const file = openHdf5(runtime, path, displayName);
  try {
    const proc = child(file, 'entry');
    const phasemap = isGroup(proc) ? child(proc, 'phasemap') : null;
    const data = isGroup(phasemap) ? child(phasemap, 'data') : null;
    if (!isGroup(phasemap) || !isGroup(data)) {
      throw new StackReadError(
        displayName,
        'not a phase-map result (no /entry/phasemap/data group)'
      );
    }
    const ds = (name: string): Dataset => {
      const d = child(data, name);
      if (!isDataset(d)) {
        throw new StackReadError(displayName, `result file lacks /entry/phasemap/data/${name}`);
      }
      return d;
    };
    const shape = ds('phase').shape ?? [];
    if (shape.length !== 2) {
      throw new StackReadError(displayName, 'phase is not a 2-D map');
    }
    const [ny, nx] = shape;
    const f32 = (name: string): Float32Array => Float32Array.from(toFloat64(ds(name).value) ?? []);
    const u8 = (name: string): Uint8Array => Uint8Array.from(toFloat64(ds(name).value) ?? []);
    const i16 = (name: string): Int16Array => Int16Array.from(toFloat64(ds(name).value) ?? []);
    const f64 = (name: string): Float64Array => toFloat64(ds(name).value) ?? new Float64Array(0);
    const names = ds('phase_names').value;
    const phaseNames = (Array.isArray(names) ? names : [names]).map(v =>
      typeof v === 'string' ? repairString(v) : ''
    );
    const n = phaseNames.length;
    const latentDim = Number(attrNumber(data, 'latent_dim'));
    const means = f64('phase_mean');
    const covs = f64('phase_covariance');
    const pixels = f64('phase_pixels');
    const gaussians: LatentGaussian[] =
      latentDim > 0 && means.length === n * latentDim
        ? phaseNames.map((_, i) => ({
            mean: means.slice(i * latentDim, (i + 1) * latentDim),
            cov: covs.slice(i * latentDim * latentDim, (i + 1) * latentDim * latentDim),
            count: pixels[i] ?? 0
          }))
        : [];
    const params = JSON.parse(stringAttr(data, 'parameters') ?? '{}') as PipelineParams;
    const counts = JSON.parse(stringAttr(data, 'counts') ?? '{}') as PhaseMapResult['counts'];
    const versions = JSON.parse(stringAttr(data, 'versions') ?? '{}') as Record<string, string>;
    const text = (g: Group, name: string): string | null => {
      const d = child(g, name);
      if (!isDataset(d)) {
        return null;
      }
      const v = d.value;
      const first: unknown = Array.isArray(v) ? v[0] : v;
      return typeof first === 'string' ? repairString(first) : null;
    };
    const provenance = JSON.parse(text(phasemap, 'provenance') ?? '[]') as ProvenanceStep[];
    const warnings = JSON.parse(text(phasemap, 'warnings') ?? '[]') as PhaseMapResult['warnings'];
    const timings = JSON.parse(text(phasemap, 'timings_ms') ?? '{}') as PhaseMapResult['timings'];
    const training = text(phasemap, 'training');
    const lossOf = (name: string): number[] => {
      const d = child(phasemap, name);
      return isDataset(d) ? Array.from(toFloat64(d.value) ?? []) : [];
    };
    const step = (axis: Float64Array): number => (axis.length > 1 ? axis[1] - axis[0] : Number.NaN);
    const yUnits = stringAttr(ds('y'), 'units');
    const xUnits = stringAttr(ds('x'), 'units');
    return {
      shape: [ny, nx],
      phaseNames,
      energies: f64('energy'),
      pixelSize: {
        x: xUnits === 'pixel' ? Number.NaN : step(f64('x')),
        y: yUnits === 'pixel' ? Number.NaN : step(f64('y'))
      },
      mask: u8('mask'),
      pcc: f32('pcc'),
      initialPhase: i16('initial_phase'),
      margin: f32('margin'),
      threshold: attrNumber(data, 'threshold'),
      ambiguous: u8('ambiguous'),
      phase: i16('phase'),
      latentDim,
      latent: f32('latent'),
      phaseGaussians: gaussians,
      confidence: f32('confidence'),
      transition: u8('transition'),
      falseAssignment: u8('false_assignment'),
      unassigned: u8('unassigned'),
      fractions: f64('fractions'),
      counts,
      warnings,
      trainingLoss: lossOf('training_loss'),
      validationLoss: lossOf('validation_loss'),
      timings,
      params,
      provenance,
      versions,
      ...(training ? { training: JSON.parse(training) as PhaseMapResult['training'] } : {}),
      ...cropOf(data)
    };
  } finally {
    file.close();
  }
}

type H5RuntimeLike = Parameters<typeof openHdf5>[0];

function attrNumber(group: Group, name: string): number {
  const a = group.attrs[name];
  const v = a ? toFloat64(a.value) : undefined;
  return v && v.length > 0 ? v[0] : Number.NaN;
}

function cropOf(group: Group): Pick<PhaseMapResult, 'crop' | 'binning'> {
  const out: Pick<PhaseMapResult, 'crop' | 'binning'> = {};
  const c = group.attrs.crop_y0_y1_x0_x1;
  const v = c ? toFloat64(c.value) : undefined;
  if (v && v.length === 4) {
    out.crop = { y0: v[0], y1: v[1], x0: v[2], x1: v[3] };
  }
  const b = attrNumber(group, 'binning');
  if (b > 1) {
    out.binning = b;
  }
  return out;
}
