/**
 * Reader for aXis2000 / SDF scans: a `.hdr` header beside its data files.
 *
 * - image stacks: `<base>_<c><EEE>.xim` per energy (`<base>_<c><EEE><r>.xim`
 *   for multi-region stacks);
 * - single images, line scans and focus scans: `<base>_<c>.xim`
 *   (`<base>_<c><r>.xim` for several regions);
 * - point spectra: `<base>_<r>.xsp` per region (energy, then one column per channel).
 *
 * `<c>` is the channel letter (a, b, …), `<r>` the region digit. A `.xim`
 * holds tab-separated numbers, one row per QAxis point (y), one column per
 * PAxis point (x). Energies come from `StackAxis.Points`, which is trusted
 * over the per-image `Energy` lines when they disagree (noted in the
 * metadata). Missing trailing frames of a stack (an aborted scan) become NaN
 * frames; any other missing or malformed file is an error naming it.
 */
import { assertStackConsistent, type ScanKind, type Stack } from '../model/stack.js';
import {
  counted,
  field,
  HdrSyntaxError,
  parseHdr,
  structOf,
  type HdrStruct,
  type HdrValue
} from './axis2000-hdr.js';
import { checkMonotonic, checkSize } from './checks.js';
import { StackReadError } from './errors.js';
import { baseName, decodeText, sibling, stripExtension, type FileAccess } from './files.js';
import { readXim, readXsp } from './axis2000-data.js';
import { scanKindOf } from './scan.js';
import { cleanText, lengthToMicrometres } from './text.js';

export interface Axis2000Options {
  /** Region to read: its name ("region 1") or its 0-based index; default the first. */
  region?: string | number;
  /** Channel to read: its name ("PMT") or 0-based index; default the first. */
  channel?: string | number;
}

interface Axis {
  name: string;
  unit: string;
  points: Float64Array;
}

