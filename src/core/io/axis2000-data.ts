/** The data files of an aXis2000 scan: `.xim` images and `.xsp` point spectra. */
import { StackReadError } from './errors.js';
import { decodeText } from './files.js';
import { cleanText } from './text.js';

/** One .xim image into `out` (ny rows of nx numbers). */
export function readXim(
  bytes: Uint8Array,
  name: string,
  ny: number,
  nx: number,
  out: Float32Array
): void {
  const fail = (reason: string): never => {
    throw new StackReadError(name, reason);
  };
  const rows = decodeText(bytes)
    .split(/\r\n|\n|\r/)
    .filter(l => l.trim() !== '');
  if (rows.length !== ny) {
    fail(`${rows.length} rows, the header says ${ny} (QAxis points)`);
  }
  rows.forEach((row, yi) => {
    const cells = row.trim().split(/[\s,;]+/);
    if (cells.length !== nx) {
      fail(`row ${yi + 1} has ${cells.length} values, the header says ${nx} (PAxis points)`);
    }
    cells.forEach((cell, xi) => {
      const v = Number(cell);
      if (!Number.isFinite(v) && !/^nan$/i.test(cell)) {
        fail(`row ${yi + 1}, value ${xi + 1}: "${cleanText(cell, 20)}" is not a number`);
      }
      out[yi * nx + xi] = Number.isFinite(v) ? v : Number.NaN;
    });
  });
}

/** One .xsp point spectrum: `energy value…` rows; the values of column 1 + channel. */
export function readXsp(
  bytes: Uint8Array,
  name: string,
  ne: number,
  channel: number
): Float64Array {
  const fail = (reason: string): never => {
    throw new StackReadError(name, reason);
  };
  const rows = decodeText(bytes)
    .split(/\r\n|\n|\r/)
    .map(l => l.trim())
    .filter(l => l !== '' && /^[-+.\d]/.test(l));
  if (rows.length !== ne) {
    fail(`${rows.length} rows of numbers, the header says ${ne} energies`);
  }
  return Float64Array.from(rows, (row, i) => {
    const cells = row.split(/[\s,;]+/);
    const v = Number(cells[1 + channel]);
    if (cells.length < 2 + channel || !Number.isFinite(v)) {
      fail(`row ${i + 1} has no number in column ${2 + channel}`);
    }
    return v;
  });
}
