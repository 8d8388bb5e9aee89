/**
 * Reading an N-dimensional HDF5 dataset into a float32 (frame, row, column)
 * cube one slab at a time (one hyperslab of at most SLAB_BYTES), whatever the
 * order of the dimensions in the file, so reading holds the float32 cube plus
 * one slab, never a second copy of the cube. Frames that are all NaN, partly
 * NaN or all zero are counted on the way.
 */
import type { Dataset } from 'h5wasm';

import type { H5RawRead } from './h5.js';

/**
 * For each target dimension (frame, row, column), the source dimension it
 * comes from, or `null` for a dimension of length 1 the file does not have.
 */
export type DimMap = [number | null, number | null, number | null];

export interface FrameStats {
  nanFrames: number[];
  incompleteFrames: number[];
  zeroFrames: number[];
}

/** h5wasm dtype classes that hold numbers. */
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

export function isNumericDataset(ds: Dataset): boolean {
  try {
    const t = ds.metadata.type;
    return t === H5T_INTEGER || t === H5T_FLOAT;
  } catch {
    return false;
  }
}

/** Bytes of the file read at once (one hyperslab): a few frames, or rows across every frame. */
export const SLAB_BYTES = 16 * 2 ** 20;

/**
 * Slab size when the ring current is applied as the cube is read: two slabs
 * (signal and current) in the wasm heap, which never shrinks, and one
 * float32 slab beside them (at least one row of the file's first dimension:
 * a frame of an (energy, y, x) file). 1 MiB: ~6 MiB less than 4 MiB at
 * 1024² × 20, as fast.
 */
export const DIVIDED_SLAB_BYTES = 2 ** 20;

/** How far reading has got: values read of the cube's total. */
export type ReadProgress = (done: number, total: number) => void;

/**
 * The ring current applied while the cube is read (a stack read for one run,
 * `ReadOptions.applyRingCurrent`): each value becomes `counts × mean / current`
 * — the arithmetic of `normaliseRingCurrent`, on the same float32 values — so
 * the current is never held as a second cube.
 */
export interface RingCurrentDivisor {
  /** The ring current, of the signal's shape and order. */
  ds: Dataset;
  /** The mean current the counts are normalised to (`sumValidCurrent`). */
  mean: number;
  /** Filled in: per frame of the cube, the values without a valid current (left as read). */
  skipped: Float64Array;
}

/**
 * Read the cube in slabs along the file's slowest dimension (a run of
 * frames for an (energy, y, x) file, a run of rows across every energy for
 * an (x, y, energy) one): each slab is one contiguous part of the file, so a
 * file read lazily (over HTTP range requests) is read once, in order,
 * whatever the order of its dimensions. With `raw` (h5wasm's low-level
 * read), each slab goes into one buffer of the wasm heap and is copied once,
 * into the cube; otherwise through `Dataset.slice`.
 */
export function readCube(
  ds: Dataset,
  shape: number[],
  map: DimMap,
  [n0, n1, n2]: [number, number, number],
  raw?: H5RawRead,
  onProgress?: ReadProgress,
  divide?: RingCurrentDivisor
): { data: Float32Array; stats: FrameStats } {
  const out = new Float32Array(n0 * n1 * n2);
  const frameSize = n1 * n2;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = numbers(ds.value, 1)[0];
    return { data: out, stats: frameStats(out, n0, frameSize) };
  }
  // where each dimension of the file goes in the cube: its stride there (0: a length-1 dimension)
  const cubeStride = [frameSize, n2, 1];
  const strideOf = shape.map((_, d) => {
    const t = map.indexOf(d);
    return t < 0 ? 0 : cubeStride[t];
  });
  const itemBytes = elementSize(ds);
  const rowValues = shape.slice(1).reduce((a, b) => a * b, 1);
  const slabBytes = divide ? DIVIDED_SLAB_BYTES : SLAB_BYTES;
  const valueBytes = divide ? Math.max(4, itemBytes, elementSize(divide.ds)) : itemBytes;
  const perSlab = slabRows(shape, slabBytes, valueBytes);
  const direct = raw ? rawSlabReader(ds, raw, shape, perSlab * rowValues) : null;
  const current = divide && raw ? rawSlabReader(divide.ds, raw, shape, perSlab * rowValues) : null;
  const divided = divide ? new Float32Array(perSlab * rowValues) : null;
  const total = out.length;
  try {
    for (let a = 0; a < shape[0]; a += perSlab) {
      const b = Math.min(shape[0], a + perSlab);
      const n = (b - a) * rowValues;
      let block = direct ? direct.read(a, b) : sliceSlab(ds, shape, a, b, n);
      if (divide && divided) {
        const c = current ? current.read(a, b) : sliceSlab(divide.ds, shape, a, b, n);
        const frameOfValue = (k: number): number => cubeFrameOf(shape, map, a, k);
        divideSlab(block, c, divide, divided, n, frameOfValue);
        block = divided.subarray(0, n);
      }
      scatter(block, out, shape, strideOf, a, b);
      onProgress?.(Math.min(total, b * rowValues), total);
    }
  } finally {
    direct?.close();
    current?.close();
  }
  return { data: out, stats: frameStats(out, n0, frameSize) };
}

