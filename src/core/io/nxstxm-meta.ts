/** Ring current, beamline and dialect of an NXstxm entry. */
import type { Group } from 'h5wasm';

import { child, isDataset, isGroup, stringAttr, stringDataset, toFloat64 } from './h5.js';
import { isNumericDataset, readCube, type DimMap } from './nxstxm-cube.js';
import { cleanText } from './text.js';

/** The ring current: an NXmonitor group (`control`) whose data has the signal's shape, or one value per frame. */
export function readControl(
  entry: Group,
  shape: number[],
  map: DimMap,
  dims: [number, number, number]
): Float32Array | undefined {
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
      return readCube(ds, shape, map, dims).data;
    }
    const perFrame = toFloat64(ds.value);
    if (perFrame && perFrame.length === dims[0] && dims[0] > 1) {
      const frame = dims[1] * dims[2];
      const out = new Float32Array(dims[0] * frame);
      for (let e = 0; e < dims[0]; e++) {
        out.fill(perFrame[e], e * frame, (e + 1) * frame);
      }
      return out;
    }
  }
  return undefined;
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
