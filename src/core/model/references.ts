/**
 * Reference spectra: the measured XANES of each known phase, on its own energy
 * grid, and their resampling at a stack's energies.
 */

/** One reference spectrum on its own energy grid (ascending eV). */
export interface ReferenceSpectrum {
  /** Phase name, e.g. `"Na3"`. Display-only text: never interpreted as markup. */
  name: string;
  /** Energies in eV, strictly ascending. */
  energies: Float64Array;
  /** Absorption (optical density or normalised µ), one value per energy. */
  values: Float64Array;
  /** Where it came from (file name, "simulator", …), for provenance. */
  source?: string;
  /** A display colour chosen by the user (CSS colour), if any. */
  color?: string;
}

/** The references a pipeline run correlates against. */
export interface ReferenceSet {
  spectra: ReferenceSpectrum[];
  /** Where the set came from, for provenance (file name(s)). */
  source: string;
}

/** Reference problems: a message naming the reference and the problem. */
export class ReferenceSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceSetError';
  }
}

/**
 * The references resampled at the stack's energies: an N × E matrix
 * (`values[n * ne + e]`), linear interpolation, after adding a global
 * `shiftEv` to the reference energies (beamline calibration).
 */
export interface ResampledReferences {
  names: string[];
  energies: Float64Array;
  /** N × E, row-major. */
  values: Float64Array;
  shiftEv: number;
}

/** Check a set: ≥ 2 spectra, unique non-empty names, ascending finite energies. */
export function validateReferenceSet(set: ReferenceSet): void {
  if (set.spectra.length < 2) {
    throw new ReferenceSetError(
      `${set.source}: ${set.spectra.length} reference spectrum(s); a phase map needs at least 2`
    );
  }
  const seen = new Set<string>();
  for (const r of set.spectra) {
    if (r.name.trim() === '') {
      throw new ReferenceSetError(`${set.source}: a reference has an empty name`);
    }
    if (seen.has(r.name)) {
      throw new ReferenceSetError(`${set.source}: two references are named "${r.name}"`);
    }
    seen.add(r.name);
    if (r.energies.length !== r.values.length || r.energies.length < 2) {
      throw new ReferenceSetError(
        `${set.source}: reference "${r.name}" has ${r.energies.length} energies and ${r.values.length} values (needs ≥ 2 of each, as many of one as of the other)`
      );
    }
    for (let i = 0; i < r.energies.length; i++) {
      if (!Number.isFinite(r.energies[i]) || !Number.isFinite(r.values[i])) {
        throw new ReferenceSetError(
          `${set.source}: reference "${r.name}" has a non-finite value at row ${i + 1}`
        );
      }
      if (i > 0 && !(r.energies[i] > r.energies[i - 1])) {
        throw new ReferenceSetError(
          `${set.source}: energies of reference "${r.name}" are not strictly ascending at ${r.energies[i]} eV`
        );
      }
    }
  }
}

/**
 * Resample every reference at `energies` by linear interpolation, reference
 * energies shifted by `shiftEv`. A stack energy outside a reference's range
 * is an error (no silent extrapolation).
 */
export function resampleReferences(
  set: ReferenceSet,
  energies: ArrayLike<number>,
  shiftEv = 0
): ResampledReferences {
  validateReferenceSet(set);
  const ne = energies.length;
  const values = new Float64Array(set.spectra.length * ne);
  set.spectra.forEach((r, n) => {
    const lo = r.energies[0] + shiftEv;
    const hi = r.energies[r.energies.length - 1] + shiftEv;
    let j = 0;
    for (let e = 0; e < ne; e++) {
      const x = energies[e];
      if (x < lo - 1e-9 || x > hi + 1e-9) {
        throw new ReferenceSetError(
          `${set.source}: reference "${r.name}" covers ${round(lo)}–${round(hi)} eV${shiftEv ? ` (shifted by ${shiftEv} eV)` : ''}, but the stack has an energy at ${round(x)} eV`
        );
      }
      // energies need not be sorted: restart the search when going back
      if (j > 0 && r.energies[j] + shiftEv > x) {
        j = 0;
      }
      while (j < r.energies.length - 2 && r.energies[j + 1] + shiftEv < x) {
        j++;
      }
      const x0 = r.energies[j] + shiftEv;
      const x1 = r.energies[j + 1] + shiftEv;
      const t = Math.min(1, Math.max(0, (x - x0) / (x1 - x0)));
      values[n * ne + e] = r.values[j] * (1 - t) + r.values[j + 1] * t;
    }
  });
  return {
    names: set.spectra.map(r => r.name),
    energies: Float64Array.from(energies),
    values,
    shiftEv
  };
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}
