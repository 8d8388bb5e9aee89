/**
 * Scan types as beamlines name them, and the kind each one is.
 *
 * NXstxm `stxm_scan_type` values ("sample image stack", "sample image",
 * "sample line spectrum", "sample point spectrum", "sample focus", …) and
 * aXis2000 `ScanDefinition.Type`/`Flags` values ("NEXAFS Image Scan" with
 * "Image Stack", "Image Scan", "NEXAFS Line Scan", "NEXAFS Point Scan",
 * "Focus Scan", …).
 */
import type { ScanKind } from '../model/stack.js';

/** The kind of a scan from its written type, or `undefined` when it is not recognised. */
export function scanKindOf(scanType: string, flags = ''): ScanKind | undefined {
  const t = `${scanType} ${flags}`.toLowerCase();
  if (/focus/.test(t)) {
    return 'focus';
  }
  if (/image\s*stack|\bstack\b/.test(t)) {
    return 'image stack';
  }
  if (/line\s*(spectrum|scan)|linescan/.test(t)) {
    return 'line spectrum';
  }
  if (/point\s*(spectrum|scan)|\bspectra\b|\bspectrum\b/.test(t)) {
    return 'point spectrum';
  }
  if (/image/.test(t)) {
    return 'image';
  }
  return undefined;
}

/** Kinds that hold images a stack view can show. */
export const IMAGE_KINDS: readonly ScanKind[] = ['image stack', 'image'];

/** Kinds whose data are spectra (usable as reference spectra). */
export const SPECTRUM_KINDS: readonly ScanKind[] = ['line spectrum', 'point spectrum'];

/** A short human description of a kind, for messages. */
export function describeKind(kind: ScanKind): string {
  switch (kind) {
    case 'image stack':
      return 'an image stack';
    case 'image':
      return 'a single image';
    case 'line spectrum':
      return 'a line spectrum';
    case 'point spectrum':
      return 'point spectra';
    case 'focus':
      return 'a focus scan';
  }
}
