/**
 * The comm protocol `stxm-phasemap/1` (docs/comm-protocol.md), extension side:
 * validation of requests and the splitting of replies into parts of at most
 * 8 MiB of buffers. Pure: no JupyterLab imports, unit-tested in Node.
 */

export const PROTOCOL = 'stxm-phasemap/1';
export const COMM_TARGET = 'stxm-phasemap';
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
export const METHODS = ['list_workbenches', 'get_stack'] as const;
export type Method = (typeof METHODS)[number];

export type JSONValue =
  string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: JSONValue };

export interface Request {
  type: 'request';
  id: string;
  method: Method;
  params: JSONObject;
}

export type ErrorKind = 'invalid-request' | 'not-found' | 'failed';

export class ProtocolError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string
  ) {
    super(message);
  }
}

const DTYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array
} as const;
export type DType = keyof typeof DTYPES;

/** An array to send: a typed array of one of the protocol's dtypes, with its shape. */
export interface OutArray {
  dtype: DType;
  shape: number[];
  values: Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array;
}

export function outArray(values: OutArray['values'], shape: number[]): OutArray {
  const dtype = (Object.keys(DTYPES) as DType[]).find(k => values instanceof DTYPES[k]);
  if (!dtype) {
    throw new TypeError('unsupported array type');
  }
  if (shape.reduce((a, b) => a * b, 1) !== values.length) {
    throw new TypeError(`shape ${JSON.stringify(shape)} does not fit ${values.length} values`);
  }
  return { dtype, shape, values };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validate an incoming message as a request; throws `ProtocolError('invalid-request')`. */
export function parseRequest(data: unknown): Request {
  if (!isPlainObject(data)) {
    throw new ProtocolError('invalid-request', 'message is not a JSON object');
  }
  if (data.type !== 'request') {
    throw new ProtocolError(
      'invalid-request',
      `"type" must be "request", got ${JSON.stringify(data.type)}`
    );
  }
  const id = data.id;
  if (typeof id !== 'string' || id.length < 1 || id.length > 64) {
    throw new ProtocolError('invalid-request', '"id" must be a string of 1–64 characters');
  }
  if (typeof data.method !== 'string' || !(METHODS as readonly string[]).includes(data.method)) {
    throw new ProtocolError(
      'invalid-request',
      `unknown "method" ${JSON.stringify(data.method)}; expected one of ${METHODS.join(', ')}`
    );
  }
  const params = data.params ?? {};
  if (!isPlainObject(params)) {
    throw new ProtocolError('invalid-request', '"params" must be an object');
  }
  if ('path' in params && params.path !== null && typeof params.path !== 'string') {
    throw new ProtocolError('invalid-request', '"params.path" must be a string');
  }
  return { type: 'request', id, method: data.method as Method, params: params as JSONObject };
}

/** The id of a message if it has a usable one, for error replies to malformed requests. */
export function requestIdOf(data: unknown): string | null {
  return isPlainObject(data) && typeof data.id === 'string' && data.id.length <= 64
    ? data.id
    : null;
}

export interface ReplyPart {
  data: JSONObject;
  buffers: ArrayBuffer[];
}

/**
 * Split a successful reply into parts whose buffers add up to at most
 * `maxChunk` bytes each. Part 0 carries `result` and the array descriptions.
 */
export function replyParts(
  id: string,
  result: JSONObject,
  arrays: Record<string, OutArray> = {},
  maxChunk = MAX_CHUNK_BYTES
): ReplyPart[] {
  const descriptions: JSONObject = {};
  type Chunk = { array: string; offset: number; nbytes: number; buffer: ArrayBuffer };
  const chunks: Chunk[] = [];
  for (const [name, arr] of Object.entries(arrays)) {
    const bytes = new Uint8Array(arr.values.buffer, arr.values.byteOffset, arr.values.byteLength);
    descriptions[name] = { dtype: arr.dtype, shape: arr.shape, nbytes: bytes.byteLength };
    for (let offset = 0; offset < bytes.byteLength; offset += maxChunk) {
      const piece = bytes.slice(offset, Math.min(offset + maxChunk, bytes.byteLength));
      chunks.push({ array: name, offset, nbytes: piece.byteLength, buffer: piece.buffer });
    }
  }
  // Pack chunks into parts of at most maxChunk bytes.
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
      type: 'reply',
      id,
      ok: true,
      part,
      parts: groups.length,
      ...(part === 0 ? { result, arrays: descriptions } : {}),
      chunks: group.map(c => ({ array: c.array, offset: c.offset, nbytes: c.nbytes }))
    },
    buffers: group.map(c => c.buffer)
  }));
}

export function errorReply(id: string | null, kind: ErrorKind, message: string): ReplyPart {
  return {
    data: { type: 'reply', id, ok: false, part: 0, parts: 1, error: { kind, message } },
    buffers: []
  };
}
