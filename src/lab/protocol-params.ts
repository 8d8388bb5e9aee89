/**
 * The parameters of each comm method (docs/comm-protocol.md, "Methods"),
 * validated before anything runs. A request that does not fit gets an
 * `invalid-request` error naming the field. Pure: no JupyterLab imports.
 */
import { STACK_EXTENSIONS } from '../core/io/read.js';
import { DEFAULT_PARAMS, type DeepPartial, type PipelineParams } from '../core/model/result.js';
import { ProtocolError, isPlainObject, type InArray, type JSONObject } from './protocol-arrays.js';

function invalid(message: string): never {
  throw new ProtocolError('invalid-request', message);
}

/**
 * A path on the Jupyter server (relative to its root, as the file browser
 * shows it). No `..` segments, no NUL; a leading `/` is dropped.
 */
export function serverPath(value: unknown, field = 'params.path'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    invalid(`"${field}" must be a non-empty string of at most 1024 characters`);
  }
  if (value.includes('\0')) {
    invalid(`"${field}" contains a NUL character`);
  }
  const path = value.replace(/\\/g, '/').replace(/^\/+/, '');
  if (path.split('/').some(s => s === '..')) {
    invalid(`"${field}" must not contain ".." segments: ${JSON.stringify(value)}`);
  }
  return path;
}

/** `params.path` when present: selects a workbench; absent = the most recently active one. */
export function optionalPath(params: JSONObject): string | undefined {
  return params.path === undefined || params.path === null ? undefined : serverPath(params.path);
}

function bool(params: JSONObject, key: string, fallback: boolean): boolean {
  const v = params[key];
  if (v === undefined || v === null) {
    return fallback;
  }
  if (typeof v !== 'boolean') {
    invalid(`"params.${key}" must be a boolean`);
  }
  return v;
}

function text(params: JSONObject, key: string, max = 1000): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'string' || v.length > max) {
    invalid(`"params.${key}" must be a string of at most ${max} characters`);
  }
  return v;
}

function num(
  params: JSONObject,
  key: string,
  fallback: number,
  range: [number, number],
  integer = false
): number {
  const v = params[key] ?? fallback;
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < range[0] ||
    v > range[1] ||
    (integer && !Number.isInteger(v))
  ) {
    invalid(
      `"params.${key}" must be ${integer ? 'an integer' : 'a number'} in ${range[0]}…${range[1]}, got ${JSON.stringify(v)}`
    );
  }
  return v;
}

function requireArray(
  arrays: Record<string, InArray>,
  name: string,
  dtype: InArray['dtype'],
  ndim: number
): InArray {
  const a = arrays[name];
  if (!a) {
    invalid(`array "${name}" is missing`);
  }
  if (a.dtype !== dtype || a.shape.length !== ndim) {
    invalid(
      `array "${name}" must be ${dtype} with ${ndim} dimension(s), got ${a.dtype} ${JSON.stringify(a.shape)}`
    );
  }
  return a;
}

export interface OpenArraysParams {
  path: string;
  overwrite: boolean;
  title: string | undefined;
  data: Float32Array;
  energies: Float64Array;
  x: Float64Array;
  y: Float64Array;
  control: Float32Array | undefined;
  shape: [number, number, number];
}

