/**
 * Arrays on the comm (docs/comm-protocol.md): typed arrays travel as binary
 * buffers in chunks of at most 8 MiB, a message carries at most 8 MiB of
 * buffers, and the receiver rebuilds each array in place. Both directions use
 * the same framing: `arrays` (descriptions, part 0) and `chunks` (one per
 * buffer). The limits, dtypes and descriptions are the contract's
 * (src/core/contract). Pure: no JupyterLab imports.
 */
import { ContractError, type Json, type JsonObject } from '../core/contract/check.js';
import {
  MAX_ARRAYS,
  MAX_ARRAY_BYTES,
  MAX_CHUNK_BYTES,
  MAX_MESSAGE_BYTES,
  type DType,
  type ErrorKind
} from '../core/contract/contract.js';
import { checkArraySpec, checkChunkSpec } from '../core/contract/generated.js';

export { MAX_ARRAYS, MAX_ARRAY_BYTES, MAX_CHUNK_BYTES, MAX_MESSAGE_BYTES };
export type { DType, ErrorKind };

/** The typed array of each of the contract's dtypes. */
export const DTYPES: {
  [D in DType]:
    | Float32ArrayConstructor
    | Float64ArrayConstructor
    | Int8ArrayConstructor
    | Uint8ArrayConstructor
    | Int16ArrayConstructor
    | Uint16ArrayConstructor
    | Int32ArrayConstructor
    | Uint32ArrayConstructor;
} = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array
};
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

export type JSONValue = Json;
export type JSONObject = JsonObject;

/** A message that breaks the protocol, or a request the extension refuses. */
export class ProtocolError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** `check(value)` with a contract violation as an `invalid-request` ProtocolError. */
export function checked<T>(check: (v: unknown, path?: string) => T, value: unknown, path = ''): T {
  try {
    return check(value, path);
  } catch (err) {
    if (err instanceof ContractError) {
      throw new ProtocolError('invalid-request', err.message);
    }
    throw err;
  }
}

