/**
 * CSV exports: phase fractions of one result or of several stacks (the
 * comparison view), and spectra on the stack's energies. Text cells are
 * quoted when needed and neutralised against spreadsheet formula injection
 * (phase names and file names are untrusted).
 */
import type { PhaseMapResult } from '../core/model/result.js';

export function csvCell(text: string): string {
  let t = text;
  if (/^[=+\-@\t\r]/.test(t)) {
    t = `'${t}`;
  }
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : '';
}

/** One row per phase: name, pixels, fraction; the run's settings as comment lines. */
export function fractionsCsv(file: string, result: PhaseMapResult): string {
  const lines = [
    `# ${file.replace(/[\r\n]/g, ' ')}`,
    `# method ${result.params.method}, threshold ${result.threshold}, seed ${result.params.seed}`,
    `# particle pixels ${result.counts.particle}, ambiguous ${result.counts.ambiguous}, resolved ${result.counts.resolved}`,
    'phase,pixels,fraction'
  ];
  result.phaseNames.forEach((name, i) => {
    const f = result.fractions[i];
    lines.push(`${csvCell(name)},${Math.round(f * result.counts.particle)},${num(f)}`);
  });
  return lines.join('\n') + '\n';
}

export interface ComparisonRow {
  file: string;
  stateOfCharge: number | null;
  result: PhaseMapResult;
}

/** One row per stack: file, state of charge, the fraction of every phase (union of names). */
export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  const names: string[] = [];
  for (const r of rows) {
    for (const n of r.result.phaseNames) {
      if (!names.includes(n)) {
        names.push(n);
      }
    }
  }
  const lines = [['file', 'state_of_charge', ...names.map(csvCell)].join(',')];
  for (const r of rows) {
    const cells = [csvCell(r.file), r.stateOfCharge === null ? '' : num(r.stateOfCharge)];
    for (const n of names) {
      const i = r.result.phaseNames.indexOf(n);
      cells.push(i < 0 ? '' : num(r.result.fractions[i]));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Spectra on one energy grid: `energy_eV` then one column per named spectrum. */
export function spectraCsv(
  energies: ArrayLike<number>,
  spectra: readonly { name: string; values: ArrayLike<number> }[]
): string {
  const lines = [['energy_eV', ...spectra.map(s => csvCell(s.name))].join(',')];
  for (let e = 0; e < energies.length; e++) {
    lines.push([num(energies[e]), ...spectra.map(s => num(s.values[e]))].join(','));
  }
  return lines.join('\n') + '\n';
}
