/**
 * Decoding of strings and units as STXM writers store them.
 *
 * HDF5 fixed-length strings are often declared ASCII yet hold UTF-8 ("µm" as
 * bytes CE BC 6D) or Latin-1 (B5 6D). h5wasm hands such bytes back one
 * character per byte; `repairString` re-reads them as UTF-8 when they form
 * valid UTF-8, and otherwise keeps the Latin-1 reading.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function repairString(text: string): string {
  let needs = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      return text; // already decoded beyond Latin-1: leave it alone
    }
    if (c >= 0x80) {
      needs = true;
    }
  }
  if (!needs) {
    return text;
  }
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    bytes[i] = text.charCodeAt(i);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return text; // Latin-1 it is
  }
}

/** Factors from length units to micrometres. */
const LENGTH_TO_UM: Record<string, number> = {
  m: 1e6,
  mm: 1e3,
  um: 1,
  µm: 1,
  micron: 1,
  microns: 1,
  micrometer: 1,
  micrometre: 1,
  nm: 1e-3,
  a: 1e-4,
  å: 1e-4,
  angstrom: 1e-4
};

/**
 * The factor that converts a length in `unit` to µm, or `undefined` for a
 * unit that is not a length. Both the micro sign (U+00B5) and the Greek mu
 * (U+03BC) are accepted.
 */
export function lengthToMicrometres(unit: string): number | undefined {
  const key = repairString(unit)
    .trim()
    .toLowerCase()
    .replace(/\u03bc/g, 'µ');
  return LENGTH_TO_UM[key];
}

/**
 * Display-safe text from a file: control characters (which could drive a
 * terminal) become spaces, runs of blanks collapse, and the length is capped.
 * Markup stays literal text: it is never interpreted anywhere.
 */
export function cleanText(text: string, maxLength = 500): string {
  const cleaned = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > maxLength ? cleaned.slice(0, maxLength - 1) + '…' : cleaned;
}

/** Factors from energy units to eV. */
const ENERGY_TO_EV: Record<string, number> = {
  ev: 1,
  'electron volt': 1,
  electronvolt: 1,
  kev: 1e3,
  mev: 1e-3
};

/**
 * The factor that converts an energy in `unit` to eV, or `undefined` for a
 * unit that is not an energy. An empty unit is taken as eV.
 */
export function energyToEv(unit: string): number | undefined {
  const raw = repairString(unit).trim();
  if (raw === '') {
    return 1;
  }
  if (raw === 'meV') {
    return 1e-3;
  }
  if (raw === 'MeV') {
    return 1e6;
  }
  return ENERGY_TO_EV[raw.toLowerCase()];
}
