/**
 * Reading an N-dimensional HDF5 dataset into a float32 (frame, row, column)
 * cube one frame at a time (one hyperslab per frame), whatever the order of
 * the dimensions in the file, so reading holds the float32 cube plus one
 * frame, never a second copy of the cube. Frames that are all NaN, partly
 * NaN or all zero are counted on the way.
 */
import type { Dataset } from 'h5wasm';

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

export function readCube(
  ds: Dataset,
  shape: number[],
  map: DimMap,
  [n0, n1, n2]: [number, number, number]
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

  for (let i0 = 0; i0 < n0; i0++) {
    const ranges = shape.map((): [] | [number, number] => []);
    if (map[0] !== null) {
      ranges[map[0]] = [i0, i0 + 1];
    }
    const block = numbers(rank === 0 ? ds.value : ds.slice(ranges), frameSize);
    const offset = i0 * frameSize;
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
    const { nan, zero } = countNanZero(out, offset, offset + frameSize);
    if (nan === frameSize) {
      stats.nanFrames.push(i0);
    } else if (nan > 0) {
      stats.incompleteFrames.push(i0);
    } else if (zero === frameSize) {
      stats.zeroFrames.push(i0);
    }
  }
  return { data: out, stats };
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