interface Header {
  struct: HdrStruct;
  type: string;
  flags: string;
  kind: ScanKind;
  dwellMs: number | undefined;
  regions: { p: Axis; q: Axis | undefined }[];
  stack: Axis | undefined;
  channels: string[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function parseHeader(text: string, name: string): Header {
  const fail = (reason: string): never => {
    throw new StackReadError(name, reason);
  };
  if (!/ScanDefinition\s*=/.test(text)) {
    fail('not an aXis2000 header (no "ScanDefinition")');
  }
  let struct: HdrStruct;
  try {
    struct = parseHdr(text);
  } catch (err) {
    if (err instanceof HdrSyntaxError) {
      return fail(`aXis2000 header is malformed: ${err.message}`);
    }
    throw err;
  }
  const sd = structOf(struct.ScanDefinition) ?? fail('"ScanDefinition" is not a { } block');
  const type = typeof sd.Type === 'string' ? cleanText(sd.Type, 80) : '';
  const flags = typeof sd.Flags === 'string' ? cleanText(sd.Flags, 80) : '';
  const kind =
    scanKindOf(type, flags) ??
    fail(`scan type "${type}" (flags "${flags}") is not one this reader knows`);
  const axis = (v: HdrValue | undefined, what: string): Axis | undefined => {
    const s = structOf(v);
    if (!s) {
      return undefined;
    }
    const list = counted(s.Points) ?? fail(`${what} has no "Points = (count, …)" list`);
    const values = list.items.map(Number);
    if (list.count !== values.length || values.some(v => !Number.isFinite(v))) {
      fail(`${what} says ${list.count} points but lists ${values.length} numbers`);
    }
    return {
      name: typeof s.Name === 'string' ? cleanText(s.Name, 60) : what,
      unit: typeof s.Unit === 'string' ? s.Unit : '',
      points: Float64Array.from(values)
    };
  };
  const regionList =
    counted(sd.Regions) ?? fail('no "Regions = (count, …)" list in ScanDefinition');
  const regions = regionList.items.map((r, i) => ({
    p: axis(field(r, 'PAxis'), `region ${i} PAxis`) ?? fail(`region ${i} has no PAxis`),
    q: axis(field(r, 'QAxis'), `region ${i} QAxis`)
  }));
  if (regions.length === 0 || regions.length !== regionList.count) {
    fail(`ScanDefinition says ${regionList.count} regions but describes ${regions.length}`);
  }
  const channelList = counted(sd.Channels) ?? counted(struct.Channels);
  const channels = (channelList?.items ?? [])
    .map((c, i) => {
      const n = field(c, 'Name');
      return typeof n === 'string' && n.trim() !== '' ? cleanText(n, 40) : `channel ${i}`;
    })
    .slice(0, LETTERS.length);
  const dwell = typeof sd.Dwell === 'number' && sd.Dwell > 0 ? sd.Dwell : undefined;
  return {
    struct,
    type,
    flags,
    kind,
    dwellMs: dwell,
    regions,
    stack: axis(sd.StackAxis, 'StackAxis'),
    channels: channels.length > 0 ? channels : ['channel 0']
  };
}

/** Names of the data files a header needs (for the page to fetch them next to it). */
export function axis2000DataFiles(hdrText: string, hdrName: string): string[] {
  const h = parseHeader(hdrText, hdrName);
  const base = baseName(stripExtension(hdrName));
  const out: string[] = [];
  h.regions.forEach((_, r) => {
    h.channels.forEach((_c, c) => {
      for (const f of dataFileNames(h, base, r, c)) {
        out.push(f);
      }
    });
  });
  return [...new Set(out)];
}

function dataFileNames(h: Header, base: string, r: number, c: number): string[] {
  const letter = LETTERS[c];
  const multi = h.regions.length > 1;
  const reg = multi ? String(r) : '';
  if (h.kind === 'point spectrum') {
    return [`${base}_${r}.xsp`];
  }
  if (h.kind === 'image stack') {
    const n = h.stack?.points.length ?? 0;
    return Array.from(
      { length: n },
      (_, e) => `${base}_${letter}${String(e).padStart(3, '0')}${reg}.xim`
    );
  }
  return [`${base}_${letter}${reg}.xim`];
}

export function readAxis2000(
  files: FileAccess,
  hdrPath: string,
  displayName = hdrPath,
  options: Axis2000Options = {}
): Stack {
  const fail = (reason: string): never => {
    throw new StackReadError(displayName, reason);
  };
  const size = files.size(hdrPath);
  if (size === undefined) {
    fail('file not found or not readable');
  }
  if (size === 0) {
    fail('file is empty (0 bytes)');
  }
  if ((size ?? 0) > 16 * 2 ** 20) {
    fail(`a ${size} byte header is not an aXis2000 header`);
  }
  const h = parseHeader(decodeText(files.readBytes(hdrPath)), displayName);
  const regionNames = h.regions.map((_, i) => `region ${i}`);
  const r = pick(options.region, regionNames, 'region', fail);
  const c = pick(options.channel, h.channels, 'channel', fail);
  const base = baseName(stripExtension(hdrPath));
  const names = dataFileNames(h, base, r, c);
  const region = h.regions[r];
  const dataFile = (n: string): string => sibling(hdrPath, n);
  const notes: string[] = [];

  let energies: Float64Array;
  let x: Float64Array;
  let y: Float64Array;
  let data: Float32Array;
  let control: Float32Array | undefined;
  let nanFrames: number[] = [];
  let positionUnits: 'µm' | 'pixel' = 'µm';

  const q = region.q;
  if (h.kind === 'image stack' || h.kind === 'image') {
    if (!q) {
      return fail(`region ${r} has no QAxis: not an image`);
    }
    x = toMicrometres(region.p, fail);
    y = toMicrometres(q, fail);
    const nx = x.length;
    const ny = y.length;
    if (h.kind === 'image stack') {
      energies = h.stack?.points ?? fail('an image stack without StackAxis points');
    } else {
      energies = Float64Array.of(h.stack?.points[0] ?? imageEnergy(h.struct, 0, r) ?? Number.NaN);
    }
    const ne = energies.length;
    checkSize([ne, ny, nx], `the ${h.kind} of ${displayName}`, fail);
    if (h.kind === 'image stack') {
      checkMonotonic(energies, 'StackAxis energies', 'eV', fail);
    }
    data = new Float32Array(ne * ny * nx);
    const missing = names.map(n => files.size(dataFile(n)) === undefined);
    const firstMissing = missing.indexOf(true);
    if (firstMissing >= 0) {
      const trailing = firstMissing > 0 && missing.slice(firstMissing).every(Boolean);
      if (!trailing) {
        fail(`missing data file ${names[firstMissing]} (named by ${baseName(displayName)})`);
      }
      nanFrames = Array.from({ length: ne - firstMissing }, (_, i) => firstMissing + i);
      notes.push(
        `frames ${firstMissing}–${ne - 1} have no .xim file (an aborted scan?): kept as NaN frames`
      );
    }
    for (let e = 0; e < ne; e++) {
      const frame = data.subarray(e * ny * nx, (e + 1) * ny * nx);
      if (missing[e]) {
        frame.fill(Number.NaN);
        continue;
      }
      readXim(files.readBytes(dataFile(names[e])), names[e], ny, nx, frame);
    }
    // StackAxis is trusted over the per-image Energy lines
    for (let e = 0; e < ne && h.kind === 'image stack'; e++) {
      const stated = imageEnergy(h.struct, e, r);
      if (stated !== undefined && Math.abs(stated - energies[e]) > 0.01) {
        notes.push(
          `image ${e}: header line says ${stated} eV, StackAxis says ${energies[e]} eV (StackAxis used)`
        );
      }
    }
    const ring = Array.from({ length: ne }, (_, e) => imageRingCurrent(h.struct, e, r));
    if (ne > 1 && ring.every(v => v !== undefined && v > 0)) {
      control = new Float32Array(ne * ny * nx);
      ring.forEach((v, e) => control?.fill(v ?? Number.NaN, e * ny * nx, (e + 1) * ny * nx));
    }
  } else if (h.kind === 'line spectrum' || h.kind === 'focus') {
    if (!q) {
      return fail(`region ${r} has no QAxis: a ${h.kind} needs two axes`);
    }
    const pIsEnergy = /energy/i.test(region.p.name) || /ev/i.test(region.p.unit);
    const grid = new Float32Array(q.points.length * region.p.points.length);
    requireFile(files, dataFile(names[0]), names[0], displayName, fail);
    readXim(
      files.readBytes(dataFile(names[0])),
      names[0],
      q.points.length,
      region.p.points.length,
      grid
    );
    if (h.kind === 'line spectrum') {
      const eAxis = pIsEnergy ? region.p : q;
      const lAxis = pIsEnergy ? q : region.p;
      energies = Float64Array.from(eAxis.points);
      checkMonotonic(energies, `${eAxis.name} energies`, 'eV', fail);
      const along = toMicrometres(lAxis, fail);
      x = Float64Array.from(along, v => v - along[0]);
      y = Float64Array.of(0);
      const ne = energies.length;
      const n = x.length;
      data = new Float32Array(ne * n);
      const nCols = region.p.points.length;
      for (let e = 0; e < ne; e++) {
        for (let i = 0; i < n; i++) {
          data[e * n + i] = pIsEnergy ? grid[i * nCols + e] : grid[e * nCols + i];
        }
      }
    } else {
      energies = Float64Array.of(h.stack?.points[0] ?? Number.NaN);
      x = toMicrometres(region.p, fail);
      y = toMicrometres(q, fail);
      data = grid;
    }
  } else {
    // point spectra: one .xsp per region, each a point
    energies = Float64Array.from(region.p.points);
    checkMonotonic(energies, 'PAxis energies', 'eV', fail);
    const ne = energies.length;
    const points = h.regions.length;
    data = new Float32Array(ne * points);
    for (let k = 0; k < points; k++) {
      const n = dataFileNames(h, base, k, c)[0];
      requireFile(files, dataFile(n), n, displayName, fail);
      const values = readXsp(files.readBytes(dataFile(n)), n, ne, c);
      for (let e = 0; e < ne; e++) {
        data[e * points + k] = values[e];
      }
    }
    x = Float64Array.from({ length: points }, (_, i) => i);
    y = Float64Array.of(0);
    positionUnits = 'pixel';
  }

  const stack: Stack = {
    data,
    energies,
    x,
    y,
    control,
    source: {
      file: displayName,
      format: 'aXis2000 SDF (.hdr + .xim)',
      dialect: h.kind === 'point spectrum' ? 'aXis2000 SDF point spectra (.xsp)' : 'aXis2000 SDF',
      entry: h.regions.length > 1 ? regionNames[r] : undefined,
      regions: h.regions.length > 1 ? regionNames : undefined,
      channel: h.channels[c],
      channels: h.channels.length > 1 ? h.channels : undefined
    },
    metadata: {
      scanType: [h.type, h.flags].filter(Boolean).join(' / '),
      scanKind: h.kind,
      quantity: 'counts',
      dwellMs:
        h.dwellMs !== undefined ? Array.from(energies, () => h.dwellMs as number) : undefined,
      startTime: typeof h.struct.Time === 'string' ? cleanText(h.struct.Time, 80) : undefined,
      title: labelOf(h.struct),
      nanFrames: nanFrames.length ? nanFrames : undefined,
      positionUnits,
      notes: notes.length ? notes : undefined
    }
  };
  if (stack.metadata.nanFrames?.length === energies.length) {
    fail('every frame is missing');
  }
  assertStackConsistent(stack);
  return stack;
}

function labelOf(struct: HdrStruct): string | undefined {
  const label = field(struct.ScanDefinition, 'Label');
  return typeof label === 'string' ? cleanText(label, 120) : undefined;
}

function pick(
  wanted: string | number | undefined,
  names: string[],
  what: string,
  fail: (reason: string) => never
): number {
  if (wanted === undefined) {
    return 0;
  }
  const byIndex = typeof wanted === 'number' ? wanted : /^\d+$/.test(wanted) ? Number(wanted) : -1;
  const i =
    byIndex >= 0 ? byIndex : names.findIndex(n => n.toLowerCase() === String(wanted).toLowerCase());
  if (!(i >= 0 && i < names.length)) {
    fail(`no ${what} "${cleanText(String(wanted), 40)}" (the file has ${names.join(', ')})`);
  }
  return i;
}

function requireFile(
  files: FileAccess,
  path: string,
  name: string,
  hdr: string,
  fail: (reason: string) => never
): void {
  if (files.size(path) === undefined) {
    fail(`missing data file ${name} (named by ${baseName(hdr)})`);
  }
}

function toMicrometres(axis: Axis, fail: (reason: string) => never): Float64Array {
  const f = axis.unit.trim() === '' ? 1 : lengthToMicrometres(axis.unit);
  if (f === undefined) {
    return fail(`axis "${axis.name}" has units "${cleanText(axis.unit, 20)}", not a length`);
  }
  return Float64Array.from(axis.points, v => v * f);
}

function imageStruct(struct: HdrStruct, e: number, r: number): HdrStruct | undefined {
  return structOf(struct[`Image${String(e).padStart(3, '0')}_${r}`]);
}

function imageEnergy(struct: HdrStruct, e: number, r: number): number | undefined {
  const v = imageStruct(struct, e, r)?.Energy;
  return typeof v === 'number' ? v : undefined;
}

function imageRingCurrent(struct: HdrStruct, e: number, r: number): number | undefined {
  const v = imageStruct(struct, e, r)?.StorageRingCurrent;
  return typeof v === 'number' ? v : undefined;
}
