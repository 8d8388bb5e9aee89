/**
 * Edits of a reference set, as new sets (the workbench model swaps them in):
 * rename (a clean, unique, non-empty name), colour (`#rrggbb` only), remove.
 */
import type { ReferenceSet } from '../core/model/references.js';
import { isHexColor } from '../views/shared/phase-style.js';

/** The set with reference `index` renamed; throws on an empty or duplicate name. */
export function renamed(refs: ReferenceSet, index: number, name: string): ReferenceSet {
  const clean = name.trim();
  if (clean === '') {
    throw new Error('a reference needs a name');
  }
  if (refs.spectra.some((r, i) => i !== index && r.name === clean)) {
    throw new Error(`another reference is already named "${clean}"`);
  }
  return {
    ...refs,
    spectra: refs.spectra.map((r, i) => (i === index ? { ...r, name: clean } : r))
  };
}

/** The set with reference `index` in `color`, or null for a colour that is not `#rrggbb`. */
export function recoloured(refs: ReferenceSet, index: number, color: string): ReferenceSet | null {
  if (!refs.spectra[index] || !isHexColor(color)) {
    return null;
  }
  return {
    ...refs,
    spectra: refs.spectra.map((r, i) => (i === index ? { ...r, color } : r))
  };
}

/** The set without reference `index` (null when none is left). */
export function without(refs: ReferenceSet, index: number): ReferenceSet | null {
  const spectra = refs.spectra.filter((_, i) => i !== index);
  return spectra.length ? { ...refs, spectra } : null;
}
