/**
 * The whole pipeline over a stack: pre-processing → Pearson maps → ambiguity →
 * resolution (GMVAE latent space, or a baseline) → flags and fractions. Runs
 * in Node (the CLI), in the Web Worker and in tests; progress through a
 * callback, cancel through an AbortSignal.
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
import { prepareStack } from '../preprocess/prepare.js';
import { ambiguityMap, marginConfidence } from './ambiguity.js';
import { fitReferences } from './baselines/least-squares.js';
import { pcaKmeans } from './baselines/pca-kmeans.js';
import { throwIfAborted } from './cancel.js';
import { maskedPixels } from './features.js';
import { correlationWarnings, countWarnings, medianBestCorrelation } from './fit-warnings.js';
import { latentStage, type LatentStageResult } from './latent-stage.js';
import { METHOD_LABELS, methodSettings } from './methods.js';
import { pearsonMaps } from './pearson.js';
import { resolveInLatentSpace, type ResolveOutput } from './resolve.js';
import { countOnes, phaseFractions } from './summary.js';

export { CancelledError, throwIfAborted } from './cancel.js';

export interface PipelineHooks {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /**
   * The input stack is the caller's private copy and may be overwritten
   * (pre-processing computes the optical density in its data array, one cube
   * less in memory). Its counts are gone afterwards, and so is its ring
   * current (`control`), once applied.
   */
  consumeInput?: boolean;
}

type Resolved = ResolveOutput & { latent: Float32Array; latentDim: number };

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
  const settings = methodSettings(params.method, params);
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
  const prepared = await timed('prepare', () =>
    prepareStack(input, params.preprocess, references, { inPlace: hooks.consumeInput === true })
  );
  const stack = prepared.stack;
  const [ne, ny, nx] = stackShape(stack);
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

  let latent: LatentStageResult | null = null;
  if (settings.latent) {
    latent = await timed('train', () =>
      latentStage(stack.data, ne, [ny, nx], mask, nRefs, {
        gmvae: params.gmvae,
        context: settings.context,
        seed: params.seed,
        onProgress: progress,
        signal: hooks.signal
      })
    );
    provenance.push({
      step: 'gmvae',
      details: { ...latent.training, latentDim: latent.latentDim, seed: params.seed }
    });
  }

  const resolved = await timed('resolve', (): Resolved => {
    if (latent) {
      const out = resolveInLatentSpace({
        latent: latent.latent,
        latentDim: latent.latentDim,
        initialPhase: maps.initialPhase,
        ambiguous,
        shape: [ny, nx],
        phases: nRefs,
        neighbourWeight: settings.neighbourWeight
      });
      return { ...out, latent: latent.latent, latentDim: latent.latentDim };
    }
    return baseline(
      params,
      stack.data,
      ne,
      refs.values,
      nRefs,
      mask,
      maps.initialPhase,
      maps.margin
    );
  });
  provenance.push({
    step: 'resolution',
    details: {
      method: params.method,
      label: METHOD_LABELS[params.method],
      neighbourWeight: settings.neighbourWeight,
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
    (prepared.crop.y1 - prepared.crop.y0 !== input.y.length ||
      prepared.crop.x1 - prepared.crop.x0 !== input.x.length)
      ? { crop: { ...prepared.crop } }
      : {}),
    ...(prepared.binning && prepared.binning > 1 ? { binning: prepared.binning } : {})
  };
}

/** Pearson-only and the baselines: no latent space, no flags. */
function baseline(
  params: PipelineParams,
  cube: Float32Array,
  ne: number,
  refs: Float64Array,
  nRefs: number,
  mask: Uint8Array,
  initialPhase: Int16Array,
  margin: Float32Array
): Resolved {
  const npx = mask.length;
  const none = {
    transition: new Uint8Array(npx),
    falseAssignment: new Uint8Array(npx),
    unassigned: new Uint8Array(npx),
    gaussians: [],
    latent: new Float32Array(0),
    latentDim: 0
  };
  const changedFrom = (phase: Int16Array): number => {
    let c = 0;
    for (let p = 0; p < npx; p++) {
      c += mask[p] && phase[p] !== initialPhase[p] ? 1 : 0;
    }
    return c;
  };
  const counts = (phase: Int16Array): ResolveOutput['counts'] => ({
    resolved: 0,
    changed: changedFrom(phase),
    transition: 0,
    falseAssignment: 0,
    unassigned: 0
  });
  if (params.method === 'pca-kmeans') {
    const km = pcaKmeans(cube, ne, maskedPixels(mask), npx, refs, nRefs, params.seed);
    return {
      ...none,
      phase: km.phase,
      confidence: km.confidence,
      latent: km.scores,
      latentDim: km.components,
      counts: counts(km.phase)
    };
  }
  if (params.method === 'lsq' || params.method === 'nnls') {
    const fit = fitReferences(cube, ne, refs, nRefs, mask, params.method === 'nnls');
    // a pixel the fit cannot solve keeps its Pearson label
    for (let p = 0; p < npx; p++) {
      if (mask[p] && fit.phase[p] < 0) {
        fit.phase[p] = initialPhase[p];
      }
    }
    return { ...none, phase: fit.phase, confidence: fit.confidence, counts: counts(fit.phase) };
  }
  const phase = initialPhase.slice();
  return {
    ...none,
    phase,
    confidence: marginConfidence(margin, params.threshold),
    counts: counts(phase)
  };
}

/** What trained the latent model: the project's wasm kernel, or tfjs and its backend. */
function trainingVersions(backend: string): Record<string, string> {
  return backend === 'kernel'
    ? { 'gmvae-backend': 'kernel' }
    : { 'gmvae-backend': backend, tfjs: TFJS_VERSION, 'tfjs-backend': backend };
}