function fail(message: string): never {
  throw new ProtocolError('invalid-request', message);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** An array to send: a typed array of one of the protocol's dtypes, with its shape. */
export interface OutArray {
  dtype: DType;
  shape: number[];
  values: TypedArray;
}

export function dtypeOf(values: ArrayBufferView): DType | undefined {
  return (Object.keys(DTYPES) as DType[]).find(k => values instanceof DTYPES[k]);
}

export function outArray(values: TypedArray, shape: number[]): OutArray {
  const dtype = dtypeOf(values);
  if (!dtype) {
    throw new TypeError('unsupported array type');
  }
  if (shape.reduce((a, b) => a * b, 1) !== values.length) {
    throw new TypeError(`shape ${JSON.stringify(shape)} does not fit ${values.length} values`);
  }
  return { dtype, shape, values };
}

/** An array as described in part 0 of a message. */
export interface ArraySpec {
  dtype: DType;
  shape: number[];
  nbytes: number;
}

/** A received array: its values and shape. */
export interface InArray {
  dtype: DType;
  shape: number[];
  values: TypedArray;
}

export interface ChunkSpec {
  array: string;
  offset: number;
  nbytes: number;
}

/** Validate the `arrays` object of part 0. */
export function parseArraySpecs(arrays: unknown): Record<string, ArraySpec> {
  if (arrays === undefined) {
    return {};
  }
  if (!isPlainObject(arrays)) {
    fail('"arrays" must be an object');
  }
  const names = Object.keys(arrays);
  if (names.length > MAX_ARRAYS) {
    fail(`${names.length} arrays in one message (at most ${MAX_ARRAYS})`);
  }
  const specs: Record<string, ArraySpec> = {};
  let total = 0;
  for (const name of names) {
    const { dtype, shape, nbytes } = checked(checkArraySpec, arrays[name], `arrays.${name}`);
    const itemsize = DTYPES[dtype].BYTES_PER_ELEMENT;
    const expected = shape.reduce((a, b) => a * b, 1) * itemsize;
    if (nbytes !== expected) {
      fail(`array "${name}": nbytes ${JSON.stringify(nbytes)} != ${expected}`);
    }
    if (expected > MAX_ARRAY_BYTES) {
      fail(`array "${name}": ${expected} bytes is too large`);
    }
    specs[name] = { dtype, shape, nbytes: expected };
    total += expected;
  }
  if (total > MAX_MESSAGE_BYTES) {
    fail(`arrays of ${total} bytes in all (a message holds at most ${MAX_MESSAGE_BYTES} bytes)`);
  }
  return specs;
}

/** Validate a message's `chunks` list against its buffer count. */
export function parseChunks(chunks: unknown, nBuffers: number): ChunkSpec[] {
  if (chunks === undefined && nBuffers === 0) {
    return [];
  }
  if (!Array.isArray(chunks)) {
    fail('"chunks" must be a list');
  }
  if (chunks.length !== nBuffers) {
    fail(`${chunks.length} chunks described for ${nBuffers} buffers`);
  }
  return chunks.map((c, i) => {
    const { array, offset, nbytes } = checked(checkChunkSpec, c, `chunks[${i}]`);
    return { array, offset, nbytes };
  });
}

/** A part of a message as it goes on the wire. */
export interface WirePart {
  data: JSONObject;
  buffers: ArrayBuffer[];
}

/**
 * Split a message into parts whose buffers add up to at most `maxChunk`
 * bytes each. Every part carries `common` (type, id …) plus `part`, `parts`
 * and `chunks`; part 0 also carries `first` (result, method, params …) and the
 * array descriptions.
 *
 * A part's `buffers` are copied out of the arrays when they are read, each
 * time: a reply of 100 MB is then copied one part at a time, as each is sent,
 * rather than all at once (427 ms on one task for `simulate` at 1024 × 1024,
 * measured in Chromium). The copy is needed: JupyterLab's v1 websocket
 * serialiser sends a view's whole underlying buffer, ignoring its offset.
 */
export function splitParts(
  common: JSONObject,
  first: JSONObject,
  arrays: Record<string, OutArray> = {},
  maxChunk = MAX_CHUNK_BYTES
): WirePart[] {
  const descriptions: JSONObject = {};
  type Chunk = ChunkSpec & { bytes: Uint8Array };
  const chunks: Chunk[] = [];
  for (const [name, arr] of Object.entries(arrays)) {
    const bytes = new Uint8Array(arr.values.buffer, arr.values.byteOffset, arr.values.byteLength);
    descriptions[name] = { dtype: arr.dtype, shape: arr.shape, nbytes: bytes.byteLength };
    for (let offset = 0; offset < bytes.byteLength; offset += maxChunk) {
      const nbytes = Math.min(maxChunk, bytes.byteLength - offset);
      chunks.push({ array: name, offset, nbytes, bytes });
    }
  }
  const groups: Chunk[][] = [[]];
  let size = 0;
  for (const c of chunks) {
    const current = groups[groups.length - 1];
    if (current.length > 0 && size + c.nbytes > maxChunk) {
      groups.push([c]);
      size = c.nbytes;
    } else {
      current.push(c);
      size += c.nbytes;
    }
  }
  return groups.map((group, part) => ({
    data: {
      ...common,
      part,
      parts: groups.length,
      ...(part === 0 ? { ...first, arrays: descriptions } : {}),
      chunks: group.map(c => ({ array: c.array, offset: c.offset, nbytes: c.nbytes }))
    },
    get buffers(): ArrayBuffer[] {
      return group.map(c => c.bytes.slice(c.offset, c.offset + c.nbytes).buffer);
    }
  }));
}

/**
 * Check the buffers of one received message against the limits, before
 * anything is parsed or copied: no buffer over `MAX_CHUNK_BYTES`, and no more
 * than that in all. Returns the problem, or null.
 */
export function bufferLimitProblem(
  buffers: readonly (ArrayBuffer | ArrayBufferView)[]
): string | null {
  let total = 0;
  for (const b of buffers) {
    if (b.byteLength > MAX_CHUNK_BYTES) {
      return `a buffer of ${b.byteLength} bytes is larger than a chunk may be (at most ${MAX_CHUNK_BYTES} bytes)`;
    }
    total += b.byteLength;
  }
  if (total > MAX_CHUNK_BYTES) {
    return `${total} bytes of buffers in one message (a message carries at most ${MAX_CHUNK_BYTES} bytes)`;
  }
  return null;
}

/** The bytes of a received buffer (JupyterLab hands out DataViews or ArrayBuffers). */
export function bufferBytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
}

/**
 * Collects the parts of one message and rebuilds its arrays in place: each
 * array is allocated once, every chunk is copied to its offset. Parts may
 * arrive in any order; the message is complete when every part arrived and
 * every byte of every array was covered exactly once.
 */
export class PartAssembler {
  constructor(readonly id: string) {}

