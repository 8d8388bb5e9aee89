/**
 * Phase names and colours for every view: a phase takes the colour its
 * reference was given in the reference manager, else the shared colour-blind-
 * safe palette (`src/core/model/palette.ts`) by its index.
 */
import { AMBIGUOUS_COLOR, hexToRgb, phaseColor } from '../../core/model/palette.js';
import type { ReferenceSet } from '../../core/model/references.js';

export interface PhaseStyle {
  name: string;
  color: string;
  rgb: [number, number, number];
}

export function phaseStyles(
  names: readonly string[],
  references: ReferenceSet | null
): PhaseStyle[] {
  return names.map((name, i) => {
    const ref = references?.spectra.find(r => r.name === name);
    const color = ref?.color && isHexColor(ref.color) ? ref.color : phaseColor(i);
    return { name, color, rgb: hexToRgb(color) };
  });
}

/** The colour of reference `i` of a set (its own, else the palette's). */
export function referenceColor(references: ReferenceSet, i: number): string {
  const c = references.spectra[i]?.color;
  return c && isHexColor(c) ? c : phaseColor(i);
}

export const AMBIGUOUS_RGB = hexToRgb(AMBIGUOUS_COLOR);

export function isHexColor(c: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(c);
}
