/**
 * Reference spectra from one or several files, combined into one set: the
 * CSV of DESIGN.md §3 (one column per phase), two-column text / `.xas` files
 * (one spectrum each), and line or point spectra scans (NXstxm or aXis2000).
 */
import {
  ReferenceSetError,
  validateReferenceSet,
  type ReferenceSet,
  type ReferenceSpectrum
} from '../model/references.js';
import { StackReadError } from './errors.js';
import { baseName, decodeText, extensionOf, fsFileAccess, type FileAccess } from './files.js';
import type { H5Runtime } from './h5.js';
import { readScan, STACK_EXTENSIONS } from './read.js';
import { parseReferenceCsv } from './references-csv.js';
import { parseSpectrumText } from './references-text.js';
import { spectraFromScan, type ScanSpectraOptions } from './scan-spectra.js';
import { cleanText } from './text.js';

/** Extensions read as reference spectra. */
export const REFERENCE_EXTENSIONS = [
  '.csv',
  '.txt',
  '.xas',
  '.dat',
  '.nor',
  '.xmu',
  '.tsv'
] as const;

const MAX_TEXT_BYTES = 64 * 2 ** 20;

export interface ReferenceInput {
  /** Path in h5wasm's file system (Node: a real path). */
  path: string;
  /** Name for messages and provenance (default: the path). */
  name?: string;
}

export interface ReadReferencesOptions extends ScanSpectraOptions {
  files?: FileAccess;
  /** Entry/region of a scan file. */
  entry?: string;
}

/** The spectra of one text file (CSV with a header, or two-column text). */
export function parseReferenceText(text: string, fileName: string): ReferenceSpectrum[] {
  const ext = extensionOf(fileName);
  const firstData = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .find(l => l.trim() !== '' && !/^\s*[#*!%;]/.test(l));
  const csvHeader =
    (ext === '.csv' || ext === '.tsv') && firstData !== undefined && /[a-z]/i.test(firstData);
  return csvHeader
    ? parseReferenceCsv(text, fileName, { validate: false }).spectra
    : parseSpectrumText(text, fileName);
}

/** Combine spectra from several files: clean, unique names; at least two spectra. */
export function combineReferences(groups: ReferenceSpectrum[][], source: string): ReferenceSet {
  const spectra: ReferenceSpectrum[] = [];
  const from = new Map<string, string>();
  for (const group of groups) {
    for (const s of group) {
      const name = cleanText(s.name, 80);
      const previous = from.get(name);
      if (previous !== undefined) {
        throw new ReferenceSetError(
          `${source}: two references are named "${name}" (${previous} and ${s.source ?? '?'})`
        );
      }
      from.set(name, s.source ?? '?');
      spectra.push({ ...s, name });
    }
  }
  const set: ReferenceSet = { spectra, source };
  validateReferenceSet(set);
  return set;
}

/** Texts already in memory (the page, the worker): `{ name, text }` per file. */
export function referencesFromTexts(files: { name: string; text: string }[]): ReferenceSet {
  const source = files.map(f => baseName(f.name)).join(', ');
  return combineReferences(
    files.map(f => parseReferenceText(f.text, f.name)),
    source || 'references'
  );
}

export function readReferences(
  runtime: H5Runtime,
  inputs: (string | ReferenceInput)[],
  options: ReadReferencesOptions = {}
): ReferenceSet {
  const files = options.files ?? fsFileAccess(runtime.FS);
  const list = inputs.map(i => (typeof i === 'string' ? { path: i, name: i } : i));
  if (list.length === 0) {
    throw new ReferenceSetError('references: no file given');
  }
  const groups = list.map(({ path, name = path }) => {
    const ext = extensionOf(name);
    const size = files.size(path);
    if (size === undefined) {
      throw new ReferenceSetError(`${name}: file not found or not readable`);
    }
    if (size === 0) {
      throw new ReferenceSetError(`${name}: file is empty (0 bytes)`);
    }
    const head = files.readHead(path, 8);
    const hdf5 = head[0] === 0x89 && head[1] === 0x48 && head[2] === 0x44 && head[3] === 0x46;
    if (hdf5 || ext === '.hdr' || (STACK_EXTENSIONS as readonly string[]).includes(ext)) {
      try {
        const scan = readScan(runtime, path, name, { files, entry: options.entry });
        return spectraFromScan(scan, options);
      } catch (err) {
        if (err instanceof StackReadError) {
          throw new ReferenceSetError(err.message);
        }
        throw err;
      }
    }
    if (size > MAX_TEXT_BYTES) {
      throw new ReferenceSetError(
        `${name}: ${size} bytes is too large for a reference spectrum file`
      );
    }
    return parseReferenceText(decodeText(files.readBytes(path)), name);
  });
  return combineReferences(groups, list.map(l => l.name ?? l.path).join(', '));
}
