/**
 * Reference spectra in plain text: two columns (energy in eV, value), as
 * `.txt`, `.xas`, `.dat`, `.nor` files are written by hand, by Athena or by
 * aXis2000. Separators: blanks, tabs, commas or semicolons. Comment lines
 * start with `#`, `*`, `!`, `%` or `;`. The spectrum's name comes from a
 * comment `# name: Na3` (or `phase`, `title`, `label`), else from a header
 * row (`energy  Na3`), else from the file name. A header row — or, as Athena
 * writes it, the last comment line — naming more than two columns makes each
 * column after the energy a spectrum of its own. Rows in descending energy
 * are sorted.
 */
import { ReferenceSetError, type ReferenceSpectrum } from '../model/references.js';
import { baseName, stripExtension } from './files.js';
import { cleanText } from './text.js';

const COMMENT = /^[#*!%;]/;
const GENERIC =
  /^(value|values|intensity|int|od|absorption|abs|mu|mu\(e\)|norm|normalized|normalised|y|counts|signal|data|xas|xanes)$/i;
const ENERGY = /^(energy|energy_ev|energy\(ev\)|energy\[ev\]|e|ev|e_ev|photon_energy)$/i;

const split = (line: string): string[] =>
  line
    .trim()
    .split(/[\s,;]+/)
    .filter(c => c !== '');

const numeric = (cell: string): boolean => cell !== '' && Number.isFinite(Number(cell));

export function parseSpectrumText(text: string, fileName: string): ReferenceSpectrum[] {
  const fail = (reason: string): never => {
    throw new ReferenceSetError(`${fileName}: ${reason}`);
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let nameFromComment: string | undefined;
  let lastComment: string[] | undefined;
  let header: string[] | undefined;
  const rows: { cells: number[]; line: number }[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      return;
    }
    if (COMMENT.test(line)) {
      const body = line.replace(/^[#*!%;]+\s*/, '');
      const m = /^(name|phase|title|label|sample)\s*[:=]\s*(.+)$/i.exec(body);
      if (m) {
        nameFromComment ??= cleanText(m[2].replace(/^["']|["']$/g, ''), 80);
      }
      lastComment = rows.length === 0 ? split(body) : lastComment;
      return;
    }
    const cells = split(line);
    if (!cells.every(numeric)) {
      if (rows.length === 0 && header === undefined) {
        header = cells.map(c => cleanText(c.replace(/^["']|["']$/g, ''), 80));
        return;
      }
      fail(`line ${i + 1}: "${cleanText(line, 40)}" is not a row of numbers`);
    }
    rows.push({ cells: cells.map(Number), line: i + 1 });
  });
  if (rows.length === 0) {
    fail('no rows of numbers (energy, value)');
  }
  const width = rows[0].cells.length;
  if (width < 2) {
    fail(`line ${rows[0].line} has one number; rows need an energy and a value`);
  }
  for (const r of rows) {
    if (r.cells.length !== width) {
      fail(`line ${r.line} has ${r.cells.length} numbers, line ${rows[0].line} has ${width}`);
    }
  }
  // column names: a header row, else an Athena-style last comment naming every column
  let names = header;
  if (!names && lastComment && lastComment.length === width && ENERGY.test(lastComment[0])) {
    names = lastComment;
  }
  if (names && names.length !== width) {
    fail(`the header names ${names.length} columns, the rows have ${width}`);
  }
  const fallback = cleanText(baseName(stripExtension(fileName)), 80);
  let columns: { index: number; name: string }[];
  if (width === 2) {
    const headerName = names && !GENERIC.test(names[1]) ? names[1] : undefined;
    columns = [{ index: 1, name: nameFromComment ?? headerName ?? fallback }];
  } else if (names) {
    columns = names.slice(1).map((n, i) => ({ index: i + 1, name: n }));
  } else {
    return fail(
      `${width} columns and no header naming them: give a header row (energy, then one name per column) or two columns (energy, value)`
    );
  }
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].cells[0] - rows[b].cells[0]);
  const energies = Float64Array.from(order, i => rows[i].cells[0]);
  for (let i = 1; i < energies.length; i++) {
    if (energies[i] === energies[i - 1]) {
      fail(`the energy ${energies[i]} eV appears twice`);
    }
  }
  return columns.map(c => ({
    name: c.name,
    energies: Float64Array.from(energies),
    values: Float64Array.from(order, i => rows[i].cells[c.index]),
    source: fileName
  }));
}
