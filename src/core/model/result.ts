/**
 * The pipeline's parameters, progress events and result: the contract shared
 * by the engine (src/core/analysis), the worker, the CLI, the result file
 * writer, the workbench views and the Python bridge.
 *
 * Maps are row-major (y, x); per-phase maps are (N, y, x); latent coordinates
 * are (y, x, L). Background (outside the particle mask) is −1 in integer phase
 * maps, 0 in flag maps and NaN in float maps.
 */

/** How ambiguous pixels are resolved (or, for the baselines, how every pixel is labelled). */
export type ResolutionMethod =
  /**
   * GMVAE latent space with spatial context (the default): the model sees each
   * pixel's spectrum and its neighbours' mean spectrum; ambiguous pixels are
   * assigned by Mahalanobis distance plus a neighbourhood term.
   */
  | 'gmvae'
  /** Pearson argmax only: ambiguous pixels keep their argmax phase. */
  | 'pcc'
  /** The paper's per-pixel method: GMVAE on each pixel's spectrum alone, Mahalanobis only. */
  | 'gmvae-pixel'
  /** Baseline: PCA + k-means cluster analysis, clusters named by their best reference (MANTiS). */
  | 'pca-kmeans'
  /** Baseline: linear least-squares fit to the references, largest coefficient (aXis2000). */
  | 'lsq'
  /** Baseline: non-negative least-squares fit to the references, largest coefficient. */
  | 'nnls';

/** Every resolution method, in display order. */
export const RESOLUTION_METHODS: readonly ResolutionMethod[] = [
  'gmvae',
  'gmvae-pixel',
  'pcc',
  'pca-kmeans',
  'lsq',
  'nnls'
];

/** Every value of `GmvaeParams.backend`, the default first. */
export const GMVAE_BACKENDS = ['kernel', 'wasm', 'cpu'] as const;
export type GmvaeBackend = (typeof GMVAE_BACKENDS)[number];

/** Whether `v` names a training backend. */
export function isGmvaeBackend(v: unknown): v is GmvaeBackend {
  return typeof v === 'string' && (GMVAE_BACKENDS as readonly string[]).includes(v);
}

export interface GmvaeParams {
  /** Latent dimension L. */
  latentDim: number;
  /** Mixture components K (0 = one per reference phase). */
  components: number;
  /** Hidden units per layer. */
  hidden: number;
  /** Maximum epochs (early stopping may end sooner). */
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without improvement of the validation loss before stopping. */
  patience: number;
  /** Train on at most this many particle pixels (a seeded subsample); 0 = all. */
  maxTrainPixels: number;
  /**
   * What trains the model: 'kernel' (default), the project's wasm SIMD training
   * kernel; or tfjs on its 'wasm' or 'cpu' backend (the model's definition of record).
   */
  backend: GmvaeBackend;
  /**
   * Weight β of the neighbourhood term in the resolution of method 'gmvae'
   * (per agreeing 8-neighbour, in units of ½ squared Mahalanobis distance);
   * unset = the engine's default.
   */
  neighbourWeight?: number;
}

export interface PreprocessParams {
  /**
   * I0 source: automatic (bright-pixel histogram), a pixel region of interest
   * (rows y0 ≤ y < y1, columns x0 ≤ x < x1), or a measured I0 spectrum (from an
   * I0 file or an empty-area scan): one value per stack energy, or values on
   * their own `energies` grid (interpolated), measured with `dwellMs` and at
   * `ringCurrentMa` when given (else under the stack's conditions).
   */
  i0:
    | { mode: 'auto' }
    | { mode: 'roi'; y0: number; y1: number; x0: number; x1: number }
    | {
        mode: 'spectrum';
        values: number[];
        energies?: number[];
        dwellMs?: number;
        ringCurrentMa?: number;
        source?: string;
      };
  /** Normalise counts by the ring current (`control`) when the file has it. */
  ringCurrent: boolean;
  /** Align frames (FFT phase correlation, sub-pixel). */
  align: boolean;
  /** Particle mask: Otsu on the mean OD, or a fixed mean-OD threshold. */
  mask: { mode: 'otsu' } | { mode: 'threshold'; od: number };
  /** Global energy shift added to the reference energies, in eV. */
  energyShiftEv: number;
  /** Bin b × b pixels (1 = none). */
  binning: number;
  /** Normalise counts to one dwell time when the dwell differs between energies (default true). */
  dwell?: boolean;
  /** Alignment details (used when `align` is true). */
  alignment?: AlignmentParams;
  /**
   * Find the global energy shift that maximises the mean correlation of the
   * particle's pixels with the references (needs the references: the third
   * argument of `prepareStack`); the result replaces `energyShiftEv`.
   */
  autoEnergyShift?: boolean | { rangeEv?: number; stepEv?: number };
}

/** How frames are aligned (FFT phase correlation, sub-pixel). */
export interface AlignmentParams {
  /** Frame every other frame is aligned to; 'auto' = the frame of highest contrast. */
  reference?: number | 'auto';
  /** Largest shift accepted, in pixels (default: a quarter of the smaller image side). */
  maxShiftPx?: number;
  /** How shifted frames are resampled (default 'linear': no overshoot at edges). */
  interpolation?: 'linear' | 'cubic';
  /** Sub-pixel grid of the correlation peak is 1/upsample px, refined by a parabola (default 10). */
  upsample?: number;
}

export interface PipelineParams {
  /** Ambiguity threshold τ on best − second-best correlation (paper: 0.005). */
  threshold: number;
  /** Seed for every random choice (subsample, initialisation, batches). */
  seed: number;
  method: ResolutionMethod;
  preprocess: PreprocessParams;
  gmvae: GmvaeParams;
}

export const DEFAULT_PREPROCESS: PreprocessParams = {
  i0: { mode: 'auto' },
  ringCurrent: true,
  align: false,
  mask: { mode: 'otsu' },
  energyShiftEv: 0,
  binning: 1
};

/** Sizes and schedule chosen on the benchmark's tuning stacks (docs/benchmarks.md). */
export const DEFAULT_GMVAE: GmvaeParams = {
  latentDim: 2,
  components: 0,
  hidden: 32,
  epochs: 60,
  batchSize: 512,
  learningRate: 5e-3,
  patience: 10,
  maxTrainPixels: 2000,
  backend: 'kernel'
};

export const DEFAULT_PARAMS: PipelineParams = {
  threshold: 0.005,
  seed: 0,
  method: 'gmvae',
  preprocess: DEFAULT_PREPROCESS,
  gmvae: DEFAULT_GMVAE
};

/** Merge user parameters over the defaults (one level deep per group). */
export function withDefaults(p: DeepPartial<PipelineParams> = {}): PipelineParams {
  return {
    threshold: p.threshold ?? DEFAULT_PARAMS.threshold,
    seed: p.seed ?? DEFAULT_PARAMS.seed,
    method: p.method ?? DEFAULT_PARAMS.method,
    preprocess: { ...DEFAULT_PREPROCESS, ...(p.preprocess as Partial<PreprocessParams>) },
    gmvae: { ...DEFAULT_GMVAE, ...(p.gmvae as Partial<GmvaeParams>) }
  };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

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