/** `open_arrays`: a cube and its axes, written as an NXstxm file at `path`, then opened. */
export function parseOpenArrays(
  params: JSONObject,
  arrays: Record<string, InArray>
): OpenArraysParams {
  const path = serverPath(params.path);
  const lower = path.toLowerCase();
  if (!STACK_EXTENSIONS.some(ext => lower.endsWith(ext))) {
    invalid(`"params.path" must end with one of ${STACK_EXTENSIONS.join(', ')}: ${path}`);
  }
  const data = requireArray(arrays, 'data', 'float32', 3);
  const [ne, ny, nx] = data.shape;
  if (ne < 1 || ny < 1 || nx < 1) {
    invalid(`array "data" is empty: shape ${JSON.stringify(data.shape)}`);
  }
  const axis = (name: string, n: number): Float64Array => {
    const a = requireArray(arrays, name, 'float64', 1);
    if (a.shape[0] !== n) {
      invalid(`array "${name}" has ${a.shape[0]} values, "data" needs ${n}`);
    }
    if (!(a.values as Float64Array).every(Number.isFinite)) {
      invalid(`array "${name}" has non-finite values`);
    }
    return a.values as Float64Array;
  };
  let control: Float32Array | undefined;
  if (arrays.control) {
    const c = requireArray(arrays, 'control', 'float32', 3);
    if (c.shape.join() !== data.shape.join()) {
      invalid(`array "control" must have the shape of "data" ${JSON.stringify(data.shape)}`);
    }
    control = c.values as Float32Array;
  }
  const unknown = Object.keys(arrays).filter(
    n => !['data', 'energies', 'x', 'y', 'control'].includes(n)
  );
  if (unknown.length) {
    invalid(`unexpected array(s) ${unknown.join(', ')}`);
  }
  return {
    path,
    overwrite: bool(params, 'overwrite', false),
    title: text(params, 'title'),
    data: data.values as Float32Array,
    energies: axis('energies', ne),
    x: axis('x', nx),
    y: axis('y', ny),
    control,
    shape: [ne, ny, nx]
  };
}

export interface ReferencesParams {
  path: string | undefined;
  source: string;
  /** CSV text (DESIGN.md §3 format), parsed by the extension's own reader. */
  csv?: string;
  /** Spectra given as arrays `energies:i` / `values:i`. */
  spectra?: { name: string; energies: Float64Array; values: Float64Array }[];
}

/** `set_references`: either `params.csv` (text) or `params.names` + arrays `energies:i`, `values:i`. */
export function parseReferences(
  params: JSONObject,
  arrays: Record<string, InArray>
): ReferencesParams {
  const path = optionalPath(params);
  const source = text(params, 'source', 1000) ?? 'Python';
  const csv = text(params, 'csv', 50_000_000);
  if (csv !== undefined) {
    if (params.names !== undefined || Object.keys(arrays).length) {
      invalid('give either "params.csv" or "params.names" with arrays, not both');
    }
    return { path, source, csv };
  }
  const names = params.names;
  if (
    !Array.isArray(names) ||
    names.length > 64 ||
    !names.every(n => typeof n === 'string' && n.length <= 200)
  ) {
    invalid('"params.names" must be a list of at most 64 strings');
  }
  const spectra = (names as string[]).map((name, i) => {
    const e = requireArray(arrays, `energies:${i}`, 'float64', 1);
    const v = requireArray(arrays, `values:${i}`, 'float64', 1);
    return { name, energies: e.values as Float64Array, values: v.values as Float64Array };
  });
  const expected = 2 * spectra.length;
  if (Object.keys(arrays).length !== expected) {
    invalid(
      `${Object.keys(arrays).length} arrays for ${spectra.length} spectra (expected ${expected})`
    );
  }
  return { path, source, spectra };
}

export interface SimulateParams {
  seed: number;
  /** Oxidised (Na1) fraction of the particle, 0…1. */
  soc: number;
  ny: number;
  nx: number;
  pixelSize: number;
}

export function parseSimulate(params: JSONObject): SimulateParams {
  return {
    seed: num(params, 'seed', 1, [0, 2 ** 32 - 1], true),
    soc: num(params, 'soc', 0.64, [0, 1]),
    ny: num(params, 'ny', 48, [8, 2048], true),
    nx: num(params, 'nx', 64, [8, 2048], true),
    pixelSize: num(params, 'pixel_size', 0.03, [1e-6, 1e6])
  };
}

type Shape = 'number' | 'boolean' | 'string' | 'object';

/**
 * Optional parameters that have no default value (unset = the engine decides),
 * by group, with their type. Keep in step with `PipelineParams`.
 */
