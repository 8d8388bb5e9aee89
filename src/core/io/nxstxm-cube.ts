/**
 * Reading an N-dimensional HDF5 dataset into a float32 (frame, row, column)
 * cube one frame at a time (one hyperslab per frame), whatever the order of
 * the dimensions in the file, so reading holds the float32 cube plus one
 * frame, never a second copy of the cube. Frames that are all NaN, partly
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

/**
 * Read the cube. With `raw` (h5wasm's low-level read), each frame goes into
 * one buffer of the wasm heap and is copied once, into the cube; otherwise
 * through `Dataset.slice` (a fresh array per frame, two copies).
 */
export function readCube(
  ds: Dataset,
  shape: number[],
  map: DimMap,
  [n0, n1, n2]: [number, number, number],
  raw?: H5RawRead
): { data: Float32Array; stats: FrameStats } {
  const out = new Float32Array(n0 * n1 * n2);
  const frameSize = n1 * n2;
  const stats: FrameStats = { nanFrames: [], incompleteFrames: [], zeroFrames: [] };
  const rank = shape.length;
  const blockShape = shape.map((n, d) => (d === map[0] ? 1 : n));
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    strides[d] = strides[d + 1] * blockShape[d + 1];
  }
  const s1 = map[1] === null ? 0 : strides[map[1]];
  const s2 = map[2] === null ? 0 : strides[map[2]];
  const inOrder = s2 === 1 && s1 === n2;
  const direct = raw && rank > 0 ? rawFrameReader(ds, raw, blockShape, map[0], frameSize) : null;

  try {
    for (let i0 = 0; i0 < n0; i0++) {
      const block = direct ? direct.read(i0) : sliceFrame(ds, shape, map[0], i0, frameSize);
      copyFrame(block, out, i0 * frameSize, inOrder, n1, n2, s1, s2);
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
  } finally {
    direct?.close();
  }
  return { data: out, stats };
}

/** One frame through `Dataset.slice` (or the value of a rank-0 dataset). */
function sliceFrame(
  ds: Dataset,
  shape: number[],
  frameDim: number | null,
  i0: number,
  frameSize: number
): ArrayLike<number> {
  if (shape.length === 0) {
    return numbers(ds.value, frameSize);
  }
  const ranges = shape.map((): [] | [number, number] => []);
  if (frameDim !== null) {
    ranges[frameDim] = [i0, i0 + 1];
  }
  return numbers(ds.slice(ranges), frameSize);
}

type NumberArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
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

/**
 * Frames read by h5wasm's `get_dataset_data` into one buffer of its heap;
 * each `read` returns a view of that buffer, valid until the next read.
 */
function rawFrameReader(
  ds: Dataset,
  raw: H5RawRead,
  blockShape: number[],
  frameDim: number | null,
  frameSize: number
): { read(i0: number): ArrayLike<number>; close(): void } | null {
  const accessor = accessorOf(ds);
  if (!accessor) {
    return null;
  }
  const { ctor, size } = accessor;
  const ptr = raw._malloc(Math.max(1, frameSize * size));
  if (!ptr) {
    return null;
  }
  const count = blockShape.map(n => BigInt(n));
  const strides = blockShape.map(() => 1n);
  return {
    read(i0: number): ArrayLike<number> {
      const offset = blockShape.map((_, d) => BigInt(d === frameDim ? i0 : 0));
      raw.get_dataset_data(ds.file_id, ds.path, count, offset, strides, BigInt(ptr));
      return new ctor(raw.HEAPU8.buffer, ptr, frameSize);
    },
    close(): void {
      raw._free(ptr);
    }
  };
}

/** A frame (in the file's order) into the cube at `offset` (frame, row, column). */
function copyFrame(
  block: ArrayLike<number>,
  out: Float32Array,
  offset: number,
  inOrder: boolean,
  n1: number,
  n2: number,
  s1: number,
  s2: number
): void {
  const frameSize = n1 * n2;
  if (inOrder) {
    if (ArrayBuffer.isView(block)) {
      out.set(block, offset); // native conversion to float32
    } else {
      for (let k = 0; k < frameSize; k++) {
        out[offset + k] = block[k];
      }
    }
  } else {
    let k = offset;
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        out[k++] = block[i1 * s1 + i2 * s2];
      }
    }
  }
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
