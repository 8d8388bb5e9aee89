/**
 * The parameters of each comm method (docs/comm-protocol.md, "Methods"),
 * validated before anything runs: first against the contract (the generated
 * validators: types, ranges, lengths; the arrays' names, dtypes and
 * dimensions from the method's table), then for what only this side knows
 * (server paths, stack file names, finite axes). A request that does not fit
 * gets an `invalid-request` error naming the field. Pure: no JupyterLab imports.
 */
import { DEFS, METHOD_DEFS, type ArrayDef, type Method } from '../core/contract/contract.js';
import {
  checkOpenArraysParams,
  checkSetReferencesParams,
  checkSimulateParams
} from '../core/contract/generated.js';
import { STACK_EXTENSIONS } from '../core/io/read.js';
import { ParameterError, parameterSpec, validateParams } from '../core/model/param-specs.js';
import { DEFAULT_PARAMS, type DeepPartial, type PipelineParams } from '../core/model/result.js';
import {
  ProtocolError,
  checked,
  isPlainObject,
  type InArray,
  type JSONObject
} from './protocol-arrays.js';

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

/**
 * The arrays of a request against the method's table (contract.ts,
 * METHOD_DEFS): every array present (`{i}` names once per item of
 * `params.names`), of its dtype and number of dimensions, with the same size
 * along dimensions of the same name, finite where the table says so, and no
 * other arrays.
 */
export function checkArrays(
  method: Method,
  params: JSONObject,
  arrays: Record<string, InArray>
): void {
  const defs: ArrayDef[] = METHOD_DEFS[method].arraysIn;
  const expected: { name: string; def: ArrayDef; i: number }[] = [];
  for (const def of defs) {
    const n = def.repeat
      ? Array.isArray(params[def.repeat])
        ? (params[def.repeat] as []).length
        : 0
      : 1;
    for (let i = 0; i < n; i++) {
      expected.push({ name: def.name.replace('{i}', String(i)), def, i });
    }
  }
  const sizes = new Map<string, [number, string]>();
  for (const { name, def, i } of expected) {
    const a = arrays[name];
    if (!a) {
      if (def.optional) {
        continue;
      }
      invalid(`array "${name}" is missing`);
    }
    const dims = def.dims?.map(d => d.replace('{i}', String(i)));
    if (a.dtype !== def.dtype || (dims && a.shape.length !== dims.length)) {
      invalid(
        `array "${name}" must be ${def.dtype}${dims ? ` with ${dims.length} dimension(s)` : ''}, got ${a.dtype} ${JSON.stringify(a.shape)}`
      );
    }
    dims?.forEach((dim, k) => {
      const seen = sizes.get(dim);
      if (seen === undefined) {
        sizes.set(dim, [a.shape[k], name]);
      } else if (seen[0] !== a.shape[k]) {
        const [size, other] = seen;
        invalid(
          dims.length > 1
            ? `array "${name}" must have the shape of "${other}" along ${dim} (${size}), got ${JSON.stringify(a.shape)}`
            : `array "${name}" has ${a.shape[k]} values, "${other}" needs ${size}`
        );
      }
    });
    if (def.finite && !Array.from(a.values as ArrayLike<number>).every(Number.isFinite)) {
      invalid(`array "${name}" has non-finite values`);
    }
  }
  const unknown = Object.keys(arrays).filter(n => !expected.some(e => e.name === n));
  if (unknown.length) {
    invalid(`unexpected array(s) ${unknown.join(', ')}`);
  }
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
  const p = checked(checkOpenArraysParams, params, 'params');
  const path = serverPath(p.path);
  const lower = path.toLowerCase();
  if (!STACK_EXTENSIONS.some(ext => lower.endsWith(ext))) {
    invalid(`"params.path" must end with one of ${STACK_EXTENSIONS.join(', ')}: ${path}`);
  }
  checkArrays('open_arrays', params, arrays);
  const [ne, ny, nx] = arrays.data.shape;
  if (ne < 1 || ny < 1 || nx < 1) {
    invalid(`array "data" is empty: shape ${JSON.stringify(arrays.data.shape)}`);
  }
  return {
    path,
    overwrite: p.overwrite ?? false,
    title: p.title ?? undefined,
    data: arrays.data.values as Float32Array,
    energies: arrays.energies.values as Float64Array,
    x: arrays.x.values as Float64Array,
    y: arrays.y.values as Float64Array,
    control: arrays.control?.values as Float32Array | undefined,
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
  const p = checked(checkSetReferencesParams, params, 'params');
  const path = optionalPath(params);
  const source = p.source ?? 'Python';
  if (p.csv !== undefined && p.csv !== null) {
    if (p.names !== undefined || Object.keys(arrays).length) {
      invalid('give either "params.csv" or "params.names" with arrays, not both');
    }
    return { path, source, csv: p.csv };
  }
  if (p.names === undefined) {
    invalid('"params.names" must be a list of at most 64 strings');
  }
  checkArrays('set_references', params, arrays);
  const spectra = p.names.map((name, i) => ({
    name,
    energies: arrays[`energies:${i}`].values as Float64Array,
    values: arrays[`values:${i}`].values as Float64Array
  }));
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

/** The contract's default of a method parameter (DEFS, `default`). */
function defaultOf(def: string, key: string): number {
  return DEFS[def].properties![key].default as number;
}

export function parseSimulate(params: JSONObject): SimulateParams {
  const p = checked(checkSimulateParams, params, 'params');
  const d = (key: string): number => defaultOf('SimulateParams', key);
  return {
    seed: p.seed ?? d('seed'),
    soc: p.soc ?? d('soc'),
    ny: p.ny ?? d('ny'),
    nx: p.nx ?? d('nx'),
    pixelSize: p.pixel_size ?? d('pixel_size')
  };
}

/** The defaults: what the hello tells the kernel (every parameter, by its camelCase key). */
export function paramsTemplate(): JSONObject {
  return JSON.parse(JSON.stringify(DEFAULT_PARAMS)) as JSONObject;
}

/**
 * Pipeline parameters from JSON, checked by the parameter model (types,
 * ranges, unknown keys) before anything is stored: a request that does not
 * fit gets an `invalid-request` error naming the parameter.
 */
export function parsePipelineParams(value: unknown): DeepPartial<PipelineParams> {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isPlainObject(value)) {
    invalid('"params.params" must be a JSON object');
  }
  try {
    validateParams(value);
  } catch (err) {
    if (err instanceof ParameterError) {
      invalid(`"params.params": ${err.message}`);
    }
    throw err;
  }
  return normalisedPartial(value);
}

/** The given parameters only, in their checked form ('off' → 0, 'on' → true …). */
function normalisedPartial(value: Record<string, unknown>): DeepPartial<PipelineParams> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) {
      continue;
    }
    if ((key === 'preprocess' || key === 'gmvae') && isPlainObject(v)) {
      const group: Record<string, unknown> = {};
      for (const sub of Object.keys(v)) {
        const spec = parameterSpec(`${key}.${sub}`);
        if (spec && v[sub] !== undefined) {
          group[sub] = spec.check(v[sub]);
        }
      }
      out[key] = group;
    } else {
      const spec = parameterSpec(key);
      out[key] = spec ? spec.check(v) : v;
    }
  }
  return out;
}