/** Rows of the file's first dimension per slab of at most `bytes`. */
function slabRows(shape: number[], bytes: number, valueBytes: number): number {
  const rowValues = shape.slice(1).reduce((a, b) => a * b, 1);
  return Math.max(1, Math.min(shape[0], Math.floor(bytes / (valueBytes * rowValues))));
}

/**
 * `out[k] = counts × mean / current` for the n values of a slab, as
 * `normaliseRingCurrent` computes it on the float32 cube and current; a value
 * without a valid current (≤ 0, NaN, ∞) is left as read and counted for its frame.
 */
function divideSlab(
  counts: ArrayLike<number>,
  current: ArrayLike<number>,
  divide: RingCurrentDivisor,
  out: Float32Array,
  n: number,
  frameOfValue: (k: number) => number
): void {
  const mean = divide.mean;
  for (let k = 0; k < n; k++) {
    const v = Math.fround(counts[k]);
    const c = Math.fround(current[k]);
    if (c > 0 && Number.isFinite(c)) {
      out[k] = (v * mean) / c;
    } else {
      out[k] = v;
      divide.skipped[frameOfValue(k)]++;
    }
  }
}

/** The cube frame of the k-th value of the slab that starts at `a` of the file's first dimension. */
function cubeFrameOf(shape: number[], map: DimMap, a: number, k: number): number {
  const d0 = map[0];
  if (d0 === null) {
    return 0;
  }
  let rest = k;
  const index = shape.map(() => 0);
  for (let d = shape.length - 1; d >= 1; d--) {
    index[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  index[0] = a + rest;
  return index[d0];
}

/**
 * The sum and count of the valid (> 0, finite) values of a ring-current
 * dataset as float32, in the file's order (the cube's for an (energy, y, x)
 * file, the order `normaliseRingCurrent` adds them in), a slab at a time.
 */
export function sumValidCurrent(
  ds: Dataset,
  shape: number[],
  raw?: H5RawRead,
  onProgress?: ReadProgress
): { sum: number; count: number } {
  const rowValues = shape.slice(1).reduce((a, b) => a * b, 1);
  const perSlab = slabRows(shape, DIVIDED_SLAB_BYTES, Math.max(4, elementSize(ds)));
  const direct = raw ? rawSlabReader(ds, raw, shape, perSlab * rowValues) : null;
  let sum = 0;
  let count = 0;
  try {
    for (let a = 0; a < shape[0]; a += perSlab) {
      const b = Math.min(shape[0], a + perSlab);
      const n = (b - a) * rowValues;
      const block = direct ? direct.read(a, b) : sliceSlab(ds, shape, a, b, n);
      for (let k = 0; k < n; k++) {
        const c = Math.fround(block[k]);
        if (c > 0 && Number.isFinite(c)) {
          sum += c;
          count++;
        }
      }
      onProgress?.(b * rowValues, shape[0] * rowValues);
    }
  } finally {
    direct?.close();
  }
  return { sum, count };
}

/** NaN, partly-NaN and all-zero frames of the cube. */
function frameStats(out: Float32Array, n0: number, frameSize: number): FrameStats {
  const stats: FrameStats = { nanFrames: [], incompleteFrames: [], zeroFrames: [] };
  for (let i0 = 0; i0 < n0; i0++) {
    const offset = i0 * frameSize;
    const { nan, zero } = countNanZero(out, offset, offset + frameSize);
    if (nan === frameSize) {
      stats.nanFrames.push(i0);
    } else if (nan > 0) {
      stats.incompleteFrames.push(i0);
    } else if (zero === frameSize) {
      stats.zeroFrames.push(i0);
    }
  }
  return stats;
}

/**
 * Slab [a, b) of the file's first dimension (values in the file's order)
 * into the cube: the innermost dimension as one run (a plain copy when it is
 * the cube's columns in order), the others by an odometer.
 */
function scatter(
  block: ArrayLike<number>,
  out: Float32Array,
  shape: number[],
  strideOf: number[],
  a: number,
  b: number
): void {
  const rank = shape.length;
  const last = rank - 1;
  const nLast = rank === 1 ? b - a : shape[last];
  const sLast = strideOf[last];
  // the outer dimensions' odometer: the first runs over the slab [a, b), the others whole
  const outer = shape.slice(0, last).map((_, d) => (d === 0 ? a : 0));
  const ends = shape.slice(0, last).map((n, d) => (d === 0 ? b : n));
  const index = outer.slice();
  const runs = ends.reduce((x, y, d) => x * (y - outer[d]), 1);
  // a rank-1 slab is one run that starts at a
  const start = rank === 1 ? a * sLast : 0;
  const contiguous = sLast === 1 && ArrayBuffer.isView(block);
  let k = 0;
  for (let r = 0; r < runs; r++) {
    let base = start;
    for (let d = 0; d < last; d++) {
      base += index[d] * strideOf[d];
    }
    if (contiguous) {
      out.set((block as TypedNumbers).subarray(k, k + nLast), base);
      k += nLast;
    } else {
      for (let j = 0; j < nLast; j++) {
        out[base + j * sLast] = block[k++];
      }
    }
    // next run: the odometer over the outer dimensions, the last of them fastest
    for (let d = last - 1; d >= 0; d--) {
      if (++index[d] < ends[d]) {
        break;
      }
      index[d] = outer[d];
    }
  }
}

/** Slab [a, b) of the first dimension through `Dataset.slice`. */
function sliceSlab(
  ds: Dataset,
  shape: number[],
  a: number,
  b: number,
  size: number
): ArrayLike<number> {
  const ranges = shape.map((): [] | [number, number] => []);
  ranges[0] = [a, b];
  return numbers(ds.slice(ranges), size);
}

type NumberArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
type TypedNumbers = Float32Array | Float64Array | NumberArray;
type ArrayCtor = new (
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number
) => Float32Array | Float64Array | NumberArray;

/** The typed array of an element type h5wasm reads as it is (not 64-bit integers nor float16). */
function accessorOf(ds: Dataset): { ctor: ArrayCtor; size: number } | null {
  let m: { type: number; size: number; signed: boolean; vlen?: boolean };
  try {
    m = ds.metadata;
  } catch {
    return null;
  }
  if (m.vlen) {
    return null;
  }
  const table: Record<string, ArrayCtor | undefined> = {
    '1:4': Float32Array,
    '1:8': Float64Array,
    '0:1:true': Int8Array,
    '0:1:false': Uint8Array,
    '0:2:true': Int16Array,
    '0:2:false': Uint16Array,
    '0:4:true': Int32Array,
    '0:4:false': Uint32Array
  };
  const key = m.type === H5T_FLOAT ? `1:${m.size}` : `${m.type}:${m.size}:${m.signed}`;
  const ctor = table[key];
  return ctor ? { ctor, size: m.size } : null;
}

/** Bytes per value of the dataset in the file (4 when h5wasm cannot say). */
function elementSize(ds: Dataset): number {
  try {
    return Math.max(1, ds.metadata.size);
  } catch {
    return 4;
  }
}

/**
 * Slabs read by h5wasm's `get_dataset_data` into one buffer of its heap;
 * each `read` returns a view of that buffer, valid until the next read.
 */
function rawSlabReader(
  ds: Dataset,
  raw: H5RawRead,
  shape: number[],
  slabSize: number
): { read(a: number, b: number): ArrayLike<number>; close(): void } | null {
  const accessor = accessorOf(ds);
  if (!accessor) {
    return null;
  }
  const { ctor, size } = accessor;
  const ptr = raw._malloc(Math.max(1, slabSize * size));
  if (!ptr) {
    return null;
  }
  const strides = shape.map(() => 1n);
  return {
    read(a: number, b: number): ArrayLike<number> {
      const count = shape.map((n, d) => BigInt(d === 0 ? b - a : n));
      const offset = shape.map((_, d) => BigInt(d === 0 ? a : 0));
      raw.get_dataset_data(ds.file_id, ds.path, count, offset, strides, BigInt(ptr));
      const n = Number(count.reduce((x, y) => x * y, 1n));
      return new ctor(raw.HEAPU8.buffer, ptr, n);
    },
    close(): void {
      raw._free(ptr);
    }
  };
}

/** NaN and zero counts of a[from…to): one fast summing pass, counting only when a NaN shows. */
function countNanZero(a: Float32Array, from: number, to: number): { nan: number; zero: number } {
  let sum = 0;
  let sumSq = 0;
  for (let k = from; k < to; k++) {
    const v = a[k];
    sum += v;
    sumSq += v * v;
  }
  if (sum === sum) {
    // no NaN (an infinity would make the sum infinite, not NaN, unless ±∞ both occur)
    return { nan: 0, zero: sumSq === 0 ? to - from : 0 };
  }
  let nan = 0;
  let zero = 0;
  for (let k = from; k < to; k++) {
    const v = a[k];
    if (v !== v) {
      nan++;
    } else if (v === 0) {
      zero++;
    }
  }
  return { nan, zero };
}

/** Any numeric value h5wasm returns as an indexable array of numbers. */
function numbers(value: unknown, expected: number): ArrayLike<number> {
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
    return Float64Array.from(value, Number);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<number>;
    if (arr.length !== expected) {
      throw new TypeError(`a frame holds ${arr.length} values, expected ${expected}`);
    }
    return arr;
  }
  if (typeof value === 'number' && expected === 1) {
    return [value];
  }
  throw new TypeError('detector data is not numeric');
}
