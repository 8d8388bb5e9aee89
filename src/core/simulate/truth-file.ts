/**
 * The simulator's ground truth as a small NeXus/HDF5 file, readable by h5py
 * (`h5py.File(p)['/entry/truth/phase'][()]`) and h5web:
 *
 *   /entry/truth (NXdata, signal=phase, axes=[y, x])
 *     phase          int16  (y, x)     dominant phase, index into phase_names, −1 = background
 *     phase_names    strings (N)       the material's phases
 *     fractions      float32 (N, y, x) fraction of each phase (mixed bands: strictly between 0 and 1)
 *     thickness      float32 (y, x)    µm
 *     energy         float64 (E)       frame energy labels, eV
 *     shift_y, shift_x float64 (E)     frame drift applied, px
 *     sample_energy, sample_spectra    the sample's own spectra (N, G) — the references distorted
 *   attributes: config (JSON of the simulation), distortions (JSON), seed
 */
import type { H5Runtime } from '../io/h5.js';
import type { SampleTruth } from './sample.js';

export function writeTruth(
  runtime: H5Runtime,
  path: string,
  truth: SampleTruth,
  energies: ArrayLike<number>
): void {
  const { ny, nx } = truth.config;
  const n = truth.phaseNames.length;
  const file = new runtime.File(path, 'w');
  try {
    file.create_attribute('NX_class', 'NXroot');
    file.create_attribute('default', 'entry');
    const entry = file.create_group('entry');
    entry.create_attribute('NX_class', 'NXentry');
    entry.create_attribute('default', 'truth');
    entry.create_dataset({ name: 'title', data: ['STXM PhaseMap simulator ground truth'] });
    const g = entry.create_group('truth');
    g.create_attribute('NX_class', 'NXdata');
    g.create_attribute('signal', 'phase');
    g.create_attribute('axes', ['y', 'x']);
    g.create_attribute('auxiliary_signals', ['thickness']);
    g.create_attribute('config', JSON.stringify(truth.config));
    g.create_attribute('distortions', JSON.stringify(truth.distortions));
    g.create_attribute('seed', truth.config.seed, null, '<i8');
    g.create_dataset({ name: 'phase', data: truth.phase, shape: [ny, nx], dtype: '<h' });
    g.create_dataset({ name: 'phase_names', data: truth.phaseNames.slice() });
    g.create_dataset({ name: 'fractions', data: truth.fractions, shape: [n, ny, nx], dtype: '<f' });
    g.create_dataset({
      name: 'thickness',
      data: truth.thickness,
      shape: [ny, nx],
      dtype: '<f'
    }).create_attribute('units', 'µm');
    g.create_dataset({
      name: 'energy',
      data: Float64Array.from(energies),
      dtype: '<d'
    }).create_attribute('units', 'eV');
    g.create_dataset({ name: 'shift_y', data: truth.shiftY, dtype: '<d' }).create_attribute(
      'units',
      'pixel'
    );
    g.create_dataset({ name: 'shift_x', data: truth.shiftX, dtype: '<d' }).create_attribute(
      'units',
      'pixel'
    );
    g.create_dataset({
      name: 'sample_energy',
      data: truth.sampleGrid,
      dtype: '<d'
    }).create_attribute('units', 'eV');
    g.create_dataset({
      name: 'sample_spectra',
      data: truth.sampleSpectra,
      shape: [n, truth.sampleGrid.length],
      dtype: '<d'
    });
    const pixelUm = truth.config.pixelUm;
    g.create_dataset({
      name: 'y',
      data: Float64Array.from({ length: ny }, (_, i) => i * pixelUm),
      dtype: '<d'
    }).create_attribute('units', 'µm');
    g.create_dataset({
      name: 'x',
      data: Float64Array.from({ length: nx }, (_, i) => i * pixelUm),
      dtype: '<d'
    }).create_attribute('units', 'µm');
  } finally {
    file.close();
  }
}
