/**
 * A short, JSON-safe description of a stack: what `stxm-phasemap info`
 * prints, what the panel shows and what the Python side receives.
 */
import { finiteRange, pixelSize, stackShape, type Stack, type StackHeader } from './stack.js';

export interface StackInfo {
  file: string;
  format: string;
  dialect: string;
  scanType: string;
  beamline: string | null;
  /** (energies, y, x) */
  shape: [number, number, number];
  energies: number[];
  energyRange: [number, number];
  /** Pixel size in µm, `null` along an axis with a single pixel. */
  pixelSize: { x: number | null; y: number | null; units: 'µm' };
  dwellMs: number[] | null;
  hasRingCurrent: boolean;
  /**
   * The mean ring current the counts were normalised to as the file was
   * read (a workbench reads an HDF5 stack so, unless ring-current
   * normalisation is off); null: the counts as recorded.
   */
  ringCurrentApplied: number | null;
  entry: string | null;
  signal: string | null;
}

/** Describe a stack, or a header read without the cube. */
export function describeStack(stack: Stack | StackHeader): StackInfo {
  const [ne, ny, nx] = stackShape(stack);
  const px = pixelSize(stack);
  const [emin, emax] = finiteRange(stack.energies);
  const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? round(v) : null);
  return {
    file: stack.source.file,
    format: stack.source.format,
    dialect: stack.source.dialect,
    scanType: stack.metadata.scanType,
    beamline: stack.metadata.beamline ?? null,
    shape: [ne, ny, nx],
    energies: Array.from(stack.energies, round),
    energyRange: [round(emin), round(emax)],
    pixelSize: { x: finiteOrNull(px.x), y: finiteOrNull(px.y), units: 'µm' },
    dwellMs: stack.metadata.dwellMs ? stack.metadata.dwellMs.map(round) : null,
    hasRingCurrent:
      'hasControl' in stack
        ? stack.hasControl
        : stack.control !== undefined || stack.ringCurrentApplied !== undefined,
    ringCurrentApplied:
      'ringCurrentApplied' in stack && stack.ringCurrentApplied
        ? stack.ringCurrentApplied.meanCurrent
        : null,
    entry: stack.source.entry ?? null,
    signal: stack.source.signal ?? null
  };
}

/** Round away float noise (0.49999999 µm → 0.5) while keeping 9 significant digits. */
function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(9)) : v;
}

/** Human-readable multi-line summary, as the command line prints it. */
export function formatStackInfo(info: StackInfo): string {
  const px = (v: number | null): string => (v === null ? 'n/a' : `${v}`);
  const lines = [
    `file        ${info.file}`,
    `format      ${info.format} — ${info.dialect}`,
    `scan type   ${info.scanType}`,
    `shape       ${info.shape[0]} energies × ${info.shape[1]} y × ${info.shape[2]} x`,
    `energies    ${info.energyRange[0]}–${info.energyRange[1]} eV: ${info.energies.join(', ')}`,
    `pixel size  ${px(info.pixelSize.x)} µm (x) × ${px(info.pixelSize.y)} µm (y)`
  ];
  if (info.beamline) {
    lines.push(`beamline    ${info.beamline}`);
  }
  if (info.dwellMs) {
    lines.push(`dwell       ${[...new Set(info.dwellMs)].join(', ')} ms`);
  }
  lines.push(`ring current ${info.hasRingCurrent ? 'yes (control)' : 'no'}`);
  return lines.join('\n');
}
