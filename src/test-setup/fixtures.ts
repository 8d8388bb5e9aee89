/**
 * Shared helpers for the Node tests: h5wasm for Node, temporary folders,
 * synthetic NXstxm files written with h5wasm, and the real shared data.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import h5wasm from 'h5wasm/node';
import type { Group } from 'h5wasm';

import { createH5Runtime, type H5Runtime } from '../core/io/h5.js';

export async function nodeRuntime(): Promise<H5Runtime> {
  return createH5Runtime(h5wasm.File, await h5wasm.ready);
}

export function tempDir(prefix = 'stxm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** ../shared/data, or $STXM_SHARED_DATA. */
export const SHARED_DATA = resolve(
  process.env.STXM_SHARED_DATA ?? new URL('../../../shared/data', import.meta.url).pathname
);
export const REAL_STACK = join(SHARED_DATA, 'stxm', 'sls_pollux_stack_C-K.hdf5');
export const HAVE_SHARED = existsSync(REAL_STACK);
if (!HAVE_SHARED) {
  console.warn(`shared data not found at ${SHARED_DATA}: tests on real beamline files are skipped`);
}

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
