/**
 * The whole pipeline over a stack, stage by stage: pre-processing → Pearson
 * maps → ambiguity → training (methods that train a model) → resolution (the
 * method's module, methods/) → fractions, warnings and provenance. Runs in
 * Node (the CLI), in the Web Worker and in tests; progress through a
 * callback, cancel through an AbortSignal. What a method does is its
 * module's business: this file only orchestrates the stages.
 */
import { EXTENSION_VERSION } from '../../version.js';
import { validateParams } from '../model/param-specs.js';
import {
  resampleReferences,
  validateReferenceSet,
  type ReferenceSet
} from '../model/references.js';
import {
  type DeepPartial,
  type PhaseMapResult,
  type PipelineParams,
  type ProgressEvent,
  type ProvenanceStep,
  type Stage
} from '../model/result.js';
import { pixelSize, stackShape, type Stack } from '../model/stack.js';
import type { PreparedStack } from '../model/prepared.js';
import { prepareStack } from '../preprocess/prepare.js';
import { ambiguityMap } from './ambiguity.js';
import { throwIfAborted } from './cancel.js';
import { correlationWarnings, countWarnings, medianBestCorrelation } from './fit-warnings.js';
import { latentStage, type LatentStageResult } from './latent-stage.js';
import { resolutionMethod, type MethodInput } from './methods/index.js';
import { pearsonMaps } from './pearson.js';
import { countOnes, phaseFractions } from './summary.js';

export { CancelledError, throwIfAborted } from './cancel.js';

export interface PipelineHooks {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /**
   * The input stack is the caller's private copy and may be overwritten
   * (pre-processing computes the optical density in its data array, one cube
   * less in memory). Its counts are gone afterwards, and so is its ring
   * current (`control`), once applied; its `data` is emptied once the run
   * reads it no more (methods whose resolution does not read the cube).
   */
  consumeInput?: boolean;
  /**
   * Called when the consumed input's cube was let go (`consumeInput`): where
   * the caller may collect it (Node: a garbage collection, `collectGarbage`
   * in src/cli/runtime.ts), before the result's maps are made beside it.
   */
  released?: () => void;
  /**
   * The pre-processing of the stack with these parameters and references,
   * made before (the workbench's stack worker keeps the one it shows):
   * used instead of pre-processing again, which gives the same result
   * (pre-processing is deterministic). `input` is then its `stack`.
   */
  prepared?: PreparedStack;
}

/** tfjs version string, for the result's provenance. */
const TFJS_VERSION = '4.22.0';

