/**
 * Reader for NXstxm image stacks (NeXus/HDF5), through h5wasm.
 *
 * Layouts handled here: SLS PolLux / Pixelator (`entry1/counter0` with `axes`
 * and `*_indices` attributes, `control` ring current) and SOLEIL HERMES
 * (`entry1/Counter0`, no attributes). Other dialects are added beside these.
 */
import type { Dataset, File as H5File, Group } from 'h5wasm';

import { assertStackConsistent, type Stack } from '../model/stack.js';
import { StackReadError } from './errors.js';
import {
  child,
  describeH5Error,
  isDataset,
  isGroup,
  numericDataset,
  openHdf5,
  stringArrayAttr,
  stringAttr,
  stringDataset,
  toFloat64,
  type H5Runtime
} from './h5.js';
import { lengthToMicrometres } from './text.js';

const IMAGE_STACK = 'sample image stack';

/** Largest cube the reader accepts (values), far above any real STXM stack. */
export const MAX_VALUES = 2 ** 31 / 4;

/**
 * Read the image stack of an NXstxm file.
 *
 * @param runtime initialised h5wasm (`h5wasm/node` or browser `h5wasm`)
 * @param path path in h5wasm's file system
 * @param displayName the name used in error messages and in `source.file`
 */
export function readNxstxm(runtime: H5Runtime, path: string, displayName = path): Stack {
  const file = openHdf5(runtime, path, displayName);
  try {
    return readFromFile(file, displayName);
  } catch (err) {
    if (err instanceof StackReadError) {
      throw err;
    }
    throw new StackReadError(displayName, `could not read the stack: ${describeH5Error(err)}`);
  } finally {
    file.close();
  }
}

function readFromFile(file: H5File, name: string): Stack {
  const entries = file
    .keys()
    .filter(k => {
      const g = child(file, k);
      return isGroup(g) && (stringAttr(g, 'NX_class') === 'NXentry' || /^entry\d*$/i.test(k));
    })
    .sort();
  if (entries.length === 0) {
    throw new StackReadError(name, 'no NXentry group: not a NeXus/NXstxm file');
  }
  for (const entryName of entries) {
    const entry = file.get(entryName) as Group;
    const dataGroup = findDataGroup(entry);
    if (dataGroup) {
      return readEntry(entry, entryName, dataGroup.name, dataGroup.group, name);
    }
  }
  throw new StackReadError(
    name,
    `no detector data group (NXdata with a "data" dataset) in ${entries.map(e => '/' + e).join(', ')}`
  );
}

/** The detector channel group: an NXdata (or `counterN`) holding a `data` dataset. */
function findDataGroup(entry: Group): { name: string; group: Group } | undefined {
  const candidates: { name: string; group: Group; rank: number }[] = [];
  for (const key of entry.keys()) {
    const g = child(entry, key);
    if (!isGroup(g)) {
      continue;
    }
    const nxClass = stringAttr(g, 'NX_class');
    const counter = /^counter\d+$/i.test(key);
    if (nxClass !== 'NXdata' && !counter) {
      continue;
    }
    const signal = stringAttr(g, 'signal') ?? 'data';
    if (!isDataset(child(g, signal))) {
      continue;
    }
    // counter0 before counter1 before any other NXdata
    candidates.push({ name: key, group: g, rank: counter ? 0 : 1 });
  }
  candidates.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  return candidates[0];
}

