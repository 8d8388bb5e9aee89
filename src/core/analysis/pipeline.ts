/**
 * The whole pipeline over a stack: pre-processing → Pearson maps → ambiguity →
 * resolution of the ambiguous pixels → flags and fractions. Runs in Node (the
 * CLI), in the Web Worker and in tests; progress through a callback, cancel
 * through an AbortSignal.
 */
import { EXTENSION_VERSION } from '../../version.js';
import { resampleReferences, type ReferenceSet } from '../model/references.js';
import {
  withDefaults,
  type DeepPartial,
  type PhaseMapResult,
  type PipelineParams,
  type ProgressEvent,
  type Stage
} from '../model/result.js';
import { pixelSize, stackShape, type Stack } from '../model/stack.js';
import { prepareStack } from '../preprocess/prepare.js';
import { ambiguityMap } from './ambiguity.js';
import { pearsonMaps } from './pearson.js';

export interface PipelineHooks {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** Thrown when a run is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    throw new CancelledError();
  }
}

export async function runPipeline(
  input: Stack,
  references: ReferenceSet,
  userParams: DeepPartial<PipelineParams> = {},
  hooks: PipelineHooks = {}
): Promise<PhaseMapResult> {
  const params = withDefaults(userParams);
  const timings: Partial<Record<Stage, number>> = {};
  const progress = (event: ProgressEvent): void => hooks.onProgress?.(event);
  const timed = async <T>(stage: Stage, work: () => T | Promise<T>): Promise<T> => {
    throwIfAborted(hooks.signal);
    progress({ stage, fraction: 0 });
    const t0 = performance.now();
    const out = await work();
    timings[stage] = performance.now() - t0;
    progress({ stage, fraction: 1 });
    return out;
  };

  const prepared = await timed('prepare', () => prepareStack(input, params.preprocess));
  const stack = prepared.stack;
  const [ne, ny, nx] = stackShape(stack);
  const refs = resampleReferences(references, stack.energies, params.preprocess.energyShiftEv);
  const nRefs = refs.names.length;

  const maps = await timed('pcc', () =>
    pearsonMaps(stack.data, ne, refs.values, nRefs, prepared.mask)
  );
  const ambiguous = ambiguityMap(maps.margin, params.threshold);
  const npx = ny * nx;

  // Resolution: the per-pixel rule (argmax) until the GMVAE stage resolves ambiguous pixels.
  if (params.method !== 'pcc') {
    throw new Error(`resolution method "${params.method}" is not available yet`);
  }
  const phase = Int16Array.from(maps.initialPhase);
  const confidence = new Float32Array(npx).fill(Number.NaN);
  let particle = 0;
  let nAmbiguous = 0;
  const counts = new Float64Array(nRefs);
  for (let p = 0; p < npx; p++) {
    if (phase[p] >= 0) {
      particle++;
      counts[phase[p]]++;
      nAmbiguous += ambiguous[p];
      confidence[p] = ambiguous[p] ? 0.5 : 1;
    }
  }
  const fractions = counts.map(c => (particle > 0 ? c / particle : 0));
  const mask = new Uint8Array(npx);
  for (let p = 0; p < npx; p++) {
    mask[p] = maps.initialPhase[p] >= 0 ? 1 : 0;
  }
  const px = pixelSize(stack);
  return {
    shape: [ny, nx],
    phaseNames: refs.names,
    energies: Float64Array.from(stack.energies),
    pixelSize: { x: px.x, y: px.y },
    mask,
    pcc: maps.pcc,
    initialPhase: maps.initialPhase,
    margin: maps.margin,
    threshold: params.threshold,
    ambiguous,
    phase,
    latentDim: 0,
    latent: new Float32Array(0),
    phaseGaussians: [],
    confidence,
    transition: new Uint8Array(npx),
    falseAssignment: new Uint8Array(npx),
    unassigned: new Uint8Array(npx),
    fractions,
    counts: {
      particle,
      ambiguous: nAmbiguous,
      resolved: 0,
      transition: 0,
      falseAssignment: 0,
      unassigned: 0
    },
    trainingLoss: [],
    validationLoss: [],
    timings,
    params,
    provenance: [
      ...prepared.provenance,
      {
        step: 'references',
        details: { source: references.source, names: refs.names.join(', '), shiftEv: refs.shiftEv }
      },
      { step: 'pearson', details: { energies: ne, references: nRefs } },
      { step: 'ambiguity', details: { threshold: params.threshold, ambiguous: nAmbiguous } }
    ],
    versions: { 'stxm-phasemap': EXTENSION_VERSION }
  };
}
