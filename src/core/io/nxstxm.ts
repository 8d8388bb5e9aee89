/**
 * Reader for NXstxm files (NeXus/HDF5) through h5wasm, in every dialect seen
 * in the wild:
 *
 * - SLS PolLux / Pixelator: `entry1/counter0` with `axes` and `*_indices`
 *   attributes, `control` ring current (NXmonitor), UTF-8 "µm" unit bytes;
 * - SOLEIL HERMES: `entry1/Counter0`, no attributes;
 * - older Diamond I08: `Counter1`, `photon_energy`, per-field `axis`
 *   attributes, `scan_type` instead of `stxm_scan_type`;
 * - ALS `.stxm`: one `entryN` per region (`entry0…`); the caller picks one,
 *   the first image stack is read by default;
 * - CLS and others: NaN frames from aborted scans (kept, and listed in the
 *   metadata so pre-processing drops them), `definition` scalar or array.
 *
 * Scans that are not image stacks (image, line and point spectra, focus) are
 * read too and named in `metadata.scanKind` (see `ScanKind` for their layout).
 */
import type { Dataset, File as H5File, Group } from 'h5wasm';

import {
  assertStackConsistent,
  type ScanKind,
  type Stack,
  type StackHeader
} from '../model/stack.js';
import { MAX_VALUES } from './checks.js';
import { StackReadError, StackTooLargeError } from './errors.js';
import {
  child,
  describeH5Error,
  isDataset,
  isGroup,
  numericDataset,
  openHdf5,
  stringAttr,
  stringDataset,
  toFloat64,
  type H5RawRead,
  type H5Runtime
} from './h5.js';
import { energyDatasetName } from './nxstxm-axes.js';
import {
  isNumericDataset,
  readCube,
  sumValidCurrent,
  type ReadProgress,
  type RingCurrentDivisor
} from './nxstxm-cube.js';
import { layoutOf, type Layout } from './nxstxm-layout.js';
import {
  applyFrameCurrents,
  beamlineOf,
  dialectOf,
  findControl,
  readControl
} from './nxstxm-meta.js';
import { checkEnergies, positionsOf, type Positions } from './nxstxm-fields.js';
import { cleanText } from './text.js';

export { MAX_VALUES } from './checks.js';

export interface NxstxmOptions {
  /** Entry (region) to read, e.g. "entry1" or "/entry1"; default: the first image stack. */
  entry?: string;
  /** Called as the cube is read (values read, of the total), after each slab. */
  onProgress?: ReadProgress;
  /**
   * A smaller limit than MAX_VALUES where the stack is read (the workbench),
   * with what to tell the user of a larger one.
   */
  limit?: { values: number; advice: string };
  /**
   * Apply the ring current (`control`) as the cube is read, for a stack read
   * for one run that normalises by it (the CLI's `map`): the stack then has
   * `ringCurrentApplied` and no `control`, and never holds the current as a
   * second cube. A stack in optical density is read as it is.
   */
  applyRingCurrent?: boolean;
}

/** One entry (region) of a file, as `info` lists it. */
export interface RegionSummary {
  name: string;
  scanType: string | null;
  kind: ScanKind | null;
  /** Shape of the signal as written in the file. */
  shape: number[] | null;
  /** Why it cannot be read, when it cannot. */
  problem?: string;
}

/**
 * Read one scan of an NXstxm file.
 *
 * @param runtime initialised h5wasm (`h5wasm/node` or browser `h5wasm`)
 * @param path path in h5wasm's file system
 * @param displayName the name used in error messages and in `source.file`
 */
export function readNxstxm(
  runtime: H5Runtime,
  path: string,
  displayName = path,
  options: NxstxmOptions = {}
): Stack {
  return withFile(runtime, path, displayName, file =>
    readFromFile(file, displayName, options, true, plan => plan.readStack(runtime.raw, options))
  );
}

/**
 * What `readNxstxm` would read, but without the cube: the axes, the source,
 * the metadata and the signal's element type. Reads the small datasets and
 * the attributes only, so it takes the same time for any size of stack; the
 * frames' NaN/zero checks (which need the data) are not made.
 */
export function readNxstxmHeader(
  runtime: H5Runtime,
  path: string,
  displayName = path,
  options: NxstxmOptions = {}
): StackHeader {
  return withFile(runtime, path, displayName, file =>
    readFromFile(file, displayName, options, false, plan => plan.header)
  );
}

