/**
 * Test writers of the NXstxm dialects, written the way the beamlines write
 * them: a small synthetic file whose every part can be bent into a bad input,
 * the older Diamond I08 layout, ALS multi-region .stxm files.
 */
import h5wasm from 'h5wasm/node';
import type { Group } from 'h5wasm';

import { cubeInOrder, ramp } from '../../test-setup/fixtures.js';
import { writeTreeFile, type GroupSpec } from '../../test-setup/h5-tree.js';

export interface SyntheticOptions {
  shape?: [number, number, number];
  axes?: string[] | null;
  energies?: number[];
  x?: number[];
  y?: number[];
  units?: string;
  scanType?: string | null;
  groupName?: string;
  entryName?: string;
  nxEntry?: boolean;
  /** Mark the detector group NX_class=NXdata (default true). */
  nxData?: boolean;
  data?: Float64Array;
}

/** Write a small NXstxm-like file; every part can be bent to make a bad input. */
export function writeSynthetic(path: string, o: SyntheticOptions = {}): Float64Array {
  const shape = o.shape ?? [3, 4, 5];
  const n = shape.reduce((a, b) => a * b, 1);
  const data = o.data ?? Float64Array.from({ length: n }, (_, i) => 100 + i);
  const file = new h5wasm.File(path, 'w');
  try {
    const entry = file.create_group(o.entryName ?? 'entry1');
    if (o.nxEntry !== false) {
      entry.create_attribute('NX_class', 'NXentry');
    }
    const g: Group = entry.create_group(o.groupName ?? 'counter0');
    if (o.nxData !== false) {
      g.create_attribute('NX_class', 'NXdata');
    }
    g.create_attribute('signal', 'data');
    if (o.axes !== null) {
      g.create_attribute('axes', o.axes ?? ['energy', 'sample_y', 'sample_x']);
    }
    g.create_dataset({ name: 'data', data, shape, dtype: '<d' });
    const axes = o.axes ?? ['energy', 'sample_y', 'sample_x'];
    const lengthOf = (name: string): number => shape[axes.indexOf(name)] ?? shape[0];
    const energies = o.energies ?? Array.from({ length: lengthOf('energy') }, (_, i) => 512 + i);
    g.create_dataset({ name: 'energy', data: Float64Array.from(energies), dtype: '<d' });
    const y = o.y ?? Array.from({ length: lengthOf('sample_y') }, (_, i) => 10 + i * 0.05);
    const x = o.x ?? Array.from({ length: lengthOf('sample_x') }, (_, i) => -5 + i * 0.02);
    g.create_dataset({
      name: 'sample_y',
      data: Float64Array.from(y),
      dtype: '<d'
    }).create_attribute('units', o.units ?? 'µm');
    g.create_dataset({
      name: 'sample_x',
      data: Float64Array.from(x),
      dtype: '<d'
    }).create_attribute('units', o.units ?? 'µm');
    if (o.scanType !== null) {
      g.create_dataset({ name: 'stxm_scan_type', data: [o.scanType ?? 'sample image stack'] });
    }
  } finally {
    file.close();
  }
  return data;
}

/** Older Diamond I08: Counter1, photon_energy, per-field `axis`, `signal = 1`, scan_type. */
export function writeI08Old(
  path: string,
  dims: [number, number, number],
  order: ('e' | 'y' | 'x')[] = ['e', 'y', 'x'],
  extra: Partial<{ scanType: string; energyUnits: string; energies: number[] }> = {}
): void {
  const [ne, ny, nx] = dims;
  const { data, shape } = cubeInOrder(dims, order);
  const axis = (k: 'e' | 'y' | 'x'): number => order.indexOf(k) + 1;
  writeTreeFile(path, {
    children: {
      entry1: {
        attrs: { NX_class: 'NXentry' },
        children: {
          definition: { data: 'NXstxm' },
          scan_type: { data: [extra.scanType ?? 'sample image stack'] },
          Counter1: {
            attrs: { NX_class: 'NXdata' },
            children: {
              data: { data, shape, attrs: { signal: 1 } },
              photon_energy: {
                data: extra.energies ?? ramp(ne, 700, 0.5),
                attrs: { axis: axis('e'), units: extra.energyUnits ?? 'eV' }
              },
              sample_y: { data: ramp(ny, -3, 0.05), attrs: { axis: axis('y'), units: 'um' } },
              sample_x: { data: ramp(nx, 2, 0.03), attrs: { axis: axis('x'), units: 'um' } }
            }
          },
          instrument: { attrs: { NX_class: 'NXinstrument' }, children: { name: { data: ['I08'] } } }
        }
      }
    }
  });
}

export interface AlsRegion {
  dims: [number, number, number] | [number, number];
  scanType: string;
}

/** ALS .stxm: entry0, entry1, … one per region, each a Pixelator-like counter0. */
export function writeAlsMulti(path: string, regions: AlsRegion[]): void {
  const children: Record<string, GroupSpec> = {};
  regions.forEach((r, i) => {
    const image = r.dims.length === 2;
    const dims: [number, number, number] = image
      ? [1, r.dims[0], r.dims[1]]
      : (r.dims as [number, number, number]);
    const { data } = cubeInOrder(dims);
    const shape = image ? [dims[1], dims[2]] : [...dims];
    children[`entry${i}`] = {
      attrs: { NX_class: 'NXentry' },
      children: {
        definition: { data: 'NXstxm' }, // a scalar string
        counter0: {
          attrs: {
            NX_class: 'NXdata',
            signal: 'data',
            axes: image ? ['sample_y', 'sample_x'] : ['energy', 'sample_y', 'sample_x']
          },
          children: {
            data: { data, shape },
            energy: { data: image ? [530] : ramp(dims[0], 525 + i, 1) },
            sample_y: { data: ramp(dims[1], 100 * i, 0.1) },
            sample_x: { data: ramp(dims[2], 100 * i, 0.04) },
            stxm_scan_type: { data: [r.scanType] }
          }
        },
        collection: { children: { beamline: { data: ['ALS 11.0.2'] } } }
      }
    };
  });
  writeTreeFile(path, { children });
}
