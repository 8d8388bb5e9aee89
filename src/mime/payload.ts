/**
 * The notebook output of a phase-map result, `application/vnd.stxm-phasemap.v1+json`
 * (docs/python.md, "Display"): validated field by field before anything is
 * drawn, because a notebook is untrusted input. Maps are uint8 codes,
 * zlib-compressed, in base64. Pure: no DOM (runs in Node tests).
 */

export const MIME_TYPE = 'application/vnd.stxm-phasemap.v1+json';
/**
 * The largest map side the payload may claim: Python strides maps to ≤ 256
 * (docs/python.md). An untrusted notebook claiming more is refused, and the
 * output says so: 90 maps of 2048² took 38 s and 8.7 GB to draw.
 */
export const MAX_SIDE = 256;
/** Phase codes are uint8: 0 background, 1…250 phases. */
export const MAX_PHASES = 250;
/** A 256 × 256 uint8 map is 64 KiB; even incompressible, its base64 is under 90 kB. */
const MAX_BASE64 = 512 * 1024;

/** At most this many warnings, of at most this many characters, are shown. */
export const MAX_WARNINGS = 32;
const MAX_WARNING_CHARS = 1000;

export const FLAG_AMBIGUOUS = 1;
export const FLAG_TRANSITION = 2;
export const FLAG_FALSE_ASSIGNMENT = 4;
export const FLAG_UNASSIGNED = 8;

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intIn(v: unknown, lo: number, hi: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    fail(`${what} must be an integer in ${lo}…${hi}`);
  }
  return v;
}

function shape(v: unknown, what: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) {
    fail(`${what} must be [ny, nx]`);
  }
  return [intIn(v[0], 1, 1 << 20, `${what}[0]`), intIn(v[1], 1, 1 << 20, `${what}[1]`)];
}

function numberOrNull(v: unknown, what: string): number | null {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    fail(`${what} must be a finite number or null`);
  }
  return v;
}

function shortText(v: unknown, what: string, max = 300): string {
  if (typeof v !== 'string' || v.length > max) {
    fail(`${what} must be a string of at most ${max} characters`);
  }
  return v;
}

/** Standard base64, padded, in lines or not (MIME-style line breaks are dropped). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Bytes(text: string): Uint8Array {
  if (text.length > MAX_BASE64) {
    fail(`a map is larger than ${MAX_BASE64} characters of base64`);
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
export async function parsePayload(data: unknown): Promise<MapPayload> {
  if (!isObject(data)) {
    fail('the output is not a JSON object');
  }
  if (data.version !== 1) {
    fail(
      `unsupported version ${JSON.stringify(data.version)?.slice(0, 20)} (this extension reads 1)`
    );
  }
  if (data.encoding !== 'zlib+base64') {
    fail('unsupported map encoding');
  }
  const [ny, nx] = shape(data.shape, '"shape"');
  if (ny > MAX_SIDE || nx > MAX_SIDE) {
    fail(
      `maps of ${ny} × ${nx} px are larger than ${MAX_SIDE} px a side, the most this renderer ` +
        'draws (stxm_phasemap strides larger results to fit); the output was not drawn'
    );
  }
  const fullShape = shape(data.fullShape ?? data.shape, '"fullShape"');
  const step = intIn(data.step ?? 1, 1, 1 << 20, '"step"');
  const names = data.phaseNames;
  if (!Array.isArray(names) || names.length < 1 || names.length > MAX_PHASES) {
    fail(`"phaseNames" must list 1…${MAX_PHASES} names`);
  }
  const phaseNames = names.map((n, i) => shortText(n, `phase name ${i + 1}`, 200));
  const fr = data.fractions;
  if (!Array.isArray(fr) || fr.length !== phaseNames.length) {
    fail('"fractions" must have one number per phase');
  }
  const fractions = fr.map((f, i) => {
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0 || f > 1) {
      fail(`fraction ${i + 1} must be a number in 0…1`);
    }
    return f;
  });
  const counts: Record<string, number> = {};
  if (data.counts !== undefined) {
    if (!isObject(data.counts) || Object.keys(data.counts).length > 32) {
      fail('"counts" must be an object of at most 32 numbers');
    }
    for (const [k, v] of Object.entries(data.counts)) {
      counts[shortText(k, 'a count name', 64)] = intIn(
        v,
        0,
        Number.MAX_SAFE_INTEGER,
        `count "${k}"`
      );
    }
  }
  const px = isObject(data.pixelSize) ? data.pixelSize : {};
  const warnings = parseWarnings(data.warnings);
  if (!isObject(data.maps)) {
    fail('"maps" must be an object');
  }
  const maps = data.maps;
  const decode = async (key: string): Promise<Uint8Array> => {
    const text = maps[key];
    if (typeof text !== 'string') {
      fail(`map "${key}" is missing`);
    }
    try {
      return await inflate(base64Bytes(text), ny * nx);
    } catch (err) {
      throw new PayloadError(`map "${key}": ${(err as Error).message}`);
    }
  };
  const [phase, initial, flags, confidence] = await Promise.all(
    ['phase', 'initial', 'flags', 'confidence'].map(decode)
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
    title: shortText(data.title ?? '', '"title"', 1000),
    path:
      data.path === undefined || data.path === null ? null : shortText(data.path, '"path"', 1000),
    shape: [ny, nx],
    fullShape,
    step,
    phaseNames,
    fractions,
    threshold: numberOrNull(data.threshold, '"threshold"'),
    method: shortText(data.method ?? '', '"method"', 64),
    counts,
    pixelSize: { x: numberOrNull(px.x, 'pixelSize.x'), y: numberOrNull(px.y, 'pixelSize.y') },
    warnings,
    maps: { phase, initial, flags, confidence }
  };
}

function parseWarnings(v: unknown): MapPayload['warnings'] {
  if (v === undefined || v === null) {
    return [];
  }
  if (!Array.isArray(v) || v.length > MAX_WARNINGS) {
    fail(`"warnings" must be a list of at most ${MAX_WARNINGS}`);
  }
  return v.map((w, i) => {
    if (!isObject(w) || (w.level !== 'info' && w.level !== 'warning')) {
      fail(`warning ${i + 1} must be an object with level "info" or "warning"`);
    }
    return {
      code: shortText(w.code, `warning ${i + 1}'s code`, 64),
      level: w.level,
      message: shortText(w.message, `warning ${i + 1}'s message`, MAX_WARNING_CHARS)
    };
  });
}