function readEntry(
  entry: Group,
  entryName: string,
  groupName: string,
  group: Group,
  name: string
): Stack {
  const signalName = stringAttr(group, 'signal') ?? 'data';
  const signal = child(group, signalName) as Dataset;
  const shape = signal.shape ?? [];
  const scanType = stringDataset(group, 'stxm_scan_type') ?? stringDataset(entry, 'stxm_scan_type');
  const where = `/${entryName}/${groupName}/${signalName}`;

  if (scanType && scanType.toLowerCase() !== IMAGE_STACK) {
    throw new StackReadError(name, `scan type is "${scanType}", not an image stack (${where})`);
  }
  if (shape.length !== 3) {
    throw new StackReadError(
      name,
      `${where} has ${shape.length} dimension(s) (shape ${JSON.stringify(shape)}); an image stack has 3`
    );
  }
  const total = shape[0] * shape[1] * shape[2];
  if (total === 0) {
    throw new StackReadError(name, `${where} is empty (shape ${JSON.stringify(shape)})`);
  }
  if (total > MAX_VALUES) {
    throw new StackReadError(
      name,
      `${where} is too large to load (shape ${JSON.stringify(shape)})`
    );
  }

  // Axis order of the signal: `axes` attribute when present, else (energy, y, x).
  const axes = stringArrayAttr(group, 'axes') ??
    stringArrayAttr(signal, 'axes') ?? ['energy', 'sample_y', 'sample_x'];
  const roleOf = (axis: string): 'energy' | 'y' | 'x' | undefined =>
    /energy/i.test(axis)
      ? 'energy'
      : /_?y$/i.test(axis)
        ? 'y'
        : /_?x$/i.test(axis)
          ? 'x'
          : undefined;
  const roles = axes.map(roleOf);
  if (axes.length !== 3 || new Set(roles).size !== 3 || roles.includes(undefined)) {
    throw new StackReadError(
      name,
      `cannot tell the energy, y and x axes of ${where} from axes=${JSON.stringify(axes)}`
    );
  }
  const axisIndex = {
    energy: roles.indexOf('energy'),
    y: roles.indexOf('y'),
    x: roles.indexOf('x')
  };

  const energies = numericDataset(group, axes[axisIndex.energy]) ?? numericDataset(group, 'energy');
  if (!energies) {
    throw new StackReadError(name, `no energy axis ("${axes[axisIndex.energy]}") beside ${where}`);
  }
  const ne = shape[axisIndex.energy];
  const ny = shape[axisIndex.y];
  const nx = shape[axisIndex.x];
  if (energies.length !== ne) {
    throw new StackReadError(name, `${energies.length} energies for ${ne} frames in ${where}`);
  }
  if (!energies.every(Number.isFinite)) {
    throw new StackReadError(name, `energy axis of ${where} holds non-finite values`);
  }
  const x = readPositions(group, axes[axisIndex.x], nx, name, where);
  const y = readPositions(group, axes[axisIndex.y], ny, name, where);

  const data = readCube(signal, axisIndex, [ne, ny, nx]);
  const controlGroup = child(entry, 'control');
  let control: Float32Array | undefined;
  if (isGroup(controlGroup)) {
    const ctl = child(controlGroup, stringAttr(controlGroup, 'signal') ?? 'data');
    if (isDataset(ctl) && JSON.stringify(ctl.shape) === JSON.stringify(shape)) {
      control = readCube(ctl, axisIndex, [ne, ny, nx]);
    }
  }

  const countTime = numericDataset(group, 'count_time');
  const collection = child(entry, 'collection');
  const beamline = isGroup(collection) ? stringDataset(collection, 'beamline') : undefined;
  const dialect = dialectOf(beamline ?? '', stringAttr(group, 'axes') !== undefined);

  const stack: Stack = {
    data,
    energies,
    x,
    y,
    control,
    source: {
      file: name,
      format: 'NXstxm (HDF5)',
      dialect,
      entry: `/${entryName}`,
      signal: where
    },
    metadata: {
      beamline,
      scanType: scanType ?? IMAGE_STACK,
      dwellMs: countTime ? Array.from(countTime, s => s * 1000) : undefined,
      startTime: stringDataset(entry, 'start_time'),
      title: stringDataset(entry, 'title')
    }
  };
  assertStackConsistent(stack);
  return stack;
}

function dialectOf(beamline: string, hasAxesAttribute: boolean): string {
  if (/hermes/i.test(beamline)) {
    return 'SOLEIL HERMES';
  }
  if (/stxm phasemap/i.test(beamline)) {
    return 'STXM PhaseMap simulator (PolLux layout)';
  }
  if (/pollux/i.test(beamline) || hasAxesAttribute) {
    return 'SLS PolLux (Pixelator)';
  }
  return 'NXstxm';
}

function readPositions(
  group: Group,
  axisName: string,
  n: number,
  name: string,
  where: string
): Float64Array {
  const ds = child(group, axisName);
  if (!isDataset(ds)) {
    // No positions: index the pixels (pixel size then reads as 1 "µm" step, flagged by units).
    return Float64Array.from({ length: n }, (_, i) => i);
  }
  const values = toFloat64(ds.value);
  if (!values || values.length !== n) {
    throw new StackReadError(
      name,
      `axis "${axisName}" has ${values?.length ?? 0} values for ${n} pixels in ${where}`
    );
  }
  const units = stringAttr(ds, 'units');
  const factor = units === undefined || units.trim() === '' ? 1 : lengthToMicrometres(units);
  if (factor === undefined) {
    throw new StackReadError(name, `axis "${axisName}" has units "${units}", not a length`);
  }
  if (factor !== 1) {
    for (let i = 0; i < values.length; i++) {
      values[i] *= factor;
    }
  }
  return values;
}

/**
 * The signal as float32 in (E, y, x) order. Reads one frame at a time when the
 * file is already in that order, so at most one frame of float64 is held
 * beside the float32 cube.
 */
function readCube(
  ds: Dataset,
  axisIndex: { energy: number; y: number; x: number },
  [ne, ny, nx]: [number, number, number]
): Float32Array {
  const out = new Float32Array(ne * ny * nx);
  const frameSize = ny * nx;
  if (axisIndex.energy === 0 && axisIndex.y === 1 && axisIndex.x === 2) {
    for (let e = 0; e < ne; e++) {
      const frameValues = ds.slice([[e, e + 1], [], []]);
      out.set(toFloat32(frameValues, frameSize), e * frameSize);
    }
    return out;
  }
  const all = toFloat32(ds.value, ne * ny * nx);
  const shape = ds.shape as number[];
  const strides = [shape[1] * shape[2], shape[2], 1];
  const se = strides[axisIndex.energy];
  const sy = strides[axisIndex.y];
  const sx = strides[axisIndex.x];
  let k = 0;
  for (let e = 0; e < ne; e++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        out[k++] = all[e * se + y * sy + x * sx];
      }
    }
  }
  return out;
}

function toFloat32(values: unknown, expected: number): Float32Array {
  if (values instanceof Float32Array && values.length === expected) {
    return values;
  }
  const f64 = toFloat64(values);
  if (!f64 || f64.length !== expected) {
    throw new TypeError(
      `detector data is not numeric or has ${f64?.length ?? 0} values for ${expected}`
    );
  }
  return Float32Array.from(f64);
}
