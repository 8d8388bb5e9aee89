/**
 * Shared helpers for the Node tests: h5wasm for Node, temporary folders, the
 * real shared data, and the synthetic cube every format's writer fills (each
 * pixel tells where it is). The writers of each format sit beside their
 * readers (src/core/io/*.fixtures.ts, src/core/preprocess/align.fixtures.ts);
 * any HDF5 tree: h5-tree.ts.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import h5wasm from 'h5wasm/node';

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

export const ramp = (n: number, start = 0, step = 1): number[] =>
  Array.from({ length: n }, (_, i) => start + i * step);

/** The value the synthetic cubes hold at (e, y, x): every pixel tells where it is. */
export const cubeValue = (e: number, y: number, x: number): number =>
  1000 * e + 100 + 10 * y + x / 10;

/**
 * A cube (E, y, x) laid out in the file's order of dimensions `order` (e.g.
 * ['x', 'y', 'e']), holding `value(e, y, x)` (default: `cubeValue`).
 */
export function cubeInOrder(
  [ne, ny, nx]: [number, number, number],
  order: ('e' | 'y' | 'x')[] = ['e', 'y', 'x'],
  value: (e: number, y: number, x: number) => number = cubeValue
): { data: Float64Array; shape: number[] } {
  const sizes = { e: ne, y: ny, x: nx };
  const shape = order.map(k => sizes[k]);
  const data = new Float64Array(ne * ny * nx);
  let k = 0;
  const idx = { e: 0, y: 0, x: 0 };
  for (let a = 0; a < shape[0]; a++) {
    for (let b = 0; b < shape[1]; b++) {
      for (let c = 0; c < shape[2]; c++) {
        idx[order[0]] = a;
        idx[order[1]] = b;
        idx[order[2]] = c;
        data[k++] = value(idx.e, idx.y, idx.x);
      }
    }
  }
  return { data, shape };
}
