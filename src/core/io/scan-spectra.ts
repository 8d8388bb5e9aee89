/**
 * Reference spectra from line and point spectra scans.
 *
 * Raw counts become optical density with an I0: for a line spectrum, by
 * default the brightest positions of the line (the same bright-pixel
 * histogram as for images); for point spectra, a point measured on empty
 * background (`i0Point`) or a measured I0 spectrum (`i0Values`, one per
 * energy) — there is no safe default for points. A line gives, by default,
 * one spectrum: the mean over its sample positions (mean OD above Otsu's
 * threshold); `segments` give named means over position ranges instead.
 * Point spectra give one spectrum per point.
 */
import { ReferenceSetError, type ReferenceSpectrum } from '../model/references.js';
import { stackShape, type Stack } from '../model/stack.js';
import { otsuThreshold } from '../preprocess/otsu.js';
import { autoI0 } from '../preprocess/i0.js';
import { PreprocessError } from '../preprocess/errors.js';
import { baseName, stripExtension } from './files.js';
import { describeKind } from './scan.js';

export interface ScanSpectraOptions {
  /** Point index measured on empty background (point spectra). */
  i0Point?: number;
  /** I0 per energy (counts under the scan's conditions). */
  i0Values?: number[];
  /** Named position ranges of a line (indices, `from` ≤ i < `to`), each averaged. */
  segments?: { name: string; from: number; to: number }[];
  /** Base of the spectra's names (default: the file name without extension). */
  name?: string;
}

export function spectraFromScan(
  stack: Stack,
  options: ScanSpectraOptions = {}
): ReferenceSpectrum[] {
  const file = stack.source.file;
  const fail = (reason: string): never => {
    throw new ReferenceSetError(`${file}: ${reason}`);
  };
  const kind = stack.metadata.scanKind ?? 'image stack';
  if (kind !== 'line spectrum' && kind !== 'point spectrum') {
    fail(`holds ${describeKind(kind)}, not line or point spectra`);
  }
  const [ne, , n] = stackShape(stack);
  const base = options.name ?? baseName(stripExtension(file));
  // optical density, (E, n)
  let od: Float64Array;
  if (stack.metadata.quantity === 'optical density') {
    od = Float64Array.from(stack.data);
  } else {
    let i0: ArrayLike<number>;
    if (options.i0Values) {
      if (options.i0Values.length !== ne) {
        fail(`${options.i0Values.length} I0 values for ${ne} energies`);
      }
      i0 = options.i0Values;
    } else if (options.i0Point !== undefined) {
      const k = options.i0Point;
      if (!Number.isInteger(k) || k < 0 || k >= n) {
        fail(`I0 point ${k} is not one of the ${n} points`);
      }
      i0 = Float64Array.from({ length: ne }, (_, e) => stack.data[e * n + k]);
    } else if (kind === 'line spectrum') {
      try {
        i0 = autoI0(stack.data, ne, n, file).values;
      } catch (err) {
        if (err instanceof PreprocessError) {
          return fail(`${err.reason} (give an I0 point or I0 values)`);
        }
        throw err;
      }
    } else {
      return fail(
        'point spectra are raw counts: name the point measured on empty background (i0Point) or give I0 values'
      );
    }
    od = new Float64Array(ne * n);
    for (let e = 0; e < ne; e++) {
      if (!(i0[e] > 0)) {
        fail(`I0 at ${stack.energies[e]} eV is ${i0[e]}`);
      }
      for (let i = 0; i < n; i++) {
        const c = stack.data[e * n + i];
        od[e * n + i] = c > 0 ? -Math.log(c / i0[e]) : Number.NaN;
      }
    }
  }
  const mean = (indices: number[]): Float64Array =>
    Float64Array.from({ length: ne }, (_, e) => {
      let s = 0;
      let k = 0;
      for (const i of indices) {
        const v = od[e * n + i];
        if (Number.isFinite(v)) {
          s += v;
          k++;
        }
      }
      return k > 0 ? s / k : Number.NaN;
    });

  const groups: { name: string; indices: number[] }[] = [];
  if (kind === 'point spectrum') {
    for (let i = 0; i < n; i++) {
      if (i !== options.i0Point) {
        groups.push({ name: n === 1 ? base : `${base} point ${i}`, indices: [i] });
      }
    }
  } else if (options.segments) {
    for (const s of options.segments) {
      if (!(
        Number.isInteger(s.from) &&
        Number.isInteger(s.to) &&
        s.from >= 0 &&
        s.to <= n &&
        s.to > s.from
      )) {
        fail(`segment "${s.name}" (${s.from}–${s.to}) is not inside the ${n} positions`);
      }
      groups.push({
        name: s.name,
        indices: Array.from({ length: s.to - s.from }, (_, i) => s.from + i)
      });
    }
  } else {
    const perPosition = Float64Array.from(
      { length: n },
      (_, i) => mean([i]).reduce((a, b) => a + b, 0) / ne
    );
    const threshold = otsuThreshold(perPosition);
    const sample = Array.from({ length: n }, (_, i) => i).filter(i => perPosition[i] > threshold);
    groups.push({
      name: base,
      indices: sample.length > 0 ? sample : Array.from({ length: n }, (_, i) => i)
    });
  }
  // ascending energies
  const order = Array.from({ length: ne }, (_, e) => e).sort(
    (a, b) => stack.energies[a] - stack.energies[b]
  );
  return groups.map(g => {
    const v = mean(g.indices);
    return {
      name: g.name,
      energies: Float64Array.from(order, e => stack.energies[e]),
      values: Float64Array.from(order, e => v[e]),
      source: file
    };
  });
}
