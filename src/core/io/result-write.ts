/**
 * The NeXus/HDF5 result file of DESIGN.md §3: one NXentry whose NXprocess
 * (`/entry/phasemap`) holds an NXdata group (`/entry/phasemap/data`) with the
 * maps, and records the parameters, versions and provenance. `default`
 * attributes lead h5web from the root to the final phase map.
 *
 *   /entry                         NXentry   default=phasemap
 *   /entry/phasemap                NXprocess program, version, date, provenance and warnings (JSON), training losses
 *   /entry/phasemap/data           NXdata    signal=phase, axes=[y, x]
 *     phase            int16  (y, x)      final map, index into phase_names, −1 = background
 *     initial_phase    int16  (y, x)      Pearson argmax
 *     phase_names      strings (N)
 *     pcc              float32 (N, y, x)  Pearson correlation, NaN outside the particle
 *     margin           float32 (y, x)     best − second-best correlation
 *     ambiguous        uint8  (y, x)
 *     latent           float32 (y, x, L)  latent means (L = 0 without a latent model)
 *     confidence       float32 (y, x)
 *     transition, false_assignment, unassigned, mask   uint8 (y, x)
 *     fractions        float64 (N)
 *     phase_mean       float64 (N, L),  phase_covariance float64 (N, L, L)
 *     energy (eV), y, x (µm)
 *   threshold, seed, method, latent_dim, parameters (JSON), versions (JSON),
 *   version_<software>, counts (JSON) and, when pre-processing cropped or binned
 *   the image, crop_y0_y1_x0_x1 and binning, as attributes of the NXprocess and
 *   of the NXdata group.
 */
import type { Group } from 'h5wasm';

import type { PhaseMapResult } from '../model/result.js';
import type { H5Runtime } from './h5.js';

/** What a result file says about where the data came from. */
export interface ResultFileInfo {
  /** The stack file the result was computed from. */
  sourceFile?: string;
  /** The references file. */
  referencesFile?: string;
  /** ISO time of the run (default: now). */
  date?: string;
}

