/**
 * The pipeline's parameters: their types, their defaults and their ranges, in
 * one place. Every door reads them from here — the engine checks every run
 * with `validateParams`, the CLI builds its options from `PARAMETER_SPECS`,
 * the comm bridge validates a request with it before storing anything, the
 * settings schema's defaults are checked against `DEFAULT_PARAMS` by a test,
 * and Python receives the defaults and specs in the bridge's hello.
 *
 * Defaults are the ones a user should get on real data: frame alignment and
 * energy calibration are decided from the data (`'auto'`) and recorded.
 */

/**
 * How ambiguous pixels are resolved (or, for the baselines, how every pixel
 * is labelled), in display order. Each id is one module of
 * src/core/analysis/methods/ (its label, the parameters it uses, its
 * resolution), whose registry the compiler and a test keep in step with this
 * list: 'gmvae' (the default: GMVAE latent space with the neighbourhood
 * term), 'gmvae-pixel' (the paper's per-pixel rule), 'pcc' (Pearson argmax
 * only), and the baselines 'pca-kmeans' (MANTiS), 'lsq' (aXis2000), 'nnls'.
 */
export const RESOLUTION_METHODS = [
  'gmvae',
  'gmvae-pixel',
  'pcc',
  'pca-kmeans',
  'lsq',
  'nnls'
] as const;
export type ResolutionMethod = (typeof RESOLUTION_METHODS)[number];

/** Engines the GMVAE trains on, the default first. */
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
   * (per agreeing 8-neighbour, in units of ½ squared Mahalanobis distance).
   */
  neighbourWeight: number;
}

/** I0 source: automatic, a region of interest, or a measured spectrum. */
export type I0Param =
  | { mode: 'auto' }
  /** Rows y0 ≤ y < y1, columns x0 ≤ x < x1 of the input image. */
  | { mode: 'roi'; y0: number; y1: number; x0: number; x1: number }
  /**
   * A measured I0 spectrum (an I0 file, an empty-area scan): one value per
   * stack energy, or values on their own `energies` grid (interpolated),
   * measured with `dwellMs` and at `ringCurrentMa` when given (else under the
   * stack's conditions).
   */
  | {
      mode: 'spectrum';
      values: number[];
      energies?: number[];
      dwellMs?: number;
      ringCurrentMa?: number;
      source?: string;
    };

/** Particle mask: Otsu on the mean OD, or a fixed mean-OD threshold. */
export type MaskParam = { mode: 'otsu' } | { mode: 'threshold'; od: number };

export interface PreprocessParams {
  i0: I0Param;
  /** Normalise counts by the ring current (`control`) when the file has it. */
  ringCurrent: boolean;
  /** Normalise counts to one dwell time when the dwell differs between energies. */
  dwell: boolean;
  /**
   * Frame alignment (FFT phase correlation, sub-pixel). `'auto'` measures the
   * drift of every stack and aligns when it reaches `alignMinDriftPx`.
   */
  align: 'auto' | boolean;
  /** Drift (largest frame shift, px) from which `align: 'auto'` aligns. */
  alignMinDriftPx: number;
  /** Frame the others are aligned to; 'auto' = the frame of highest contrast. */
  alignReference: 'auto' | number;
  /** Largest shift accepted, px; 'auto' = a quarter of the smaller image side. */
  alignMaxShiftPx: 'auto' | number;
  /** How shifted frames are resampled ('linear': no overshoot at edges). */
  alignInterpolation: 'linear' | 'cubic';
  /** Sub-pixel grid of the correlation peak is 1/upsample px. */
  alignUpsample: number;
  mask: MaskParam;
  /**
   * Global shift added to the reference energies, eV. `'auto'` estimates it
   * against the references and applies it when the estimate is trustworthy
   * (`calibrationVerdict`); a number is a fixed shift (0 = off).
   */
  energyShift: 'auto' | number;
  /** The automatic calibration searches shifts within ±energyRangeEv … */
  energyRangeEv: number;
  /** … in steps of energyStepEv (refined between grid points). */
  energyStepEv: number;
  /** Bin b × b pixels (1 = none). */
  binning: number;
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
  dwell: true,
  align: 'auto',
  alignMinDriftPx: 0.25,
  alignReference: 'auto',
  alignMaxShiftPx: 'auto',
  alignInterpolation: 'linear',
  alignUpsample: 10,
  mask: { mode: 'otsu' },
  energyShift: 'auto',
  energyRangeEv: 2,
  energyStepEv: 0.05,
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
  backend: 'kernel',
  neighbourWeight: 2
};

export const DEFAULT_PARAMS: PipelineParams = {
  threshold: 0.005,
  seed: 0,
  method: 'gmvae',
  preprocess: DEFAULT_PREPROCESS,
  gmvae: DEFAULT_GMVAE
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/**
 * Merge user parameters over the defaults (one level deep per group), without
 * checking ranges: for code that builds parameters from parameters already
 * checked. Runs check them (`validateParams`).
 */
export function withDefaults(p: DeepPartial<PipelineParams> = {}): PipelineParams {
  return {
    threshold: p.threshold ?? DEFAULT_PARAMS.threshold,
    seed: p.seed ?? DEFAULT_PARAMS.seed,
    method: p.method ?? DEFAULT_PARAMS.method,
    preprocess: { ...DEFAULT_PREPROCESS, ...(p.preprocess as Partial<PreprocessParams>) },
    gmvae: { ...DEFAULT_GMVAE, ...(p.gmvae as Partial<GmvaeParams>) }
  };
}
