/**
 * Writers for pre-processed data: the optical-density stack as NeXus
 * (NXstxm layout that this reader, h5py and h5web read back, with the
 * pre-processing in an NXprocess group) and spectra as CSV.
 */
import type { PreparedStack } from '../model/prepared.js';
import { stackShape, type Stack } from '../model/stack.js';
import type { H5Runtime } from './h5.js';
import { writeNxstxm } from './nxstxm-write.js';
import { formatReferenceCsv } from './references-csv.js';

/**
 * `/entry1/counter0/data` holds the OD cube (E, y, x); `/entry1/preprocessing`
 * (NXprocess) holds I0, the frame shifts, the particle mask, the energy shift
 * and the provenance (JSON).
 */
export function writeOdStack(runtime: H5Runtime, path: string, prepared: PreparedStack): void {
  const stack: Stack = {
    ...prepared.stack,
    metadata: { ...prepared.stack.metadata, quantity: 'optical density' }
  };
  writeNxstxm(runtime, path, stack);
  const [, ny, nx] = stackShape(stack);
  const file = new runtime.File(path, 'a');
  try {
    const entry = file.get('entry1');
    if (!entry || !('create_group' in entry)) {
      throw new Error('entry1 missing after writing');
    }
    const proc = entry.create_group('preprocessing');
    proc.create_attribute('NX_class', 'NXprocess');
    proc.create_dataset({ name: 'program', data: ['stxm-phasemap'] });
    proc.create_dataset({ name: 'i0', data: Float64Array.from(prepared.i0), dtype: '<d' });
    proc
      .create_dataset({ name: 'shift_x', data: Float64Array.from(prepared.shifts.dx), dtype: '<d' })
      .create_attribute('units', 'pixel');
    proc
      .create_dataset({ name: 'shift_y', data: Float64Array.from(prepared.shifts.dy), dtype: '<d' })
      .create_attribute('units', 'pixel');
    proc.create_dataset({ name: 'mask', data: prepared.mask, shape: [ny, nx], dtype: '<B' });
    proc
      .create_dataset({
        name: 'energy_shift',
        data: Float64Array.of(prepared.energyShiftEv),
        dtype: '<d'
      })
      .create_attribute('units', 'eV');
    proc.create_dataset({ name: 'provenance', data: [JSON.stringify(prepared.provenance)] });
  } finally {
    file.close();
  }
}

/** Mean spectrum of the pixels where `mask` is 1 (NaN values skipped). */
export function meanSpectrum(stack: Stack, mask: Uint8Array): Float64Array {
  const [ne, ny, nx] = stackShape(stack);
  const npx = ny * nx;
  return Float64Array.from({ length: ne }, (_, e) => {
    let s = 0;
    let n = 0;
    for (let p = 0; p < npx; p++) {
      const v = stack.data[e * npx + p];
      if (mask[p] && Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    return n > 0 ? s / n : Number.NaN;
  });
}

/** Spectra on one energy grid as the reference CSV of DESIGN.md §3. */
export function formatSpectraCsv(
  energies: ArrayLike<number>,
  spectra: { name: string; values: ArrayLike<number> }[]
): string {
  return formatReferenceCsv(
    spectra.map(s => s.name),
    energies,
    (i, e) => spectra[i].values[e]
  );
}