export const OPTIONAL_PARAMS: Record<string, Record<string, Exclude<Shape, 'object'>>> = {
  gmvae: { neighbourWeight: 'number' }
};

/** The defaults, with the optional parameters as null: what the hello tells the kernel. */
export function paramsTemplate(): JSONObject {
  const out = JSON.parse(JSON.stringify(DEFAULT_PARAMS)) as JSONObject;
  for (const [group, keys] of Object.entries(OPTIONAL_PARAMS)) {
    const target = out[group] as JSONObject;
    for (const key of Object.keys(keys)) {
      if (!(key in target)) {
        target[key] = null;
      }
    }
  }
  return out;
}

/** A key the object itself has (`in` would also find "constructor", "toString" …). */
function own(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Keys that name an object's prototype machinery: never a parameter, at any depth. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function kindOf(v: unknown): Shape {
  return isPlainObject(v) ? 'object' : (typeof v as Shape);
}

/**
 * Pipeline parameters from JSON: every key must exist in the defaults
 * (`DEFAULT_PARAMS`, so new engine parameters are accepted as they appear)
 * with a value of the default's type; numbers must be finite.
 */
export function parsePipelineParams(value: unknown): DeepPartial<PipelineParams> {
  if (value === undefined || value === null) {
    return {};
  }
  const check = (v: unknown, template: unknown, where: string): void => {
    const want = kindOf(template);
    if (kindOf(v) !== want) {
      invalid(`"${where}" must be a ${want === 'object' ? 'JSON object' : want}`);
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      invalid(`"${where}" must be finite`);
    }
    if (typeof v === 'string' && (v.length === 0 || v.length > 64)) {
      invalid(`"${where}" must be a string of 1–64 characters`);
    }
    if (want === 'object') {
      const obj = v as Record<string, unknown>;
      const tmpl = template as Record<string, unknown>;
      const isGroup = where === 'params.preprocess' || where === 'params.gmvae';
      const group = where.slice('params.'.length);
      for (const [k, sub] of Object.entries(obj)) {
        if (RESERVED_KEYS.has(k)) {
          invalid(`unknown parameter "${where}.${k}"`);
        }
        const optionals = OPTIONAL_PARAMS[group] ?? {};
        const optional = isGroup && !own(tmpl, k) && own(optionals, k) ? optionals[k] : undefined;
        if (optional) {
          if (typeof sub !== optional || (typeof sub === 'number' && !Number.isFinite(sub))) {
            invalid(
              `"${where}.${k}" must be a ${optional === 'number' ? 'finite number' : optional}`
            );
          }
        } else if (isGroup) {
          if (!own(tmpl, k)) {
            invalid(`unknown parameter "${where}.${k}"; known: ${Object.keys(tmpl).join(', ')}`);
          }
          check(sub, tmpl[k], `${where}.${k}`);
        } else if (k === 'mode') {
          if (typeof sub !== 'string' || sub.length > 32) {
            invalid(`"${where}.mode" must be a string`);
          }
        } else if (typeof sub !== 'number' || !Number.isFinite(sub)) {
          invalid(`"${where}.${k}" must be a finite number`);
        }
      }
    }
  };
  if (!isPlainObject(value)) {
    invalid('"params.params" must be a JSON object');
  }
  const defaults = DEFAULT_PARAMS as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) {
    if (!own(defaults, k)) {
      invalid(`unknown parameter "params.${k}"; known: ${Object.keys(defaults).join(', ')}`);
    }
    check(v, defaults[k], `params.${k}`);
  }
  const p = value as DeepPartial<PipelineParams>;
  if (p.threshold !== undefined && (p.threshold < 0 || p.threshold > 2)) {
    invalid(`"params.threshold" must be in 0…2, got ${p.threshold}`);
  }
  if (p.seed !== undefined && (!Number.isInteger(p.seed) || p.seed < 0 || p.seed >= 2 ** 32)) {
    invalid(`"params.seed" must be an integer in 0…2^32−1, got ${p.seed}`);
  }
  return p;
}
