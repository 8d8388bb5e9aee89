/**
 * The manifest of `stxm-phasemap batch --manifest M.csv`: one stack per row.
 *
 *   file,refs,state_of_charge,cycle      (header row; `file` is required)
 *   soc10.h5,refs.csv,0.1,1
 *   soc40.h5,,0.4,1                      (empty refs: the --refs of the command)
 *
 * `file` (the stack), `refs` (its reference spectra, optional per stack) and
 * `name` (the result's base name, optional) are read; every other column is
 * carried to the summary table as it is (as numbers when every cell of the
 * column is one). Relative paths are relative to the manifest's folder.
 * Comma or tab separated (the header decides), `"…"` quoting with `""` for a
 * quote, `#` comment lines and blank lines ignored.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

import { StackReadError } from '../core/io/errors.js';

export interface ManifestRow {
  file: string;
  refs: string | null;
  name: string | null;
  /** Line number in the manifest (1-based), for messages. */
  line: number;
  columns: Record<string, string | number>;
}

export interface Manifest {
  rows: ManifestRow[];
  /** The carried columns, in the manifest's order. */
  columns: string[];
}

const KNOWN = ['file', 'refs', 'name'];

/** Split CSV text into records of fields (RFC 4180 quoting), with each record's line number. */
export function parseCsvRecords(
  text: string,
  separator: ',' | '\t'
): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  const endRecord = (): void => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0].trim() === '';
    const comment = !fieldStarted && fields[0].trimStart().startsWith('#');
    if (!blank && !comment) {
      records.push({ fields, line: start });
    }
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') {
          line++;
        }
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
      fieldStarted = true;
    } else if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw new RangeError(`a quoted field opened on line ${start} is not closed`);
  }
  if (field !== '' || fields.length > 0) {
    endRecord();
  }
  return records;
}

/** The rows of a manifest file; a problem throws a `StackReadError` naming the file and line. */
export function readManifest(path: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StackReadError(path, `cannot read: ${(err as Error).message}`);
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text
    .split(/\r?\n/)
    .find(l => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const separator = firstLine !== undefined && firstLine.includes('\t') ? '\t' : ',';
  let records;
  try {
    records = parseCsvRecords(text, separator);
  } catch (err) {
    throw new StackReadError(path, (err as Error).message);
  }
  if (records.length === 0) {
    throw new StackReadError(path, 'empty manifest: a header row with a "file" column is needed');
  }
  const header = records[0].fields.map(h => h.trim());
  const fileAt = header.indexOf('file');
  if (fileAt < 0) {
    throw new StackReadError(
      path,
      `the manifest's header has no "file" column (it has: ${header.join(', ')})`
    );
  }
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') {
      throw new StackReadError(path, "the manifest's header has an empty column name");
    }
    if (seen.has(h)) {
      throw new StackReadError(path, `the manifest's header names "${h}" twice`);
    }
    seen.add(h);
  }
  const carried = header.filter(h => !KNOWN.includes(h));
  const base = dirname(path);
  const at = (p: string): string => (isAbsolute(p) ? p : join(base, p));
  const raw: { row: ManifestRow; cells: Record<string, string> }[] = [];
  for (const { fields, line } of records.slice(1)) {
    if (fields.length > header.length) {
      throw new StackReadError(
        path,
        `line ${line} has ${fields.length} fields, the header ${header.length}`
      );
    }
    const cell = (name: string): string => {
      const i = header.indexOf(name);
      return i >= 0 && i < fields.length ? fields[i].trim() : '';
    };
    const file = cell('file');
    if (file === '') {
      throw new StackReadError(path, `line ${line} names no file`);
    }
    const cells: Record<string, string> = {};
    for (const c of carried) {
      cells[c] = cell(c);
    }
    raw.push({
      row: {
        file: at(file),
        refs: cell('refs') === '' ? null : at(cell('refs')),
        name: cell('name') === '' ? null : cell('name'),
        line,
        columns: {}
      },
      cells
    });
  }
  if (raw.length === 0) {
    throw new StackReadError(path, 'the manifest lists no stack (only its header)');
  }
  for (const c of carried) {
    const numeric = raw.every(r => r.cells[c] === '' || Number.isFinite(Number(r.cells[c])));
    for (const r of raw) {
      const v = r.cells[c];
      r.row.columns[c] = numeric && v !== '' ? Number(v) : v;
    }
  }
  return { rows: raw.map(r => r.row), columns: carried };
}
