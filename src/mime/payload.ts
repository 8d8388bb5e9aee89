/**
 * The notebook output of a phase-map result, `application/vnd.stxm-phasemap.v1+json`
 * (docs/python.md, "Display"): validated before anything is drawn, because a
 * notebook is untrusted input — field by field against the contract
 * (src/core/contract: MimePayload, the generated validator), then what a
 * schema cannot say (one fraction per phase, the maps' sizes and codes).
 * Maps are uint8 codes, zlib-compressed, in base64. Pure: no DOM (runs in
 * Node tests).
 */
import { ContractError } from '../core/contract/check.js';
import {
  FLAGS,
  MAX_MAP_BASE64,
  MAX_PHASES,
  MIME_TYPE,
  PAYLOAD_MAX_SIDE,
  PAYLOAD_MAX_WARNINGS
} from '../core/contract/contract.js';
import { checkMimePayload, type MimePayload } from '../core/contract/generated.js';

export { MAX_PHASES, MIME_TYPE };
/** The largest map side the payload may claim (the contract's PAYLOAD_MAX_SIDE). */
export const MAX_SIDE = PAYLOAD_MAX_SIDE;
/** At most this many warnings are shown. */
export const MAX_WARNINGS = PAYLOAD_MAX_WARNINGS;

export const FLAG_AMBIGUOUS = FLAGS.ambiguous;
export const FLAG_TRANSITION = FLAGS.transition;
export const FLAG_FALSE_ASSIGNMENT = FLAGS.falseAssignment;
export const FLAG_UNASSIGNED = FLAGS.unassigned;

export interface MapPayload {
  title: string;
  /** The result's stack file (server path), when the payload names it. */
  path: string | null;
  /** (ny, nx) of the maps below. */
  shape: [number, number];
  /** (ny, nx) of the result (the maps may be strided). */
  fullShape: [number, number];
  step: number;
  phaseNames: string[];
  fractions: number[];
  threshold: number | null;
  method: string;
  counts: Record<string, number>;
  pixelSize: { x: number | null; y: number | null };
  /** How far the map can be trusted (the result's warnings; none in older payloads). */
  warnings: { code: string; level: 'info' | 'warning'; message: string }[];
  maps: {
    /** 0 background, i + 1 for phase i. */
    phase: Uint8Array;
    initial: Uint8Array;
    /** Bits: FLAG_AMBIGUOUS, FLAG_TRANSITION, FLAG_FALSE_ASSIGNMENT, FLAG_UNASSIGNED. */
    flags: Uint8Array;
    /** round(confidence × 255); 0 outside the particle. */
    confidence: Uint8Array;
  };
}

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

function fail(message: string): never {
  throw new PayloadError(message);
}

/** Standard base64, padded, in lines or not (MIME-style line breaks are dropped). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Bytes(text: string): Uint8Array {
  if (text.length > MAX_MAP_BASE64) {
    fail(`a map is larger than ${MAX_MAP_BASE64} characters of base64`);
  }
  const clean = text.replace(/[\r\n]+/g, '');
  if (!BASE64.test(clean)) {
    fail('a map is not valid base64');
  }
  let binary: string;
  try {
    binary = atob(clean);
  } catch {
    fail('a map is not valid base64');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    out[i] = binary.charCodeAt(i);
  }
  return out;
}

/** zlib-decompress with the platform's DecompressionStream, stopping past `limit` bytes. */
async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const out = new Uint8Array(limit);
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      if (n + value.length > limit) {
        fail('a map is larger than its shape');
      }
      out.set(value, n);
      n += value.length;
    }
  } catch (err) {
    if (err instanceof PayloadError) {
      throw err;
    }
    fail('a map is not valid zlib data');
  } finally {
    reader.releaseLock();
  }
  if (n !== limit) {
    fail(`a map has ${n} pixels, its shape needs ${limit}`);
  }
  return out;
}

/** Validate and decode a payload; throws `PayloadError` naming the first problem. */
export async function parsePayload(value: unknown): Promise<MapPayload> {
  let data: MimePayload;
  try {
    data = checkMimePayload(value);
  } catch (err) {
    if (err instanceof ContractError) {
      fail(err.message);
    }
    throw err;
  }
  const [ny, nx] = data.shape;
  if (ny > MAX_SIDE || nx > MAX_SIDE) {
    fail(
      `maps of ${ny} × ${nx} px are larger than ${MAX_SIDE} px a side, the most this renderer ` +
        'draws (stxm_phasemap strides larger results to fit); the output was not drawn'
    );
  }
  const phaseNames = data.phaseNames;
  if (data.fractions.length !== phaseNames.length) {
    fail('"fractions" must have one number per phase');
  }
  const maps = data.maps;
  const decode = async (key: 'phase' | 'initial' | 'flags' | 'confidence'): Promise<Uint8Array> => {
    const text = maps[key];
    try {
      return await inflate(base64Bytes(text), ny * nx);
    } catch (err) {
      throw new PayloadError(`map "${key}": ${(err as Error).message}`);
    }
  };
  const [phase, initial, flags, confidence] = await Promise.all(
    (['phase', 'initial', 'flags', 'confidence'] as const).map(decode)
  );
  for (const [key, codes] of [
    ['phase', phase],
    ['initial', initial]
  ] as const) {
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] > phaseNames.length) {
        fail(`map "${key}" names phase ${codes[i]} of ${phaseNames.length}`);
      }
    }
  }
  return {
    title: data.title ?? '',
    path: data.path ?? null,
    shape: [ny, nx],
    fullShape: (data.fullShape ?? data.shape) as [number, number],
    step: data.step ?? 1,
    phaseNames,
    fractions: data.fractions,
    threshold: data.threshold ?? null,
    method: data.method ?? '',
    counts: data.counts ?? {},
    pixelSize: { x: data.pixelSize?.x ?? null, y: data.pixelSize?.y ?? null },
    warnings: data.warnings ?? [],
    maps: { phase, initial, flags, confidence }
  };
}
