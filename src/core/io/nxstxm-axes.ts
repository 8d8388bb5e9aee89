/**
 * Which dimension of an NXstxm signal is which axis. Writers say it in three
 * ways, tried in this order:
 *
 * 1. NeXus 2014: the data group's `axes` attribute (one name per dimension,
 *    "." for none) and `<axis>_indices` attributes (SLS PolLux, ALS, writers
 *    that follow the current NXstxm);
 * 2. the signal dataset's own `axes` attribute ("energy:sample_y:sample_x");
 * 3. older NeXus: each axis dataset carries `axis = k` (1-based dimension),
 *    the signal `signal = 1` (older Diamond I08 files: `photon_energy`).
 *
 * Dimensions still unnamed are matched to the axis datasets by length, and
 * last by the usual order (energy, y, x). Nothing here swaps x and y: a role
 * comes from a name, never from a guess about which side is longer.
 */
import type { Dataset, Group } from 'h5wasm';

import { child, isDataset, stringArrayAttr, toFloat64 } from './h5.js';

/** What a dimension of the signal is. */
export type AxisRole = 'energy' | 'y' | 'x' | 'line' | 'point' | 'zoneplate';

/** How the axis names were found, for the dialect and for messages. */
export type AxisSource =
  'axes attribute' | 'signal axes' | 'axis attributes' | 'lengths' | 'default';

export interface ResolvedAxes {
  /** Axis dataset name per dimension (`undefined`: none). */
  names: (string | undefined)[];
  roles: (AxisRole | undefined)[];
  source: AxisSource;
}

/** The role an axis name stands for. */
export function roleOfName(name: string): AxisRole | undefined {
  const n = name.toLowerCase();
  if (/energy|photon|^e$|^ev$/.test(n)) {
    return 'energy';
  }
  if (/zone.?plate|^zp|_zp|focus|^z$|_z$/.test(n)) {
    return 'zoneplate';
  }
  if (/line/.test(n)) {
    return 'line';
  }
  if (/point|^index$/.test(n)) {
    return 'point';
  }
  if (/(^|[_\s])y(pos|_position)?$|^y\b/.test(n)) {
    return 'y';
  }
  if (/(^|[_\s])x(pos|_position)?$|^x\b/.test(n)) {
    return 'x';
  }
  return undefined;
}

const ENERGY_NAMES = ['energy', 'photon_energy', 'energies'];

/** Name of the energy dataset in the group, if any. */
export function energyDatasetName(group: Group, hint?: string): string | undefined {
  for (const name of [hint, ...ENERGY_NAMES]) {
    if (name && isDataset(child(group, name))) {
      return name;
    }
  }
  return undefined;
}

function intAttr(ds: Dataset | Group, name: string): number | undefined {
  const attr = ds.attrs[name];
  if (!attr) {
    return undefined;
  }
  const v = toFloat64(attr.value);
  return v && v.length >= 1 && Number.isInteger(v[0]) ? v[0] : undefined;
}

function datasetLength(group: Group, name: string): number | undefined {
  const ds = child(group, name);
  if (!isDataset(ds)) {
    return undefined;
  }
  const shape = ds.shape ?? [];
  return shape.length === 0 ? 1 : shape.length === 1 ? shape[0] : undefined;
}

/**
 * @param order order of the image axes when nothing in the file says it:
 *   'yx' (NXstxm, Pixelator) or 'xy' (SOLEIL HERMES writes (energy, x, y)).
 */
export function resolveAxes(
  group: Group,
  signal: Dataset,
  shape: number[],
  order: 'yx' | 'xy' = 'yx'
): ResolvedAxes {
  const rank = shape.length;
  const names: (string | undefined)[] = new Array<string | undefined>(rank).fill(undefined);
  let source: AxisSource | undefined;

  // 1. the group's axes attribute and *_indices
  const groupAxes = stringArrayAttr(group, 'axes');
  if (groupAxes && groupAxes.length > 0) {
    if (groupAxes.length === rank) {
      groupAxes.forEach((a, i) => {
        if (a !== '.' && a !== '') {
          names[i] = a;
        }
      });
    }
    for (const a of groupAxes) {
      const idx = intAttr(group, `${a}_indices`);
      if (idx !== undefined && idx >= 0 && idx < rank && a !== '.') {
        names[idx] = a;
      }
    }
    if (names.some(n => n !== undefined)) {
      source = 'axes attribute';
    }
  }

  // 2. the signal's own axes attribute
  if (!source) {
    const signalAxes = stringArrayAttr(signal, 'axes');
    if (signalAxes && signalAxes.length === rank) {
      signalAxes.forEach((a, i) => (names[i] = a));
      source = 'signal axes';
    }
  }

  // 3. per-field `axis` attributes (1-based), primary=1 preferred
  if (!source) {
    const claims: { dim: number; name: string; primary: boolean }[] = [];
    for (const key of group.keys()) {
      const ds = child(group, key);
      if (!isDataset(ds) || ds === signal) {
        continue;
      }
      const axis = intAttr(ds, 'axis');
      if (axis !== undefined && axis >= 1 && axis <= rank) {
        claims.push({ dim: axis - 1, name: key, primary: intAttr(ds, 'primary') !== 0 });
      }
    }
    claims.sort((a, b) => Number(b.primary) - Number(a.primary));
    for (const c of claims) {
      names[c.dim] ??= c.name;
    }
    if (claims.length > 0) {
      source = 'axis attributes';
    }
  }

  // 4. unnamed dimensions: axis datasets whose length matches one free dimension only
  const used = new Set(names.filter((n): n is string => n !== undefined));
  const candidates = group
    .keys()
    .filter(k => !used.has(k) && roleOfName(k) !== undefined && child(group, k) !== signal);
  let matchedByLength = false;
  for (let d = 0; d < rank; d++) {
    if (names[d] !== undefined) {
      continue;
    }
    const freeSameLength = names.filter((n, i) => n === undefined && shape[i] === shape[d]).length;
    const fits = candidates.filter(k => !used.has(k) && datasetLength(group, k) === shape[d]);
    const roles = new Set(fits.map(roleOfName));
    if (freeSameLength === 1 && fits.length >= 1 && roles.size === 1) {
      names[d] = fits[0];
      used.add(fits[0]);
      matchedByLength = true;
    }
  }
  source ??= matchedByLength ? 'lengths' : undefined;

  // 5. the usual order for what is left
  if (names.some(n => n === undefined)) {
    const image = order === 'xy' ? ['sample_x', 'sample_y'] : ['sample_y', 'sample_x'];
    const defaults: Record<number, string[]> = {
      3: [energyDatasetName(group) ?? 'energy', ...image],
      2: image,
      1: [energyDatasetName(group) ?? 'energy']
    };
    const def = defaults[rank];
    if (def) {
      const taken = new Set(names.map(n => (n ? roleOfName(n) : undefined)));
      def.forEach((name, i) => {
        if (names[i] === undefined && !taken.has(roleOfName(name))) {
          names[i] = name;
        }
      });
      source ??= 'default';
    }
  }

  return {
    names,
    roles: names.map(n => (n === undefined ? undefined : roleOfName(n))),
    source: source ?? 'default'
  };
}
