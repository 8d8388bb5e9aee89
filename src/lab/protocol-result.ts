/**
 * What the extension sends back: stacks, reference sets and phase-map results
 * as JSON plus binary arrays (docs/comm-protocol.md, "Replies"). Every
 * typed-array field of a `PhaseMapResult` is sent, including fields the engine
 * adds later; the rest of the result travels as JSON. Pure: no JupyterLab.
 */
import type { ReferenceSet } from '../core/model/references.js';
import type { PhaseMapResult } from '../core/model/result.js';
import { stackShape, type Stack } from '../core/model/stack.js';
import {
  dtypeOf,
  outArray,
  type JSONObject,
  type JSONValue,
  type OutArray,
  type TypedArray
} from './protocol-arrays.js';

/** JSON-safe copy: non-finite numbers become null, typed arrays are left out. */
export function jsonSafe(value: unknown): JSONValue {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(jsonSafe);
  }
  if (typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: JSONObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && !ArrayBuffer.isView(v)) {
        out[k] = jsonSafe(v);
      }
    }
    return out;
  }
  return null;
}

/**
 * The shape of a result array: maps are (y, x), per-phase maps (N, y, x),
 * latent coordinates (y, x, L), per-phase vectors (N), others 1-D.
 */
export function resultArrayShape(name: string, length: number, result: PhaseMapResult): number[] {
  const [ny, nx] = result.shape;
  const n = result.phaseNames.length;
  const l = result.latentDim;
  if (name === 'latent' && l > 0 && length === ny * nx * l) {
    return [ny, nx, l];
  }
  if (name === 'energies' || name === 'fractions') {
    return [length];
  }
  if (length === ny * nx && ny * nx > 0) {
    return [ny, nx];
  }
  if (n > 0 && length === n * ny * nx && ny * nx > 0) {
    return [n, ny, nx];
  }
  if (l > 0 && length === ny * nx * l) {
    return [ny, nx, l];
  }
  return [length];
}

/** A result as `result` JSON plus arrays; `path` names the workbench it belongs to. */
export function encodeResult(
  result: PhaseMapResult,
  path: string
): { json: JSONObject; arrays: Record<string, OutArray> } {
  const arrays: Record<string, OutArray> = {};
  const json: JSONObject = { path };
  for (const [key, value] of Object.entries(result)) {
    if (ArrayBuffer.isView(value) && dtypeOf(value) !== undefined) {
      const values = value as TypedArray;
      arrays[key] = outArray(values, resultArrayShape(key, values.length, result));
    } else if (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(v => typeof v === 'number')
    ) {
      arrays[key] = outArray(Float64Array.from(value), [value.length]);
    } else if (key === 'trainingLoss' || key === 'validationLoss') {
      arrays[key] = outArray(new Float64Array(0), [0]);
    } else if (key === 'phaseGaussians') {
      const gs = result.phaseGaussians;
      const l = gs.length ? gs[0].mean.length : 0;
      const means = new Float64Array(gs.length * l);
      const covs = new Float64Array(gs.length * l * l);
      gs.forEach((g, i) => {
        means.set(g.mean.subarray(0, l), i * l);
        covs.set(g.cov.subarray(0, l * l), i * l * l);
      });
      arrays.phaseMeans = outArray(means, [gs.length, l]);
      arrays.phaseCovariances = outArray(covs, [gs.length, l, l]);
      json.phaseCounts = gs.map(g => g.count);
    } else {
      json[key] = jsonSafe(value);
    }
  }
  return { json, arrays };
}

/** A stack's arrays as `get_stack` sends them. */
export function stackArrays(stack: Stack): Record<string, OutArray> {
  const [ne, ny, nx] = stackShape(stack);
  return {
    data: outArray(stack.data, [ne, ny, nx]),
    energies: outArray(stack.energies, [ne]),
    x: outArray(stack.x, [nx]),
    y: outArray(stack.y, [ny])
  };
}

/** A reference set as `names` + arrays `energies:i` / `values:i`. */
export function encodeReferences(set: ReferenceSet): {
  json: JSONObject;
  arrays: Record<string, OutArray>;
} {
  const arrays: Record<string, OutArray> = {};
  set.spectra.forEach((r, i) => {
    arrays[`energies:${i}`] = outArray(r.energies, [r.energies.length]);
    arrays[`values:${i}`] = outArray(r.values, [r.values.length]);
  });
  return {
    json: { names: set.spectra.map(r => r.name), source: set.source },
    arrays
  };
}