export function writeResult(
  runtime: H5Runtime,
  path: string,
  result: PhaseMapResult,
  info: ResultFileInfo = {}
): void {
  const [ny, nx] = result.shape;
  const n = result.phaseNames.length;
  const l = result.latentDim;
  const file = new runtime.File(path, 'w');
  try {
    file.create_attribute('NX_class', 'NXroot');
    file.create_attribute('default', 'entry');
    file.create_attribute(
      'creator',
      `stxm-phasemap ${result.versions['stxm-phasemap'] ?? ''}`.trim()
    );
    const entry = file.create_group('entry');
    entry.create_attribute('NX_class', 'NXentry');
    entry.create_attribute('default', 'phasemap');
    entry.create_dataset({ name: 'title', data: [`phase map (${result.params.method})`] });
    entry.create_dataset({ name: 'program_name', data: ['stxm-phasemap'] });
    if (info.sourceFile) {
      entry.create_dataset({ name: 'source_file', data: [info.sourceFile] });
    }
    if (info.referencesFile) {
      entry.create_dataset({ name: 'references_file', data: [info.referencesFile] });
    }

    const proc = entry.create_group('phasemap');
    proc.create_attribute('NX_class', 'NXprocess');
    proc.create_attribute('default', 'data');
    proc.create_dataset({ name: 'program', data: ['stxm-phasemap'] });
    proc.create_dataset({
      name: 'version',
      data: [result.versions['stxm-phasemap'] ?? 'unknown']
    });
    proc.create_dataset({ name: 'date', data: [info.date ?? new Date().toISOString()] });
    proc.create_dataset({ name: 'provenance', data: [JSON.stringify(result.provenance)] });
    // how far the map can be trusted: [{code, level, message}, …] as JSON
    proc.create_dataset({ name: 'warnings', data: [JSON.stringify(result.warnings)] });
    proc.create_dataset({ name: 'timings_ms', data: [JSON.stringify(result.timings)] });
    if (result.training) {
      proc.create_dataset({ name: 'training', data: [JSON.stringify(result.training)] });
    }
    proc.create_dataset({
      name: 'training_loss',
      data: Float64Array.from(result.trainingLoss),
      dtype: '<d'
    });
    proc.create_dataset({
      name: 'validation_loss',
      data: Float64Array.from(result.validationLoss),
      dtype: '<d'
    });
    parameterAttributes(proc, result);

    const data = proc.create_group('data');
    data.create_attribute('NX_class', 'NXdata');
    data.create_attribute('signal', 'phase');
    data.create_attribute('axes', ['y', 'x']);
    data.create_attribute('y_indices', 0, null, '<i4');
    data.create_attribute('x_indices', 1, null, '<i4');
    data.create_attribute('auxiliary_signals', [
      'initial_phase',
      'confidence',
      'ambiguous',
      'transition',
      'false_assignment',
      'unassigned',
      'margin'
    ]);
    parameterAttributes(data, result);

    const map2 = [ny, nx];
    data
      .create_dataset({ name: 'phase', data: result.phase, shape: map2, dtype: '<h' })
      .create_attribute('long_name', 'final phase (index into phase_names, -1 = background)');
    data
      .create_dataset({
        name: 'initial_phase',
        data: result.initialPhase,
        shape: map2,
        dtype: '<h'
      })
      .create_attribute('long_name', 'Pearson argmax phase (-1 = background)');
    data.create_dataset({ name: 'phase_names', data: result.phaseNames.slice() });
    data
      .create_dataset({ name: 'pcc', data: result.pcc, shape: [n, ny, nx], dtype: '<f' })
      .create_attribute('long_name', 'Pearson correlation with each reference');
    data.create_dataset({ name: 'margin', data: result.margin, shape: map2, dtype: '<f' });
    data.create_dataset({ name: 'ambiguous', data: result.ambiguous, shape: map2, dtype: '<B' });
    data.create_dataset({ name: 'latent', data: result.latent, shape: [ny, nx, l], dtype: '<f' });
    data.create_dataset({ name: 'confidence', data: result.confidence, shape: map2, dtype: '<f' });
    data.create_dataset({ name: 'transition', data: result.transition, shape: map2, dtype: '<B' });
    data.create_dataset({
      name: 'false_assignment',
      data: result.falseAssignment,
      shape: map2,
      dtype: '<B'
    });
    data.create_dataset({ name: 'unassigned', data: result.unassigned, shape: map2, dtype: '<B' });
    data.create_dataset({ name: 'mask', data: result.mask, shape: map2, dtype: '<B' });
    data.create_dataset({
      name: 'fractions',
      data: Float64Array.from(result.fractions),
      dtype: '<d'
    });
    const means = new Float64Array(n * l);
    const covs = new Float64Array(n * l * l);
    result.phaseGaussians.forEach((g, i) => {
      means.set(g.mean, i * l);
      covs.set(g.cov, i * l * l);
    });
    data.create_dataset({ name: 'phase_mean', data: means, shape: [n, l], dtype: '<d' });
    data.create_dataset({ name: 'phase_covariance', data: covs, shape: [n, l, l], dtype: '<d' });
    data
      .create_dataset({
        name: 'phase_pixels',
        data: Float64Array.from(result.phaseGaussians, g => g.count),
        dtype: '<d'
      })
      .create_attribute(
        'long_name',
        'unambiguous pixels each latent distribution was estimated from'
      );
    data
      .create_dataset({ name: 'energy', data: Float64Array.from(result.energies), dtype: '<d' })
      .create_attribute('units', 'eV');
    const axis = (count: number, step: number): Float64Array =>
      Float64Array.from({ length: count }, (_, i) => i * (Number.isFinite(step) ? step : 1));
    data
      .create_dataset({ name: 'y', data: axis(ny, result.pixelSize.y), dtype: '<d' })
      .create_attribute('units', Number.isFinite(result.pixelSize.y) ? 'µm' : 'pixel');
    data
      .create_dataset({ name: 'x', data: axis(nx, result.pixelSize.x), dtype: '<d' })
      .create_attribute('units', Number.isFinite(result.pixelSize.x) ? 'µm' : 'pixel');
  } finally {
    file.close();
  }
}

function parameterAttributes(group: Group, result: PhaseMapResult): void {
  group.create_attribute('threshold', result.threshold, null, '<d');
  group.create_attribute('seed', result.params.seed, null, '<i8');
  group.create_attribute('method', result.params.method);
  group.create_attribute('latent_dim', result.latentDim, null, '<i4');
  group.create_attribute('parameters', JSON.stringify(result.params));
  group.create_attribute('versions', JSON.stringify(result.versions));
  for (const [name, version] of Object.entries(result.versions)) {
    group.create_attribute(`version_${name.replace(/[^A-Za-z0-9]+/g, '_')}`, version);
  }
  group.create_attribute('counts', JSON.stringify(result.counts));
  if (result.crop) {
    const { y0, y1, x0, x1 } = result.crop;
    // input rows y0 ≤ y < y1, columns x0 ≤ x < x1 (alignment kept the common area)
    group.create_attribute('crop_y0_y1_x0_x1', Int32Array.of(y0, y1, x0, x1), [4], '<i4');
  }
  if (result.binning && result.binning > 1) {
    group.create_attribute('binning', result.binning, null, '<i4');
  }
}
