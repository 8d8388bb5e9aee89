/**
 * What `stxm-phasemap info` says about a file: the `StackInfo` of the scan
 * it reads, plus the scan kind, the regions and channels the file holds, the
 * frames that hold no data, and what the reader noticed.
 */
import { describeStack, type StackInfo } from '../model/info.js';
import type { ScanKind, Stack, StackHeader } from '../model/stack.js';
import { listNxstxmRegions, readNxstxmHeader, type RegionSummary } from './nxstxm.js';
import { detectStackFormat, readScan, type ReadOptions } from './read.js';
import { fsFileAccess } from './files.js';
import type { H5Runtime } from './h5.js';

export interface FileInfo extends StackInfo {
  scanKind: ScanKind;
  quantity: 'counts' | 'optical density';
  title: string | null;
  /** Every region (entry) of the file, when it has more than one. */
  regions: RegionSummary[] | null;
  channel: string | null;
  channels: string[] | null;
  /** Element type of the values in the file ("float32", "uint16", …), when known. */
  dtype: string | null;
  /**
   * Energy indices of frames that are all NaN, partly NaN, all zero; `null`
   * when the data were not read (HDF5 files, unless `frames` is asked for).
   */
  nanFrames: number[] | null;
  incompleteFrames: number[] | null;
  zeroFrames: number[] | null;
  positionUnits: 'µm' | 'pixel';
  notes: string[];
}

export function describeScan(stack: Stack | StackHeader, regions?: RegionSummary[]): FileInfo {
  const base = describeStack(stack);
  const m = stack.metadata;
  const read = 'data' in stack;
  const pixel = m.positionUnits === 'pixel';
  return {
    ...base,
    pixelSize: pixel ? { x: null, y: null, units: 'µm' } : base.pixelSize,
    scanKind: m.scanKind ?? 'image stack',
    quantity: m.quantity ?? 'counts',
    title: m.title ?? null,
    regions:
      regions && regions.length > 1
        ? regions
        : stack.source.regions && stack.source.regions.length > 1
          ? stack.source.regions.map(name => ({ name, scanType: null, kind: null, shape: null }))
          : null,
    channel: stack.source.channel ?? null,
    channels: stack.source.channels ?? null,
    dtype: 'dtype' in stack ? (stack.dtype ?? null) : null,
    nanFrames: read ? (m.nanFrames ?? []) : null,
    incompleteFrames: read ? (m.incompleteFrames ?? []) : null,
    zeroFrames: read ? (m.zeroFrames ?? []) : null,
    positionUnits: m.positionUnits ?? 'µm',
    notes: m.notes ?? []
  };
}

export interface DescribeOptions extends ReadOptions {
  /**
   * Read the data too, to list the frames that are NaN or all zero (and to
   * refuse a file whose every frame is NaN). Without it an HDF5 file's cube
   * is never read: only its attributes and small datasets.
   */
  frames?: boolean;
}

/**
 * Describe a file (any scan kind). An NXstxm file is described from its
 * metadata alone unless `options.frames`; aXis2000 and TIFF scans are read.
 */
export function describeFile(
  runtime: H5Runtime,
  path: string,
  displayName = path,
  options: DescribeOptions = {}
): FileInfo {
  const files = options.files ?? fsFileAccess(runtime.FS);
  const header =
    detectStackFormat(runtime, path, displayName, files) === 'nxstxm'
      ? readNxstxmHeader(runtime, path, displayName, { entry: options.entry })
      : undefined;
  const stack =
    header && options.frames !== true
      ? header
      : readScan(runtime, path, displayName, { ...options, files });
  const regions =
    stack.source.format.startsWith('NXstxm') && stack.source.regions
      ? listNxstxmRegions(runtime, path, displayName)
      : undefined;
  return { ...describeScan(stack, regions), dtype: header?.dtype ?? null };
}

/** Human-readable summary, as the command line prints it. */
export function formatFileInfo(info: FileInfo): string {
  const px = (v: number | null): string => (v === null ? 'n/a' : `${v}`);
  const [ne, ny, nx] = info.shape;
  const known = info.energies.filter(Number.isFinite);
  const shape: Record<ScanKind, string> = {
    'image stack': `${ne} energies × ${ny} y × ${nx} x`,
    image: `1 energy × ${ny} y × ${nx} x`,
    'line spectrum': `${ne} energies × ${nx} positions along the line`,
    'point spectrum': `${ne} energies × ${nx} point(s)`,
    focus: `${ny} zone-plate positions × ${nx} positions along the line`
  };
  const lines = [
    `file        ${info.file}`,
    `format      ${info.format} — ${info.dialect}`,
    `scan type   ${info.scanType} (${info.scanKind})`,
    `shape       ${shape[info.scanKind]}`,
    known.length === 0
      ? 'energies    not recorded'
      : `energies    ${info.energyRange[0]}–${info.energyRange[1]} eV: ${info.energies.join(', ')}`,
    info.positionUnits === 'pixel'
      ? 'pixel size  unknown (positions are pixel indices)'
      : `pixel size  ${px(info.pixelSize.x)} µm (x) × ${px(info.pixelSize.y)} µm (y)`
  ];
  if (info.quantity === 'optical density' || info.dtype) {
    const what = info.quantity === 'optical density' ? 'optical density' : 'counts';
    lines.push(`values      ${info.dtype ? `${info.dtype} ` : ''}${what}`);
  }
  if (info.beamline) {
    lines.push(`beamline    ${info.beamline}`);
  }
  if (info.title) {
    lines.push(`title       ${info.title}`);
  }
  if (info.dwellMs) {
    lines.push(`dwell       ${[...new Set(info.dwellMs)].join(', ')} ms`);
  }
  lines.push(`ring current ${info.hasRingCurrent ? 'yes' : 'no'}`);
  if (info.entry) {
    lines.push(`entry       ${info.entry}`);
  }
  if (info.regions) {
    lines.push(
      `regions     ${info.regions
        .map(
          r =>
            `${r.name}${r.kind ? ` (${r.kind}${r.shape ? ` ${JSON.stringify(r.shape)}` : ''})` : ''}`
        )
        .join(', ')}`
    );
  }
  if (info.channels) {
    lines.push(`channels    ${info.channels.join(', ')} (reading ${info.channel ?? '?'})`);
  }
  const frames = (label: string, list: number[]): void => {
    if (list.length > 0) {
      lines.push(`${label} ${list.map(e => `${e} (${info.energies[e]} eV)`).join(', ')}`);
    }
  };
  frames('NaN frames  ', info.nanFrames ?? []);
  frames('partly NaN  ', info.incompleteFrames ?? []);
  frames('zero frames ', info.zeroFrames ?? []);
  if (info.nanFrames === null) {
    lines.push('frames      not read (--frames checks them for NaN and empty frames)');
  }
  for (const note of info.notes) {
    lines.push(`note        ${note}`);
  }
  return lines.join('\n');
}