export async function runPipeline(
  input: Stack,
  references: ReferenceSet,
  userParams: DeepPartial<PipelineParams> = {},
  hooks: PipelineHooks = {}
): Promise<PhaseMapResult> {
  // every parameter checked before any work is done (ParameterError names it)
  const params = validateParams(userParams);
  const method = resolutionMethod(params.method);
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

  if (input.energies.length < 3) {
    throw new RangeError(
      `${input.source.file}: ${input.energies.length} energies; Pearson correlation needs at least 3 energies`
    );
  }
  validateReferenceSet(references);
  // (pre-processing leaves out energies the references do not cover, and
  // estimates the energy calibration against them)
  const prepared = await timed(
    'prepare',
    () =>
      hooks.prepared ??
      prepareStack(input, params.preprocess, references, { inPlace: hooks.consumeInput === true })
  );
  const stack = prepared.stack;
  const [ne, ny, nx] = stackShape(stack);
  // the file's grid: the input's, or (a prepared stack given) the one pre-processing started from
  const [rawNy, rawNx] = hooks.prepared
    ? preparedFromShape(hooks.prepared)
    : [input.y.length, input.x.length];
  const npx = ny * nx;
  const refs = resampleReferences(references, stack.energies, prepared.energyShiftEv);
  const nRefs = refs.names.length;

  const maps = await timed('pcc', () =>
    pearsonMaps(stack.data, ne, refs.values, nRefs, prepared.mask)
  );
  const ambiguous = ambiguityMap(maps.margin, params.threshold);
  const mask = new Uint8Array(npx);
  for (let p = 0; p < npx; p++) {
    mask[p] = maps.initialPhase[p] >= 0 ? 1 : 0;
  }
  const particlePixels = countOnes(mask);
  if (particlePixels === 0) {
    throw new RangeError(
      `${input.source.file}: no particle pixel to analyse (the mask is empty or every spectrum is flat)`
    );
  }
  const nAmbiguous = countOnes(ambiguous);
  const provenance: ProvenanceStep[] = [
    ...prepared.provenance,
    {
      step: 'references',
      details: { source: references.source, names: refs.names.join(', '), shiftEv: refs.shiftEv }
    },
    { step: 'pearson', details: { energies: ne, references: nRefs, pixels: particlePixels } },
    { step: 'ambiguity', details: { threshold: params.threshold, ambiguous: nAmbiguous } }
  ];

  /**
   * A consumed input's cube, read no more once the last stage that reads it
   * is done (Pearson, or the training) and the method's resolution does not:
   * let go (the input's and the prepared stack's), so the result's maps are
   * not made beside it.
   */
  const releaseCube = (): void => {
    if (hooks.consumeInput && !method.resolveReadsCube) {
      input.data = new Float32Array(0);
      stack.data = new Float32Array(0);
      hooks.released?.();
    }
  };
  const methodInput: MethodInput = {
    params,
    cube: method.resolveReadsCube ? stack.data : new Float32Array(0),
    ne,
    shape: [ny, nx],
    refs: refs.values,
    nRefs,
    mask,
    initialPhase: maps.initialPhase,
    margin: maps.margin,
    ambiguous
  };
  let latent: LatentStageResult | null = null;
  if (!method.trainsModel) {
    releaseCube();
  } else {
    latent = await timed('train', () =>
      latentStage(stack.data, ne, [ny, nx], mask, nRefs, {
        gmvae: params.gmvae,
        context: method.context ?? false,
        seed: params.seed,
        onProgress: progress,
        signal: hooks.signal
      })
    );
    releaseCube();
    provenance.push({
      step: 'gmvae',
      details: { ...latent.training, latentDim: latent.latentDim, seed: params.seed }
    });
  }

  const resolved = await timed('resolve', () => method.resolve(methodInput, latent));
  provenance.push({
    step: 'resolution',
    details: {
      method: params.method,
      label: method.label,
      neighbourWeight: method.neighbourWeight(params),
      resolved: resolved.counts.resolved,
      changed: resolved.counts.changed
    }
  });

  const { fractions, particle } = phaseFractions(resolved.phase, nRefs);
  const px = pixelSize(stack);
  const counts = {
    particle,
    ambiguous: nAmbiguous,
    resolved: resolved.counts.resolved,
    transition: resolved.counts.transition,
    falseAssignment: resolved.counts.falseAssignment,
    unassigned: resolved.counts.unassigned
  };
  const medianCorrelation = medianBestCorrelation(maps.pcc, nRefs, mask);
  provenance.push({
    step: 'fit',
    details: { medianBestCorrelation: Number(medianCorrelation.toFixed(4)) }
  });
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
    phase: resolved.phase,
    latentDim: resolved.latentDim,
    latent: resolved.latent,
    phaseGaussians: resolved.gaussians,
    confidence: resolved.confidence,
    transition: resolved.transition,
    falseAssignment: resolved.falseAssignment,
    unassigned: resolved.unassigned,
    fractions,
    counts,
    warnings: [
      ...prepared.warnings,
      ...correlationWarnings(medianCorrelation),
      ...countWarnings(counts, params.threshold, latent !== null)
    ],
    trainingLoss: latent ? latent.trainingLoss : [],
    validationLoss: latent ? latent.validationLoss : [],
    timings,
    params,
    provenance,
    versions: {
      'stxm-phasemap': EXTENSION_VERSION,
      ...(latent ? trainingVersions(latent.training.backend) : {})
    },
    ...(latent ? { training: latent.training } : {}),
    ...(prepared.crop &&
    (prepared.crop.y1 - prepared.crop.y0 !== rawNy || prepared.crop.x1 - prepared.crop.x0 !== rawNx)
      ? { crop: { ...prepared.crop } }
      : {}),
    ...(prepared.binning && prepared.binning > 1 ? { binning: prepared.binning } : {})
  };
}

/** The (ny, nx) of the stack a prepared stack was made from (its 'input' provenance step). */
function preparedFromShape(prepared: PreparedStack): [number, number] {
  const shape = prepared.provenance.find(p => p.step === 'input')?.details.shape;
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new Error('a prepared stack without the shape of its input (provenance step "input")');
  }
  return [Number(shape[1]), Number(shape[2])];
}

/** What trained the latent model: the project's wasm kernel, or tfjs and its backend. */
function trainingVersions(backend: string): Record<string, string> {
  return backend === 'kernel'
    ? { 'gmvae-backend': 'kernel' }
    : { 'gmvae-backend': backend, tfjs: TFJS_VERSION, 'tfjs-backend': backend };
}
