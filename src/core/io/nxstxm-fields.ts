/**
 * The axis fields of an NXstxm data group, checked: energies (eV, finite,
 * strictly monotonic, one per frame) and positions (µm, one per pixel).
 */
import type { Dataset, Group } from 'h5wasm';

import type { ScanKind } from '../model/stack.js';
import { checkMonotonic } from './checks.js';
import { child, isDataset, stringAttr, toFloat64 } from './h5.js';
import type { AxisRole, ResolvedAxes } from './nxstxm-axes.js';
import type { DimMap } from './nxstxm-cube.js';
import { cleanText, energyToEv, lengthToMicrometres } from './text.js';

type Fail = (reason: string) => never;

export interface Positions {
  x: Float64Array;
  y: Float64Array;
  units: 'µm' | 'pixel';
}

/** Energies in eV, one per frame, checked. */
export function checkEnergies(
  group: Group,
  eName: string | undefined,
  kind: ScanKind,
  n: number,
  where: string,
  fail: Fail
): Float64Array {
  const optional = kind === 'image' || kind === 'focus';
  const ds = eName ? child(group, eName) : null;
  if (!isDataset(ds)) {
    return optional
      ? Float64Array.of(Number.NaN)
      : fail(`no energy axis ("energy" or "photon_energy") beside ${where}`);
  }
  const values = toFloat64(safeValue(ds));
  if (!values) {
    return fail(`energy axis "${eName}" of ${where} does not hold numbers`);
  }
  const units = stringAttr(ds, 'units');
  const factor = units === undefined ? 1 : energyToEv(units);
  if (factor === undefined) {
    return fail(`energy axis "${eName}" has units "${cleanText(units ?? '', 40)}", not an energy`);
  }
  if (factor !== 1) {
    for (let i = 0; i < values.length; i++) {
      values[i] *= factor;
    }
  }
  if (optional) {
    return values.length >= 1 ? Float64Array.of(values[0]) : Float64Array.of(Number.NaN);
  }
  if (values.length !== n) {
    return fail(`${values.length} energies for ${n} frames in ${where}`);
  }
  checkMonotonic(values, `energy axis "${eName}" of ${where}`, 'eV', fail);
  return values;
}

function safeValue(ds: Dataset): unknown {
  try {
    return ds.value;
  } catch {
    return undefined;
  }
}

/** A length axis in µm, or `undefined` when the dataset is absent. */
function lengthAxis(
  group: Group,
  name: string | undefined,
  n: number,
  where: string,
  fail: Fail
): Float64Array | undefined {
  const ds = name ? child(group, name) : null;
  if (!isDataset(ds)) {
    return undefined;
  }
  const values = toFloat64(safeValue(ds));
  if (!values || values.length !== n) {
    return fail(`axis "${name}" has ${values?.length ?? 0} values for ${n} pixels in ${where}`);
  }
  const units = stringAttr(ds, 'units');
  const factor = units === undefined || units.trim() === '' ? 1 : lengthToMicrometres(units);
  if (factor === undefined) {
    return fail(`axis "${name}" has units "${cleanText(units ?? '', 40)}", not a length`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      return fail(`axis "${name}" of ${where} holds a non-finite value at index ${i}`);
    }
    values[i] *= factor;
  }
  return values;
}

const indices = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i);

/** Distance along a line from its first point. */
function distanceAlong(x: Float64Array, y: Float64Array): Float64Array {
  return Float64Array.from(x, (xi, i) => Math.hypot(xi - x[0], y[i] - y[0]));
}

export function positionsOf(
  group: Group,
  layout: {
    kind: ScanKind;
    map: DimMap;
    dims: [number, number, number];
    roles: (AxisRole | undefined)[];
    axes: ResolvedAxes;
  },
  where: string,
  fail: Fail
): Positions {
  const { kind, map, dims, axes } = layout;
  const nameOf = (dim: number | null, fallback: string): string =>
    (dim === null ? undefined : axes.names[dim]) ?? fallback;
  const [, ny, nx] = dims;

  if (kind === 'image stack' || kind === 'image') {
    const y = lengthAxis(group, nameOf(map[1], 'sample_y'), ny, where, fail);
    const x = lengthAxis(group, nameOf(map[2], 'sample_x'), nx, where, fail);
    if (x && y) {
      return { x, y, units: 'µm' };
    }
    return { x: indices(nx), y: indices(ny), units: 'pixel' };
  }
  if (kind === 'line spectrum' || kind === 'focus') {
    const sx = lengthAxis(group, 'sample_x', nx, where, fail);
    const sy = lengthAxis(group, 'sample_y', nx, where, fail);
    const line = lengthAxis(group, nameOf(map[2], 'line_position'), nx, where, fail);
    const along =
      sx && sy
        ? distanceAlong(sx, sy)
        : line
          ? Float64Array.from(line, v => v - line[0])
          : undefined;
    if (kind === 'focus') {
      const zp = lengthAxis(group, nameOf(map[1], 'zoneplate_z'), ny, where, fail);
      return {
        x: along ?? indices(nx),
        y: zp ?? indices(ny),
        units: along && zp ? 'µm' : 'pixel'
      };
    }
    return { x: along ?? indices(nx), y: Float64Array.of(0), units: along ? 'µm' : 'pixel' };
  }
  // point spectra: the points are numbered
  return { x: indices(nx), y: Float64Array.of(0), units: 'pixel' };
}
