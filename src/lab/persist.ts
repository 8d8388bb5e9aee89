/**
 * What a workbench keeps across page reloads (JupyterLab's state database,
 * keyed by the stack's path): the references (with names, colours), the
 * parameters, the drawn ROIs, the state of charge and the layout. Results are
 * not kept (run again, or export the NeXus result). Everything read back is
 * validated: a damaged entry is ignored, never trusted.
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { keepValidParams } from '../core/model/param-specs.js';
import { validateReferenceSet, type ReferenceSet } from '../core/model/references.js';
import type { DeepPartial, PipelineParams } from '../core/model/result.js';
import type { Roi, SampleRect } from './model-types.js';
import type { WorkbenchLayoutState } from '../views/workbench-panel.js';

export interface SavedWorkbench {
  references: ReferenceSet | null;
  /** Where the references came from: their server files, edited since or not. */
  referencesOrigin?: { files: readonly string[]; edited: boolean } | null;
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
    referencesOrigin:
      s.references && s.referencesOrigin
        ? { files: [...s.referencesOrigin.files], edited: s.referencesOrigin.edited }
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
    referencesOrigin: loadOrigin(value.referencesOrigin),
    params: isObj(value.params) ? loadParams(value.params) : null,
    rois: Array.isArray(value.rois)
      ? value.rois.map(loadRoi).filter((r): r is Roi => r !== null)
      : [],
    stateOfCharge: typeof value.stateOfCharge === 'number' ? value.stateOfCharge : null,
    layout: isObj(value.layout) ? loadLayout(value.layout) : null
  };
}

/** Only known parameters with a valid value survive (the parameter model decides). */
export function loadParams(v: Record<string, unknown>): DeepPartial<PipelineParams> {
  return keepValidParams(v);
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

function loadOrigin(v: unknown): { files: string[]; edited: boolean } | null {
  if (
    !isObj(v) ||
    typeof v.edited !== 'boolean' ||
    !Array.isArray(v.files) ||
    v.files.length > 100 ||
    !v.files.every(f => typeof f === 'string' && f.length > 0 && f.length <= 1024)
  ) {
    return null;
  }
  return { files: v.files as string[], edited: v.edited };
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