  /** Number of parts, once known. */
  get parts(): number | null {
    return this._parts;
  }
  /** Part 0 has arrived (with its array descriptions). */
  get hasFirst(): boolean {
    return this._specs !== null;
  }
  get complete(): boolean {
    return (
      this._parts !== null &&
      this._seen.size === this._parts &&
      this._specs !== null &&
      Object.entries(this._specs).every(([n, s]) => this._filled.get(n) === s.nbytes)
    );
  }

  /**
   * Add one part: `part`/`parts` validated by the caller's message parser,
   * `arrays` the raw descriptions of part 0 (undefined in later parts).
   */
  add(
    part: number,
    parts: number,
    arrays: unknown,
    chunks: unknown,
    buffers: readonly (ArrayBuffer | ArrayBufferView)[]
  ): void {
    if (!isCount(parts) || parts < 1) {
      fail('"parts" must be a positive integer');
    }
    if (!isCount(part) || part >= parts) {
      fail(`"part" ${JSON.stringify(part)} is outside 0..${parts - 1}`);
    }
    if (this._parts !== null && this._parts !== parts) {
      fail(`"parts" changed from ${this._parts} to ${parts}`);
    }
    if (this._seen.has(part)) {
      fail(`part ${part} arrived twice`);
    }
    const parsedChunks = parseChunks(chunks, buffers.length);
    let specs: Record<string, ArraySpec> | null = null;
    if (part === 0) {
      specs = parseArraySpecs(arrays);
    }
    this._parts = parts;
    this._seen.add(part);
    if (specs) {
      this._specs = specs;
      for (const [name, spec] of Object.entries(specs)) {
        this._bytes.set(name, new Uint8Array(spec.nbytes));
        this._filled.set(name, 0);
        this._ranges.set(name, []);
      }
      const pending = this._pending;
      this._pending = [];
      for (const p of pending) {
        this.copy(p.chunks, p.buffers);
      }
    }
    if (this._specs === null) {
      this._pending.push({ chunks: parsedChunks, buffers: [...buffers] });
    } else {
      this.copy(parsedChunks, buffers);
    }
    if (this._seen.size === this._parts && !this.complete) {
      const short = Object.entries(this._specs ?? {})
        .filter(([n, s]) => this._filled.get(n) !== s.nbytes)
        .map(([n]) => n);
      fail(`message ended with array(s) ${short.join(', ')} incomplete`);
    }
  }

  /** The rebuilt arrays (once complete). */
  arrays(): Record<string, InArray> {
    if (!this.complete || this._specs === null) {
      fail('message is not complete');
    }
    const out: Record<string, InArray> = {};
    for (const [name, spec] of Object.entries(this._specs)) {
      const bytes = this._bytes.get(name)!;
      const Ctor = DTYPES[spec.dtype];
      out[name] = {
        dtype: spec.dtype,
        shape: spec.shape,
        values: new Ctor(bytes.buffer as ArrayBuffer, 0, spec.nbytes / Ctor.BYTES_PER_ELEMENT)
      };
    }
    return out;
  }

  private copy(chunks: ChunkSpec[], buffers: readonly (ArrayBuffer | ArrayBufferView)[]): void {
    const specs = this._specs!;
    chunks.forEach((c, i) => {
      const spec = specs[c.array];
      if (!spec) {
        fail(`chunk for unknown array ${JSON.stringify(c.array)}`);
      }
      const bytes = bufferBytes(buffers[i]);
      if (bytes.byteLength !== c.nbytes) {
        fail(`chunk of "${c.array}" says ${c.nbytes} bytes, buffer has ${bytes.byteLength}`);
      }
      if (c.offset + c.nbytes > spec.nbytes) {
        fail(`chunk [${c.offset}, ${c.offset + c.nbytes}) is outside array "${c.array}"`);
      }
      const ranges = this._ranges.get(c.array)!;
      for (const [lo, hi] of ranges) {
        if (c.offset < hi && c.offset + c.nbytes > lo) {
          fail(`chunks of "${c.array}" overlap at ${c.offset}`);
        }
      }
      ranges.push([c.offset, c.offset + c.nbytes]);
      this._bytes.get(c.array)!.set(bytes, c.offset);
      this._filled.set(c.array, this._filled.get(c.array)! + c.nbytes);
    });
  }

  private _parts: number | null = null;
  private readonly _seen = new Set<number>();
  private _specs: Record<string, ArraySpec> | null = null;
  private readonly _bytes = new Map<string, Uint8Array>();
  private readonly _filled = new Map<string, number>();
  private readonly _ranges = new Map<string, [number, number][]>();
  private _pending: {
    chunks: ChunkSpec[];
    buffers: (ArrayBuffer | ArrayBufferView)[];
  }[] = [];
}
