/**
 * The comm protocol `stxm-phasemap/1` (docs/comm-protocol.md), extension side:
 * the messages, their validation, and the framing of replies. Pure: no
 * JupyterLab imports, unit-tested in Node. Arrays and their chunking are in
 * protocol-arrays.ts, the parameters of each method in protocol-params.ts.
 */
import {
  ProtocolError,
  isPlainObject,
  splitParts,
  type ErrorKind,
  type JSONObject,
  type OutArray,
  type WirePart
} from './protocol-arrays.js';

export {
  MAX_CHUNK_BYTES,
  ProtocolError,
  outArray,
  type ErrorKind,
  type JSONObject,
  type JSONValue,
  type OutArray
} from './protocol-arrays.js';

export const PROTOCOL = 'stxm-phasemap/1';
export const COMM_TARGET = 'stxm-phasemap';
export const METHODS = [
  'list_workbenches',
  'get_stack',
  'open',
  'open_arrays',
  'set_references',
  'get_references',
  'run',
  'get_result',
  'simulate'
] as const;
export type Method = (typeof METHODS)[number];
/** The methods whose requests carry arrays; every other request is one part without buffers. */
export const ARRAY_METHODS: readonly Method[] = ['open_arrays', 'set_references'];

/** One part of a request, validated (docs/comm-protocol.md, "Requests"). */
export interface RequestPart {
  type: 'request';
  id: string;
  part: number;
  parts: number;
  /** Part 0 only. */
  method?: Method;
  /** Part 0 only (default {}). */
  params?: JSONObject;
  /** Part 0 only: raw array descriptions (validated by the assembler). */
  arrays?: unknown;
  chunks?: unknown;
}

/** Messages the kernel sends. */
export type Incoming =
  | RequestPart
  | { type: 'cancel'; id: string }
  | { type: 'ping'; id: string }
  | { type: 'error'; id: string | null; error: { kind: string; message: string } };

function invalid(message: string): never {
  throw new ProtocolError('invalid-request', message);
}

function parseId(id: unknown): string {
  if (typeof id !== 'string' || id.length < 1 || id.length > 64) {
    invalid('"id" must be a string of 1–64 characters');
  }
  return id;
}

/** Validate any message from the kernel; throws `ProtocolError('invalid-request')`. */
export function parseIncoming(data: unknown): Incoming {
  if (!isPlainObject(data)) {
    invalid('message is not a JSON object');
  }
  switch (data.type) {
    case 'request':
      return parseRequestPart(data);
    case 'cancel':
      return { type: 'cancel', id: parseId(data.id) };
    case 'ping':
      return { type: 'ping', id: parseId(data.id) };
    case 'error': {
      const err = isPlainObject(data.error) ? data.error : {};
      return {
        type: 'error',
        id: typeof data.id === 'string' ? data.id.slice(0, 64) : null,
        error: {
          kind: typeof err.kind === 'string' ? err.kind.slice(0, 64) : 'unknown',
          message: typeof err.message === 'string' ? err.message.slice(0, 2000) : ''
        }
      };
    }
    default:
      invalid(
        `"type" must be "request", "cancel", "ping" or "error", got ${JSON.stringify(data.type)?.slice(0, 40)}`
      );
  }
}

function parseRequestPart(data: Record<string, unknown>): RequestPart {
  const id = parseId(data.id);
  const part = data.part ?? 0;
  const parts = data.parts ?? 1;
  if (typeof parts !== 'number' || !Number.isSafeInteger(parts) || parts < 1) {
    invalid('"parts" must be a positive integer');
  }
  if (typeof part !== 'number' || !Number.isSafeInteger(part) || part < 0 || part >= parts) {
    invalid(`"part" ${JSON.stringify(part)} is outside 0..${parts - 1}`);
  }
  const out: RequestPart = { type: 'request', id, part, parts, chunks: data.chunks };
  if (part === 0) {
    if (typeof data.method !== 'string' || !(METHODS as readonly string[]).includes(data.method)) {
      invalid(
        `unknown "method" ${JSON.stringify(data.method)?.slice(0, 40)}; expected one of ${METHODS.join(', ')}`
      );
    }
    const params = data.params ?? {};
    if (!isPlainObject(params)) {
      invalid('"params" must be an object');
    }
    out.method = data.method as Method;
    out.params = params as JSONObject;
    out.arrays = data.arrays;
  } else if ('method' in data || 'params' in data || 'arrays' in data) {
    invalid(`only part 0 may carry "method", "params" and "arrays" (this is part ${part})`);
  }
  return out;
}

/** A single-part request without arrays (the skeleton's form); kept for tests and callers. */
export function parseRequest(data: unknown): {
  type: 'request';
  id: string;
  method: Method;
  params: JSONObject;
} {
  const msg = parseIncoming(data);
  if (msg.type !== 'request' || msg.part !== 0) {
    invalid('not the first part of a request');
  }
  return { type: 'request', id: msg.id, method: msg.method!, params: msg.params! };
}

/** The id of a message if it has a usable one, for error replies to malformed requests. */
export function requestIdOf(data: unknown): string | null {
  return isPlainObject(data) && typeof data.id === 'string' && data.id.length <= 64
    ? data.id
    : null;
}

/** The extension's greeting once it accepted a comm. */
export function hello(options: {
  version: string;
  serverRoot: string | null;
  params: JSONObject;
}): JSONObject {
  return {
    type: 'hello',
    protocol: PROTOCOL,
    version: options.version,
    methods: [...METHODS],
    maxChunkBytes: 8 * 1024 * 1024,
    serverRoot: options.serverRoot,
    params: options.params
  };
}

/** Sent as soon as part 0 of a request arrived and parsed. */
export function ack(id: string): JSONObject {
  return { type: 'ack', id };
}

/** The answer to a ping: the kernel checks that this side of its comm is still there. */
export function pong(id: string): JSONObject {
  return { type: 'pong', id };
}

/** A progress event of a running request. */
export function progressEvent(id: string, progress: JSONObject): JSONObject {
  return { type: 'event', id, event: 'progress', progress };
}

/**
 * Split a successful reply into parts whose buffers add up to at most
 * `maxChunk` bytes each. Part 0 carries `result` and the array descriptions.
 */
export function replyParts(
  id: string,
  result: JSONObject,
  arrays: Record<string, OutArray> = {},
  maxChunk?: number
): WirePart[] {
  return splitParts({ type: 'reply', id, ok: true }, { result }, arrays, maxChunk);
}

export function errorReply(id: string | null, kind: ErrorKind, message: string): WirePart {
  return {
    data: { type: 'reply', id, ok: false, part: 0, parts: 1, error: { kind, message } },
    buffers: []
  };
}
