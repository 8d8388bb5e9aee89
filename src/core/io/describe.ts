/**
 * What `stxm-phasemap info` says about a file: the `StackInfo` of the scan
 * it reads, plus the scan kind, the regions and channels the file holds, the
 * frames that hold no data, and what the reader noticed.
 */
import { describeStack, type StackInfo } from '../model/info.js';
import type { ScanKind, Stack } from '../model/stack.js';
import { listNxstxmRegions, type RegionSummary } from './nxstxm.js';
import { readScan, type ReadOptions } from './read.js';
import type { H5Runtime } from './h5.js';

export interface FileInfo extends StackInfo {
  scanKind: ScanKind;
  quantity: 'counts' | 'optical density';
  title: string | null;
  /** Every region (entry) of the file, when it has more than one. */
  regions: RegionSummary[] | null;
  channel: string | null;
  channels: string[] | null;
  /** Energy indices of frames that are all NaN, partly NaN, all zero. */
  nanFrames: number[];
  incompleteFrames: number[];
  zeroFrames: number[];
  positionUnits: 'µm' | 'pixel';
  notes: string[];
}

export function describeScan(stack: Stack, regions?: RegionSummary[]): FileInfo {
  const base = describeStack(stack);
  const m = stack.metadata;
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
    nanFrames: m.nanFrames ?? [],
    incompleteFrames: m.incompleteFrames ?? [],
    zeroFrames: m.zeroFrames ?? [],
    positionUnits: m.positionUnits ?? 'µm',
    notes: m.notes ?? []
  };
}

/** Read a file and describe it (any scan kind). */
export function describeFile(
  runtime: H5Runtime,
  path: string,
  displayName = path,
  options: ReadOptions = {}
): FileInfo {
  const stack = readScan(runtime, path, displayName, options);
  const regions =
    stack.source.format.startsWith('NXstxm') && stack.source.regions
      ? listNxstxmRegions(runtime, path, displayName)
      : undefined;
  return describeScan(stack, regions);
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
  if (info.quantity === 'optical density') {
    lines.push('values      optical density');
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
  frames('NaN frames  ', info.nanFrames);
  frames('partly NaN  ', info.incompleteFrames);
  frames('zero frames ', info.zeroFrames);
  for (const note of info.notes) {
    lines.push(`note        ${note}`);
  }
  return lines.join('\n');
}
