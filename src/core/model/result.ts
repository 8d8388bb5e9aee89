/**
 * The pipeline's parameters, progress events and result: the contract shared
 * by the engine (src/core/analysis), the worker, the CLI, the result file
 * writer, the workbench views and the Python bridge.
 *
 * Maps are row-major (y, x); per-phase maps are (N, y, x); latent coordinates
 * are (y, x, L). Background (outside the particle mask) is −1 in integer phase
 * maps, 0 in flag maps and NaN in float maps.
 */

export {
  DEFAULT_GMVAE,
  DEFAULT_PARAMS,
  DEFAULT_PREPROCESS,
  GMVAE_BACKENDS,
  isGmvaeBackend,
  RESOLUTION_METHODS,
  withDefaults,
  type DeepPartial,
  type GmvaeBackend,
  type GmvaeParams,
  type I0Param,
  type MaskParam,
  type PipelineParams,
  type PreprocessParams,
  type ResolutionMethod
} from './params.js';
import type { PipelineParams } from './params.js';
import type { RunWarning } from './warnings.js';

/** Pipeline stages, in order, as progress reports them. */
export const STAGES = ['prepare', 'pcc', 'train', 'resolve'] as const;
export type Stage = (typeof STAGES)[number];

export interface ProgressEvent {
  stage: Stage;
  /** 0…1 within the stage. */
  fraction: number;
  message?: string;
  /** During 'train': epoch and losses so far in this run. */
  epoch?: number;
  loss?: number;
  valLoss?: number;
}

/** One pre-processing or analysis step, as it was done (result provenance). */
export interface ProvenanceStep {
  step: string;
  /** Parameters and outcomes, JSON-safe. */
  details: Record<string, string | number | boolean | number[] | null>;
}

/** A phase's distribution in latent space: mean (L) and covariance (L × L). */
export interface LatentGaussian {
  mean: Float64Array;
  cov: Float64Array;
  /** Number of pixels it was estimated from. */
  count: number;
}

export interface PhaseMapResult {
  /** (ny, nx) of every map. */
  shape: [number, number];
  phaseNames: string[];
  /** Energies (eV) of the stack that were used. */
  energies: Float64Array;
  /** Pixel size in µm (x, y), NaN when unknown. */
  pixelSize: { x: number; y: number };
  /** 1 = particle pixel (analysed), 0 = background. (y, x) */
  mask: Uint8Array;
  /** Pearson correlation per phase, (N, y, x); NaN outside the mask. */
  pcc: Float32Array;
  /** argmax_n pcc, (y, x); −1 outside the mask. */
  initialPhase: Int16Array;
  /** Best minus second-best correlation, (y, x); NaN outside. τ is applied to it. */
  margin: Float32Array;
  /** Threshold τ the maps below were made with. */
  threshold: number;
  /** margin ≤ τ, (y, x). */
  ambiguous: Uint8Array;
  /** The final phase map, (y, x); −1 outside the mask. */
  phase: Int16Array;
  /** Latent dimension L (0 when no GMVAE ran). */
  latentDim: number;
  /** Latent means per pixel, (y, x, L); NaN outside the mask. */
  latent: Float32Array;
  /** Per-phase latent distributions (from unambiguous pixels), index = phase. */
  phaseGaussians: LatentGaussian[];
  /** Confidence of the final assignment in 0…1, (y, x); NaN outside. */
  confidence: Float32Array;
  /** Latent position between two phase distributions, (y, x). */
  transition: Uint8Array;
  /** Unambiguous pixels that the latent space places in another phase, (y, x). */
  falseAssignment: Uint8Array;
  /** Far from every phase distribution (a phase missing from the references), (y, x). */
  unassigned: Uint8Array;
  /** Fraction of the particle's pixels per phase in the final map (sums to 1). */
  fractions: Float64Array;
  counts: {
    particle: number;
    ambiguous: number;
    resolved: number;
    transition: number;
    falseAssignment: number;
    unassigned: number;
  };
  /**
   * How far the map can be trusted, in sentences with numbers (what the
   * automatic pre-processing decided, how well the references fit).
   */
  warnings: RunWarning[];
  /** Training losses per epoch (empty when no GMVAE ran). */
  trainingLoss: number[];
  validationLoss: number[];
  /** Milliseconds per stage. */
  timings: Partial<Record<Stage, number>>;
  params: PipelineParams;
  provenance: ProvenanceStep[];
  /** Versions of the software that made it. */
  versions: Record<string, string>;
  /** How the latent model was trained (GMVAE methods only). */
  training?: TrainingSummary;
  /**
   * Where the maps sit in the input stack when pre-processing cropped it
   * (alignment keeps the area every frame covers): input rows y0 ≤ y < y1,
   * columns x0 ≤ x < x1; absent = the whole image.
   */
  crop?: { y0: number; y1: number; x0: number; x1: number };
  /** Binning b applied after cropping (each map pixel = b × b input pixels); absent = 1. */
  binning?: number;
}

/** What a GMVAE training did, for the record and the benchmarks. */
export interface TrainingSummary {
  /** What trained the model ('kernel', or tfjs 'wasm' or 'cpu'), and why when it fell back. */
  backend: string;
  backendNote?: string;
  /** What the model saw per pixel: its spectrum alone, or with its neighbours' mean. */
  features: 'pixel' | 'pixel+neighbours';
  inputDim: number;
  components: number;
  hidden: number;
  epochs: number;
  /** Epoch (0-based) whose weights were kept (lowest validation loss). */
  bestEpoch: number;
  trainSamples: number;
  validationSamples: number;
  /** Forward + backward samples per second. */
  samplesPerSecond: number;
}

/** The typed-array fields of a result, for transfer lists and serialisation. */
export const RESULT_ARRAYS = [
  'energies',
  'mask',
  'pcc',
  'initialPhase',
  'margin',
  'ambiguous',
  'phase',
  'latent',
  'confidence',
  'transition',
  'falseAssignment',
  'unassigned',
  'fractions'
] as const;

/** Buffers of a result, for `postMessage(..., transfer)`. */
export function resultTransferables(result: PhaseMapResult): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = RESULT_ARRAYS.map(k => result[k].buffer as ArrayBuffer);
  for (const g of result.phaseGaussians) {
    buffers.push(g.mean.buffer as ArrayBuffer, g.cov.buffer as ArrayBuffer);
  }
  return [...new Set(buffers)];
}
