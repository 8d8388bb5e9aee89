/**
 * The reference spectra CSV of DESIGN.md §3: a header row; the first column is
 * the energy in eV (`energy_eV` or `energy`), then one column per phase whose
 * header is the phase name. Comma or tab separated; `#` comment lines and
 * blank lines allowed. Parsed from text, so it runs in Node, the worker and
 * the page alike.
 */
import {
  ReferenceSetError,
  validateReferenceSet,
  type ReferenceSet,
  type ReferenceSpectrum
} from '../model/references.js';

export function parseReferenceCsv(
  text: string,
  fileName: string,
  options: { validate?: boolean } = {}
): ReferenceSet {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line, i) => ({ line, no: i + 1 }))
    .filter(({ line }) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  if (lines.length === 0) {
    throw new ReferenceSetError(`${fileName}: no header row (the file is empty)`);
  }
  const headerLine = lines[0].line;
  const sep = headerLine.includes('\t') ? '\t' : ',';
  const header = splitRow(headerLine, sep);
  const first = header[0].toLowerCase().replace(/[\s()[\]]/g, '');
  if (!['energy_ev', 'energy', 'energyev', 'e_ev', 'e'].includes(first)) {
    throw new ReferenceSetError(
      `${fileName}: the first column must be the energy ("energy_eV" or "energy"), found "${header[0]}"`
    );
  }
  const names = header.slice(1);
  if (names.length === 0) {
    throw new ReferenceSetError(`${fileName}: no phase columns after the energy column`);
  }
  const rows = lines.slice(1);
  const energies = new Float64Array(rows.length);
  const columns = names.map(() => new Float64Array(rows.length));
  rows.forEach(({ line, no }, r) => {
    const cells = splitRow(line, sep);
    if (cells.length !== header.length) {
      throw new ReferenceSetError(
        `${fileName}: line ${no} has ${cells.length} columns, the header has ${header.length}`
      );
    }
    cells.forEach((cell, c) => {
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) {
        throw new ReferenceSetError(
          `${fileName}: line ${no}, column "${header[c]}": "${cell.slice(0, 40)}" is not a number`
        );
      }
      if (c === 0) {
        energies[r] = v;
      } else {
        columns[c - 1][r] = v;
      }
    });
  });
  // Accept descending files: sort rows by energy.
  const order = Array.from(energies.keys()).sort((a, b) => energies[a] - energies[b]);
  const sorted = (a: Float64Array): Float64Array => Float64Array.from(order, i => a[i]);
  const spectra: ReferenceSpectrum[] = names.map((name, c) => ({
    name,
    energies: sorted(energies),
    values: sorted(columns[c]),
    source: fileName
  }));
  const set: ReferenceSet = { spectra, source: fileName };
  if (options.validate !== false) {
    validateReferenceSet(set);
  }
  return set;
}

/** Write a reference set (or any spectra on one grid) as the CSV above. */
export function formatReferenceCsv(
  names: string[],
  energies: ArrayLike<number>,
  values: (i: number, e: number) => number
): string {
  const escape = (s: string): string => (/[",\t\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['energy_eV', ...names.map(escape)].join(',')];
  for (let e = 0; e < energies.length; e++) {
    const row = [String(energies[e])];
    for (let i = 0; i < names.length; i++) {
      row.push(String(Number(values(i, e).toPrecision(8))));
    }
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Split one row; double-quoted cells may hold the separator. */
function splitRow(line: string, sep: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === sep) {
      out.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  out.push(cell.trim());
  return out;
}
