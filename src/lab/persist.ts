/**
 * What a workbench keeps across page reloads (JupyterLab's state database,
 * keyed by the stack's path): the references (with names, colours), the
 * parameters, the drawn ROIs, the state of charge and the layout. Results are
 * not kept (run again, or export the NeXus result). Everything read back is
 * validated: a damaged entry is ignored, never trusted.
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { RESOLUTION_METHODS, isGmvaeBackend } from '../core/model/result.js';
import { validateReferenceSet, type ReferenceSet } from '../core/model/references.js';
import type { DeepPartial, PipelineParams, ResolutionMethod } from '../core/model/result.js';
import type { SampleRect } from '../views/grid.js';
import type { Roi } from '../views/source.js';
import type { WorkbenchLayoutState } from '../views/workbench.js';

export interface SavedWorkbench {
  references: ReferenceSet | null;
  params: DeepPartial<PipelineParams> | null;
  rois: Roi[];
  stateOfCharge: number | null;
  layout: WorkbenchLayoutState | null;
}

export function saveWorkbench(s: SavedWorkbench): ReadonlyPartialJSONObject {
  return {
    version: 1,
    references: s.references
      ? {
          source: s.references.source,
          spectra: s.references.spectra.map(r => ({
            name: r.name,
            energies: Array.from(r.energies),
            values: Array.from(r.values),
            source: r.source ?? null,
            color: r.color ?? null
          }))
        }
      : null,
    params: s.params ? (JSON.parse(JSON.stringify(s.params)) as ReadonlyPartialJSONObject) : null,
    rois: s.rois.map(r => ({ id: r.id, name: r.name, color: r.color, rect: { ...r.rect } })),
    stateOfCharge: s.stateOfCharge,
    layout: s.layout ? { ...s.layout } : null
  };
}

export function loadWorkbench(value: unknown): SavedWorkbench | null {
  if (!isObj(value) || value.version !== 1) {
    return null;
  }
  return {
    references: loadReferences(value.references),
    params: isObj(value.params) ? loadParams(value.params) : null,
    rois: Array.isArray(value.rois)
      ? value.rois.map(loadRoi).filter((r): r is Roi => r !== null)
      : [],
    stateOfCharge: typeof value.stateOfCharge === 'number' ? value.stateOfCharge : null,
    layout: isObj(value.layout) ? loadLayout(value.layout) : null
  };
}

/** Only known parameters of the right type survive. */
export function loadParams(v: Record<string, unknown>): DeepPartial<PipelineParams> {
  const out: DeepPartial<PipelineParams> = {};
  const num = (x: unknown, min = -Infinity, max = Infinity): x is number =>
    typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max;
  if (num(v.threshold, 0, 1)) {
    out.threshold = v.threshold;
  }
  if (num(v.seed, 0) && Number.isInteger(v.seed)) {
    out.seed = v.seed;
  }
  if (
    typeof v.method === 'string' &&
    (RESOLUTION_METHODS as readonly string[]).includes(v.method)
  ) {
    out.method = v.method as ResolutionMethod;
  }
  const p = v.preprocess;
  if (isObj(p)) {
    const pre: Record<string, unknown> = {};
    const i0 = p.i0;
    if (isObj(i0) && i0.mode === 'auto') {
      pre.i0 = { mode: 'auto' };
    } else if (
      isObj(i0) &&
      i0.mode === 'roi' &&
      [i0.x0, i0.x1, i0.y0, i0.y1].every(x => num(x, 0))
    ) {
      pre.i0 = { mode: 'roi', x0: i0.x0, x1: i0.x1, y0: i0.y0, y1: i0.y1 };
    } else if (
      isObj(i0) &&
      i0.mode === 'spectrum' &&
      numArray(i0.values) &&
      (i0.energies === undefined || numArray(i0.energies))
    ) {
      pre.i0 = {
        mode: 'spectrum',
        values: i0.values,
        ...(i0.energies ? { energies: i0.energies } : {}),
        ...(typeof i0.source === 'string' ? { source: i0.source } : {})
      };
    }
    for (const k of ['ringCurrent', 'align', 'dwell', 'autoEnergyShift'] as const) {
      if (typeof p[k] === 'boolean') {
        pre[k] = p[k];
      }
    }
    const m = p.mask;
    if (isObj(m) && m.mode === 'otsu') {
      pre.mask = { mode: 'otsu' };
    } else if (isObj(m) && m.mode === 'threshold' && num(m.od)) {
      pre.mask = { mode: 'threshold', od: m.od };
    }
    if (num(p.energyShiftEv, -50, 50)) {
      pre.energyShiftEv = p.energyShiftEv;
    }
    if (num(p.binning, 1, 16) && Number.isInteger(p.binning)) {
      pre.binning = p.binning;
    }
    const a = p.alignment;
    if (isObj(a)) {
      const al: Record<string, unknown> = {};
      if (a.reference === 'auto' || num(a.reference, 0)) {
        al.reference = a.reference;
      }
      if (a.interpolation === 'linear' || a.interpolation === 'cubic') {
        al.interpolation = a.interpolation;
      }
      for (const k of ['maxShiftPx', 'upsample']) {
        if (num(a[k], 0)) {
          al[k] = a[k];
        }
      }
      pre.alignment = al;
    }
    out.preprocess = pre;
  }
  const g = v.gmvae;
  if (isObj(g)) {
    const gm: Record<string, unknown> = {};
    for (const k of [
      'latentDim',
      'components',
      'hidden',
      'epochs',
      'batchSize',
      'learningRate',
      'patience',
      'maxTrainPixels'
    ]) {
      if (num(g[k], 0)) {
        gm[k] = g[k];
      }
    }
    if (isGmvaeBackend(g.backend)) {
      gm.backend = g.backend;
    }
    out.gmvae = gm;
  }
  return out;
}

function loadReferences(v: unknown): ReferenceSet | null {
  if (!isObj(v) || !Array.isArray(v.spectra) || typeof v.source !== 'string') {
    return null;
  }
  try {
    const set: ReferenceSet = {
      source: v.source,
      spectra: v.spectra.map(s => {
        if (
          !isObj(s) ||
          typeof s.name !== 'string' ||
          !numArray(s.energies) ||
          !numArray(s.values)
        ) {
          throw new Error('bad spectrum');
        }
        return {
          name: s.name,
          energies: Float64Array.from(s.energies),
          values: Float64Array.from(s.values),
          source: typeof s.source === 'string' ? s.source : undefined,
          color: typeof s.color === 'string' ? s.color : undefined
        };
      })
    };
    validateReferenceSet(set);
    return set;
  } catch {
    return null;
  }
}

function loadRoi(v: unknown): Roi | null {
  if (
    !isObj(v) ||
    typeof v.id !== 'number' ||
    typeof v.name !== 'string' ||
    typeof v.color !== 'string'
  ) {
    return null;
  }
  const r = v.rect;
  if (!isObj(r)) {
    return null;
  }
  const rect = { x0: r.x0, x1: r.x1, y0: r.y0, y1: r.y1 };
  if (!Object.values(rect).every(n => typeof n === 'number' && Number.isFinite(n))) {
    return null;
  }
  return { id: v.id, name: v.name, color: v.color, rect: rect as SampleRect };
}

function loadLayout(v: Record<string, unknown>): WorkbenchLayoutState | null {
  const ok =
    typeof v.leftTab === 'number' &&
    typeof v.rightTab === 'number' &&
    numArray(v.sizes) &&
    numArray(v.leftSizes);
  return ok ? (v as unknown as WorkbenchLayoutState) : null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every(x => typeof x === 'number');
}
