/**
 * The comm protocol `stxm-phasemap/1` (docs/comm-protocol.md), extension side:
 * the messages, their validation, and the framing of replies. The messages'
 * shapes, the methods and the limits are the contract's (src/core/contract,
 * validators generated from it); this file adds what a schema cannot say
 * (which part carries what). Pure: no JupyterLab imports, unit-tested in Node.
 * Arrays and their chunking are in protocol-arrays.ts, the parameters of each
 * method in protocol-params.ts.
 */
import {
  ARRAY_METHODS,
  COMM_TARGET,
  MAX_CHUNK_BYTES,
  MAX_ID_LENGTH,
  METHODS,
  PROTOCOL,
  type Method
} from '../core/contract/contract.js';
import {
  checkCancel,
  checkPing,
  checkRequestPart,
  type Ack,
  type ErrorReply,
  type Hello,
  type Pong,
  type Progress,
  type ProgressEvent,
  type RequestPart as WireRequestPart
} from '../core/contract/generated.js';
import {
  ProtocolError,
  checked,
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
export { ARRAY_METHODS, COMM_TARGET, METHODS, PROTOCOL, type Method };

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
  /** Part 0 only: array descriptions (checked against the contract; sizes by the assembler). */
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

/** Validate any message from the kernel; throws `ProtocolError('invalid-request')`. */
export function parseIncoming(data: unknown): Incoming {
  if (!isPlainObject(data)) {
    invalid('message is not a JSON object');
  }
  switch (data.type) {
    case 'request':
      return parseRequestPart(checked(checkRequestPart, data));
    case 'cancel':
      return { type: 'cancel', id: checked(checkCancel, data).id };
    case 'ping':
      return { type: 'ping', id: checked(checkPing, data).id };
    case 'error': {
      // only logged: read leniently, whatever the kernel sent
      const err = isPlainObject(data.error) ? data.error : {};
      return {
        type: 'error',
        id: typeof data.id === 'string' ? data.id.slice(0, MAX_ID_LENGTH) : null,
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

function parseRequestPart(data: WireRequestPart): RequestPart {
  const { id, part = 0, parts = 1 } = data;
  if (part >= parts) {
    invalid(`"part" ${JSON.stringify(part)} is outside 0..${parts - 1}`);
  }
  const out: RequestPart = { type: 'request', id, part, parts, chunks: data.chunks };
  if (part === 0) {
    if (data.method === undefined) {
      invalid(`unknown "method" undefined; expected one of ${METHODS.join(', ')}`);
    }
    out.method = data.method;
    out.params = data.params ?? {};
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
  return isPlainObject(data) && typeof data.id === 'string' && data.id.length <= MAX_ID_LENGTH
    ? data.id
    : null;
}

/** The extension's greeting once it accepted a comm. */
export function hello(options: {
  version: string;
  serverRoot: string | null;
  params: JSONObject;
}): Hello {
  return {
    type: 'hello',
    protocol: PROTOCOL,
    version: options.version,
    methods: [...METHODS],
    maxChunkBytes: MAX_CHUNK_BYTES,
    serverRoot: options.serverRoot,
    params: options.params
  };
}

/** Sent as soon as part 0 of a request arrived and parsed. */
export function ack(id: string): Ack {
  return { type: 'ack', id };
}

/** The answer to a ping: the kernel checks that this side of its comm is still there. */
export function pong(id: string): Pong {
  return { type: 'pong', id };
}

/** A progress event of a running request. */
export function progressEvent(id: string, progress: Progress): ProgressEvent {
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
  const data: ErrorReply = {
    type: 'reply',
    id,
    ok: false,
    part: 0,
    parts: 1,
    error: { kind, message }
  };
  return { data, buffers: [] };
}
