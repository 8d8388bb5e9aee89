/**
 * How an NXstxm signal maps onto a Stack: which dimension is energy, y, x
 * (or line, point, zone plate), and so which kind of scan it is. The written
 * scan type, when it names a kind, must agree with the data.
 */
import type { Dataset, Group } from 'h5wasm';

import type { ScanKind } from '../model/stack.js';
import { numericDataset } from './h5.js';
import { energyDatasetName, resolveAxes, type AxisRole, type ResolvedAxes } from './nxstxm-axes.js';
import type { DimMap } from './nxstxm-cube.js';
import { scanKindOf } from './scan.js';

/** How the signal maps onto a Stack, and the axes that go with it. */
export interface Layout {
  kind: ScanKind;
  map: DimMap;
  dims: [number, number, number];
  roles: (AxisRole | undefined)[];
  axes: ResolvedAxes;
}

export function layoutOf(
  group: Group,
  signal: Dataset,
  shape: number[],
  scanType: string | undefined,
  where: string,
  order: 'yx' | 'xy' = 'yx'
): Layout {
  const rank = shape.length;
  if (rank < 1 || rank > 3) {
    throw new Error(
      `${where} has ${rank} dimension(s) (shape ${JSON.stringify(shape)}); an STXM scan has 1 to 3`
    );
  }
  const axes = resolveAxes(group, signal, shape, order);
  const roles = [...axes.roles];
  const declared = scanType ? scanKindOf(scanType) : undefined;
  const dimOf = (role: AxisRole): number | null => {
    const i = roles.indexOf(role);
    return i < 0 ? null : i;
  };

  // Spectra without axis names: the energy dimension is the one as long as the energy axis.
  if ((declared === 'line spectrum' || declared === 'point spectrum') && dimOf('energy') === null) {
    const eName = energyDatasetName(group);
    const ne = eName ? (numericDataset(group, eName)?.length ?? -1) : -1;
    const matches = shape.map((n, i) => (n === ne ? i : -1)).filter(i => i >= 0);
    if (matches.length === 1) {
      roles[matches[0]] = 'energy';
    }
  }
  if (declared === 'line spectrum' || declared === 'point spectrum') {
    const other = declared === 'line spectrum' ? 'line' : 'point';
    roles.forEach((r, i) => {
      if (r !== 'energy' && rank === 2) {
        roles[i] = other;
      }
    });
  }
  if (declared === 'focus' && rank === 2 && dimOf('zoneplate') === null) {
    // the other axis of a focus scan is the line; the zone plate is whichever is left
    roles.forEach((r, i) => {
      if (r !== 'line' && r !== 'x' && r !== 'y') {
        roles[i] = 'zoneplate';
      }
    });
  }

  const has = (...rs: AxisRole[]): boolean =>
    rs.every(r => roles.includes(r)) && roles.every(r => r !== undefined && rs.includes(r));
  let inferred: ScanKind | undefined;
  let map: DimMap | undefined;
  if (rank === 3 && has('energy', 'y', 'x')) {
    inferred = 'image stack';
    map = [dimOf('energy'), dimOf('y'), dimOf('x')];
  } else if (rank === 2 && has('y', 'x')) {
    inferred = 'image';
    map = [null, dimOf('y'), dimOf('x')];
  } else if (rank === 2 && (has('energy', 'line') || has('energy', 'x') || has('energy', 'y'))) {
    inferred = 'line spectrum';
    map = [dimOf('energy'), null, roles.findIndex(r => r !== 'energy')];
  } else if (rank === 2 && has('energy', 'point')) {
    inferred = 'point spectrum';
    map = [dimOf('energy'), null, dimOf('point')];
  } else if (rank === 1 && has('energy')) {
    inferred = 'point spectrum';
    map = [0, null, null];
  } else if (rank === 2 && roles.includes('zoneplate')) {
    inferred = 'focus';
    map = [null, dimOf('zoneplate'), roles.findIndex(r => r !== 'zoneplate')];
  }
  if (!inferred || !map) {
    throw new Error(
      `cannot tell the axes of ${where}: shape ${JSON.stringify(shape)}, axes ${JSON.stringify(axes.names)}`
    );
  }
  if (declared === 'point spectrum' && inferred === 'line spectrum') {
    inferred = 'point spectrum';
  }
  if (declared && declared !== inferred) {
    throw new Error(
      `scan type "${scanType}" does not fit the data: ${where} has shape ${JSON.stringify(shape)} with axes ${JSON.stringify(axes.names)}`
    );
  }
  const dims: [number, number, number] = [
    map[0] === null ? 1 : shape[map[0]],
    map[1] === null ? 1 : shape[map[1]],
    map[2] === null ? 1 : shape[map[2]]
  ];
  return { kind: inferred, map, dims, roles, axes };
}
