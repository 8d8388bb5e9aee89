/**
 * How far a phase map can be trusted, in sentences with numbers: what the
 * automatic pre-processing decided, and what the data say about the fit.
 * Every door shows them — the workbench's run bar, the CLI's stderr and
 * `--json`, Python's `Result.warnings`, the notebook output and the result
 * file. The numbers behind each one are in the provenance.
 */

export type WarningCode =
  /** An energy shift of the references was estimated and applied. */
  | 'energy-shift-applied'
  /** An energy shift was estimated but not applied (why: in the message). */
  | 'energy-shift-declined'
  /** The frames drift (aligned, or not because alignment is off). */
  | 'drift'
  /** The particle's spectra correlate poorly with every reference. */
  | 'low-correlation'
  /** A large share of the particle is ambiguous at the threshold. */
  | 'ambiguous'
  /** Some stack energies lie outside the references' range. */
  | 'coverage'
  /** So few energies that only strongly differing phases separate. */
  | 'few-energies'
  /** Frames without data were left out. */
  | 'dropped-frames'
  /** Many particle pixels are far from every phase (a phase missing from the references?). */
  | 'unassigned';

export interface RunWarning {
  code: WarningCode;
  /** 'info': a decision taken for the user; 'warning': the map may be wrong or doubtful there. */
  level: 'info' | 'warning';
  /** One line, with the numbers: "references fit best 0.30 eV higher: applied". */
  message: string;
}

/** Thresholds of the warnings (docs/preprocessing.md explains each). */
export const WARNING_LIMITS = {
  /** Median best correlation below which the references may not describe the sample. */
  lowCorrelation: 0.95,
  /** Share of the particle ambiguous from which the map is called doubtful. */
  ambiguousFraction: 0.3,
  /** Share of the particle far from every phase from which a missing phase is suspected. */
  unassignedFraction: 0.05,
  /** Fewer energies than this: a note that only strongly differing phases separate. */
  fewEnergies: 6
} as const;

/** "0.30 eV higher" / "0.12 eV lower" for a shift added to the reference energies. */
export function describeShift(shiftEv: number): string {
  const v = Math.abs(shiftEv).toFixed(2);
  return shiftEv >= 0 ? `${v} eV higher` : `${v} eV lower`;
}

export function percent(fraction: number): string {
  return `${Math.round(100 * fraction)} %`;
}
