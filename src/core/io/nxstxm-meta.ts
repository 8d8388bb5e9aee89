/** Ring current, beamline and dialect of an NXstxm entry. */
import type { Dataset, Group } from 'h5wasm';

import {
  child,
  isDataset,
  isGroup,
  stringAttr,
  stringDataset,
  toFloat64,
  type H5RawRead
} from './h5.js';
import { isNumericDataset, readCube, type DimMap } from './nxstxm-cube.js';
import type { AppliedRingCurrent } from '../model/stack.js';
import { cleanText } from './text.js';

/**
 * The ring current's dataset, found without reading it: an NXmonitor group
 * (`control`) whose data has the signal's shape (`full`), or one value per frame.
 */
export function findControl(
  entry: Group,
  shape: number[],
  dims: [number, number, number]
): { ds: Dataset; full: boolean } | undefined {
  const names = entry.keys().filter(k => {
    const g = child(entry, k);
    return isGroup(g) && (k === 'control' || stringAttr(g, 'NX_class') === 'NXmonitor');
  });
  for (const key of names) {
    const g = child(entry, key) as Group;
    const ds = child(g, stringAttr(g, 'signal') ?? 'data');
    if (!isDataset(ds) || !isNumericDataset(ds)) {
      continue;
    }
    const cshape = ds.shape ?? [];
    if (JSON.stringify(cshape) === JSON.stringify(shape)) {
      return { ds, full: true };
    }
    if (cshape.reduce((a, b) => a * b, 1) === dims[0] && dims[0] > 1) {
      return { ds, full: false };
    }
  }
  return undefined;
}

/** The ring current in the layout of the cube (see `findControl`). */
export function readControl(
  entry: Group,
  shape: number[],
  map: DimMap,
  dims: [number, number, number],
  raw?: H5RawRead
): Float32Array | undefined {
  const found = findControl(entry, shape, dims);
  if (!found) {
    return undefined;
  }
  if (found.full) {
    return readCube(found.ds, shape, map, dims, raw).data;
  }
  const perFrame = toFloat64(found.ds.value);
  if (!perFrame || perFrame.length !== dims[0]) {
    return undefined;
  }
  const frame = dims[1] * dims[2];
  const out = new Float32Array(dims[0] * frame);
  for (let e = 0; e < dims[0]; e++) {
    out.fill(perFrame[e], e * frame, (e + 1) * frame);
  }
  return out;
}

/**
 * A ring current of one value per frame applied to the cube in place, as
 * `normaliseRingCurrent` would apply it filled out to the cube's shape (the
 * same sum, in the same order, and the same arithmetic), for a stack read
 * with `applyRingCurrent`. `undefined` when the values do not fit the frames.
 */
export function applyFrameCurrents(
  cube: Float32Array,
  ds: Dataset,
  dims: [number, number, number]
): AppliedRingCurrent | undefined {
  const perFrame = toFloat64(ds.value);
  if (!perFrame || perFrame.length !== dims[0]) {
    return undefined;
  }
  const frame = dims[1] * dims[2];
  const current = Float32Array.from(perFrame);
  let sum = 0;
  let count = 0;
  for (const c of current) {
    if (c > 0 && Number.isFinite(c)) {
      for (let p = 0; p < frame; p++) {
        sum += c;
      }
      count += frame;
    }
  }
  const mean = count > 0 ? sum / count : Number.NaN;
  const frameSkipped = new Float64Array(dims[0]);
  current.forEach((c, e) => {
    if (!(c > 0 && Number.isFinite(c))) {
      frameSkipped[e] = frame;
      return;
    }
    for (let p = e * frame; p < (e + 1) * frame; p++) {
      cube[p] = (cube[p] * mean) / c;
    }
  });
  return { meanCurrent: mean, frameSkipped };
}

export function beamlineOf(entry: Group): string | undefined {
  const collection = child(entry, 'collection');
  const instrument = child(entry, 'instrument');
  const text =
    (isGroup(collection) ? stringDataset(collection, 'beamline') : undefined) ??
    (isGroup(instrument) ? stringDataset(instrument, 'name') : undefined);
  return text ? cleanText(text, 100) : undefined;
}

export function dialectOf(
  file: string,
  beamline: string,
  axisSource: string,
  entryName: string
): string {
  if (/hermes/i.test(beamline)) {
    return 'SOLEIL HERMES';
  }
  if (/stxm phasemap/i.test(beamline)) {
    return 'STXM PhaseMap simulator (PolLux layout)';
  }
  if (axisSource === 'axis attributes' || /\bi08\b/i.test(beamline)) {
    return axisSource === 'axis attributes'
      ? 'Diamond I08 (older NXstxm: axis attributes)'
      : 'Diamond I08';
  }
  if (
    /\.stxm$/i.test(file) ||
    /\bals\b|11\.0\.2|5\.3\.2|cosmic/i.test(beamline) ||
    entryName === 'entry0'
  ) {
    return 'ALS (one entry per region)';
  }
  if (/\bcls\b|10id|spectromicroscopy/i.test(beamline)) {
    return 'CLS SM';
  }
  if (/maxymus|bessy/i.test(beamline)) {
    return 'BESSY MAXYMUS';
  }
  if (/softimax|max ?iv/i.test(beamline)) {
    return 'MAX IV SoftiMAX';
  }
  if (/pollux/i.test(beamline) || axisSource === 'axes attribute') {
    return 'SLS PolLux (Pixelator)';
  }
  return 'NXstxm';
}