/** Every entry (region) of an NXstxm file with its scan type and shape, without reading data. */
export function listNxstxmRegions(
  runtime: H5Runtime,
  path: string,
  displayName = path
): RegionSummary[] {
  return withFile(runtime, path, displayName, file => entriesOf(file).map(e => summarise(file, e)));
}

function withFile<T>(runtime: H5Runtime, path: string, name: string, work: (f: H5File) => T): T {
  const file = openHdf5(runtime, path, name);
  try {
    return work(file);
  } catch (err) {
    if (err instanceof StackReadError) {
      throw err;
    }
    throw new StackReadError(name, `could not read the stack: ${describeH5Error(err)}`);
  } finally {
    file.close();
  }
}

/** NXentry groups (or groups named entry…), in natural order: entry0, entry1, …, entry10. */
function entriesOf(file: H5File): string[] {
  return file
    .keys()
    .filter(k => {
      const g = child(file, k);
      return isGroup(g) && (stringAttr(g, 'NX_class') === 'NXentry' || /^entry\d*$/i.test(k));
    })
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** The detector channel groups of an entry: NXdata or `counterN`/`CounterN` holding the signal. */
function dataGroups(entry: Group): { name: string; group: Group }[] {
  const found: { name: string; group: Group; rank: number }[] = [];
  for (const key of entry.keys()) {
    const g = child(entry, key);
    if (!isGroup(g)) {
      continue;
    }
    const counter = /^counter\d+$/i.test(key);
    if (stringAttr(g, 'NX_class') !== 'NXdata' && !counter) {
      continue;
    }
    if (!isDataset(child(g, signalName(g)))) {
      continue;
    }
    found.push({ name: key, group: g, rank: counter ? 0 : 1 });
  }
  found.sort(
    (a, b) => a.rank - b.rank || a.name.localeCompare(b.name, undefined, { numeric: true })
  );
  return found;
}

/** The signal dataset's name: the `signal` attribute, a dataset with `signal=1`, or "data". */
function signalName(group: Group): string {
  const attr = stringAttr(group, 'signal');
  if (attr && isDataset(child(group, attr))) {
    return attr;
  }
  for (const key of group.keys()) {
    const ds = child(group, key);
    if (isDataset(ds) && ds.attrs.signal) {
      const v = toFloat64(ds.attrs.signal.value);
      if (v && v[0] === 1) {
        return key;
      }
    }
  }
  return 'data';
}

function scanTypeOf(entry: Group, group: Group): string | undefined {
  for (const g of [group, entry]) {
    for (const name of ['stxm_scan_type', 'scan_type']) {
      const v = stringDataset(g, name);
      if (v) {
        return cleanText(v, 100);
      }
    }
  }
  return undefined;
}

function summarise(file: H5File, entryName: string): RegionSummary {
  const entry = file.get(entryName) as Group;
  const groups = dataGroups(entry);
  if (groups.length === 0) {
    return { name: entryName, scanType: null, kind: null, shape: null, problem: 'no data group' };
  }
  const { group } = groups[0];
  const signal = child(group, signalName(group)) as Dataset;
  const shape = signal.shape ?? [];
  const scanType = scanTypeOf(entry, group) ?? null;
  let kind: ScanKind | null = null;
  try {
    kind = layoutOf(group, signal, shape, scanType ?? undefined, entryName, orderOf(entry)).kind;
  } catch (err) {
    return { name: entryName, scanType, kind, shape, problem: (err as Error).message };
  }
  return { name: entryName, scanType, kind, shape };
}

/** An entry whose metadata is read and checked; its cube is read on demand. */
interface EntryPlan {
  header: StackHeader;
  readStack(raw?: H5RawRead, options?: NxstxmOptions): Stack;
}

function readFromFile<T>(
  file: H5File,
  name: string,
  options: NxstxmOptions,
  forData: boolean,
  finish: (plan: EntryPlan) => T
): T {
  const entries = entriesOf(file);
  if (entries.length === 0) {
    throw new StackReadError(name, 'no NXentry group: not a NeXus/NXstxm file');
  }
  let chosen: string[];
  if (options.entry !== undefined) {
    const wanted = options.entry.replace(/^\/+/, '');
    if (!entries.includes(wanted)) {
      throw new StackReadError(
        name,
        `no entry "${cleanText(wanted, 80)}" (the file has ${entries.map(e => '/' + e).join(', ')})`
      );
    }
    chosen = [wanted];
  } else {
    // the first image stack, else the first entry with readable data
    const summaries = entries.map(e => summarise(file, e));
    const stack = summaries.find(s => s.kind === 'image stack' && !s.problem);
    const readable = summaries.find(s => s.kind !== null && !s.problem);
    chosen = stack ? [stack.name] : readable ? [readable.name] : entries;
  }
  let firstError: StackReadError | undefined;
  for (const entryName of chosen) {
    const entry = file.get(entryName) as Group;
    const groups = dataGroups(entry);
    if (groups.length === 0) {
      continue;
    }
    try {
      const plan = planEntry(entry, entryName, groups, name, forData);
      if (entries.length > 1) {
        plan.header.source.regions = entries.map(e => '/' + e);
      }
      return finish(plan);
    } catch (err) {
      if (err instanceof StackReadError) {
        firstError ??= err;
        continue;
      }
      throw err;
    }
  }
  if (firstError) {
    throw firstError;
  }
  const definition = stringDataset(file.get(entries[0]) as Group, 'definition');
  throw new StackReadError(
    name,
    `no detector data group (NXdata with a "data" dataset) in ${chosen.map(e => '/' + e).join(', ')}` +
      (definition && !/nxstxm/i.test(definition)
        ? ` (definition "${cleanText(definition, 40)}", not NXstxm)`
        : '')
  );
}

function planEntry(
  entry: Group,
  entryName: string,
  groups: { name: string; group: Group }[],
  name: string,
  forData: boolean
): EntryPlan {
  const { name: groupName, group } = groups[0];
  const sigName = signalName(group);
  const signal = child(group, sigName) as Dataset;
  const shape = signal.shape ?? [];
  const where = `/${entryName}/${groupName}/${sigName}`;
  const fail = (reason: string): never => {
    throw new StackReadError(name, reason);
  };

  if (!isNumericDataset(signal)) {
    fail(`${where} does not hold numbers`);
  }
  const total = shape.reduce((a, b) => a * b, 1);
  if (shape.length > 0 && total === 0) {
    fail(`${where} is empty (shape ${JSON.stringify(shape)})`);
  }
  if (forData && total > MAX_VALUES) {
    fail(
      `${where} is too large to load (shape ${JSON.stringify(shape)}, ${total} values; at most ${MAX_VALUES})`
    );
  }
  const scanType = scanTypeOf(entry, group);
  let layout: Layout;
  try {
    layout = layoutOf(group, signal, shape, scanType, where, orderOf(entry));
  } catch (err) {
    return fail((err as Error).message);
  }
  const { kind, map, dims, axes } = layout;
  const n0 = dims[0];

  // energies
  const eDim = layout.roles.indexOf('energy');
  const eName = eDim >= 0 ? axes.names[eDim] : undefined;
  const energies = checkEnergies(group, energyDatasetName(group, eName), kind, n0, where, fail);

  // positions
  const pos: Positions = positionsOf(group, layout, where, fail);

  const countTime = numericDataset(group, 'count_time');
  const dwellMs =
    countTime && (countTime.length === n0 || countTime.length === 1) && kind !== 'focus'
      ? Array.from({ length: n0 }, (_, i) => countTime[countTime.length === 1 ? 0 : i] * 1000)
      : undefined;
  const beamline = beamlineOf(entry);
  const notes: string[] = [];
  if (axes.source === 'default' && kind === 'image stack') {
    notes.push(
      orderOf(entry) === 'xy'
        ? 'no axis names in the file: read as (energy, x, y), the HERMES order'
        : 'no axis names in the file: read as (energy, y, x), the NXstxm order'
    );
  }
  const signalLongName = stringAttr(signal, 'long_name') ?? stringAttr(signal, 'quantity') ?? '';

  const header: StackHeader = {
    energies,
    x: pos.x,
    y: pos.y,
    hasControl: findControl(entry, shape, dims) !== undefined,
    dtype: dtypeOf(signal),
    source: {
      file: name,
      format: 'NXstxm (HDF5)',
      dialect: dialectOf(name, beamline ?? '', axes.source, entryName),
      entry: `/${entryName}`,
      signal: where,
      channel: groupName,
      channels: groups.length > 1 ? groups.map(g => g.name) : undefined
    },
    metadata: {
      beamline,
      scanType: scanType ?? defaultScanType(kind),
      scanKind: kind,
      quantity: /optical density/i.test(signalLongName) ? 'optical density' : 'counts',
      dwellMs,
      startTime: clean(stringDataset(entry, 'start_time')),
      title: clean(stringDataset(entry, 'title')),
      positionUnits: pos.units,
      notes: notes.length ? notes : undefined
    }
  };

  const readStack = (raw?: H5RawRead, options: NxstxmOptions = {}): Stack => {
    const { onProgress, limit } = options;
    if (limit && total > limit.values) {
      const gib = (n: number): string => ((n * 4) / 2 ** 30).toFixed(1);
      throw new StackTooLargeError(
        name,
        `${where} is too large here: ${gib(total)} GiB as float32 (shape ${JSON.stringify(shape)}), ` +
          `at most ${gib(limit.values)} GiB: ${limit.advice}`,
        total,
        limit.values
      );
    }
    const applying =
      options.applyRingCurrent === true &&
      header.metadata.quantity === 'counts' &&
      shape.length > 0;
    const found = applying ? findControl(entry, shape, dims) : undefined;
    let divisor: RingCurrentDivisor | undefined;
    // the progress of a read in two passes (the current, then signal and current
    // together): a third of the way after the first
    let cubeProgress = onProgress;
    if (found?.full) {
      const { sum, count } = sumValidCurrent(
        found.ds,
        shape,
        raw,
        onProgress && ((done, of) => onProgress(Math.floor(done / 3), of))
      );
      divisor = {
        ds: found.ds,
        mean: count > 0 ? sum / count : Number.NaN,
        skipped: new Float64Array(n0)
      };
      cubeProgress =
        onProgress &&
        ((done, of) => onProgress(done === of ? of : Math.floor((of + 2 * done) / 3), of));
    }
    const { data, stats } = readCube(signal, shape, map, dims, raw, cubeProgress, divisor);
    if (kind !== 'focus' && stats.nanFrames.length === n0) {
      fail(
        n0 === 1 ? `${where} holds only NaN` : `every frame of ${where} is NaN (no data recorded)`
      );
    }
    let control: Float32Array | undefined;
    let ringCurrentApplied: Stack['ringCurrentApplied'];
    if (divisor) {
      ringCurrentApplied = { meanCurrent: divisor.mean, frameSkipped: divisor.skipped };
    } else if (found) {
      ringCurrentApplied = applyFrameCurrents(data, found.ds, dims);
    } else if (!applying) {
      control = readControl(entry, shape, map, dims, raw);
    }
    const { metadata, source } = header;
    const stack: Stack = {
      data,
      energies,
      x: pos.x,
      y: pos.y,
      control,
      ...(ringCurrentApplied ? { ringCurrentApplied } : {}),
      source,
      metadata: {
        beamline: metadata.beamline,
        scanType: metadata.scanType,
        scanKind: metadata.scanKind,
        quantity: metadata.quantity,
        dwellMs: metadata.dwellMs,
        startTime: metadata.startTime,
        title: metadata.title,
        nanFrames: stats.nanFrames.length ? stats.nanFrames : undefined,
        incompleteFrames: stats.incompleteFrames.length ? stats.incompleteFrames : undefined,
        zeroFrames: stats.zeroFrames.length ? stats.zeroFrames : undefined,
        positionUnits: metadata.positionUnits,
        notes: metadata.notes
      }
    };
    assertStackConsistent(stack);
    return stack;
  };
  return { header, readStack };
}

/** The signal's element type as numpy would name it ("float32", "uint16", …). */
function dtypeOf(ds: Dataset): string | undefined {
  try {
    const { type, size, signed } = ds.metadata;
    if (type === 1) {
      return `float${size * 8}`;
    }
    return type === 0 ? `${signed ? 'int' : 'uint'}${size * 8}` : undefined;
  } catch {
    return undefined;
  }
}

/** SOLEIL HERMES writes image stacks as (energy, x, y) without saying so. */
function orderOf(entry: Group): 'yx' | 'xy' {
  return /hermes/i.test(beamlineOf(entry) ?? '') ? 'xy' : 'yx';
}

function clean(text: string | undefined): string | undefined {
  return text === undefined ? undefined : cleanText(text);
}

function defaultScanType(kind: ScanKind): string {
  return kind === 'focus' ? 'sample focus' : `sample ${kind}`;
}
