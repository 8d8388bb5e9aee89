/**
 * What a resolution method is: one module per method (this folder), each
 * implementing `ResolutionMethodModule`, collected in one registry
 * (index.ts). The pipeline runs the stages a method asks for; the threshold
 * slider, the CLI, the settings and the run bar read its facts from here.
 */
import type { PipelineParams, ResolutionMethod } from '../../model/params.js';
import type { LatentStageResult } from '../latent-stage.js';
import type { ResolveOutput } from '../resolve-types.js';

/** What a method is, for the doors that name or describe it (no computation). */
export interface ResolutionMethodInfo<M extends ResolutionMethod = ResolutionMethod> {
  readonly id: M;
  /** Human description, for provenance, the CLI and the run bar. */
  readonly label: string;
  /**
   * The parameters its resolution reads besides the pre-processing ones
   * (dotted paths of the parameter model: `seed`, `gmvae.epochs` …).
   */
  readonly uses: readonly string[];
  /** Trains a GMVAE (the run's 'train' stage) and resolves in its latent space. */
  readonly trainsModel: boolean;
  /** Relabels every particle pixel (baselines) instead of only the ambiguous ones. */
  readonly relabelsAll: boolean;
}

/** What every method's resolution gets from the stages before it. */
export interface MethodInput {
  params: PipelineParams;
  /** Optical density of the prepared stack, (E, y, x). */
  cube: Float32Array;
  ne: number;
  shape: [number, number];
  /** The references resampled at the stack's energies, (N, E). */
  refs: Float64Array;
  nRefs: number;
  /** Particle pixels: those with a Pearson phase. */
  mask: Uint8Array;
  initialPhase: Int16Array;
  /** Best − second-best correlation, (y, x). */
  margin: Float32Array;
  ambiguous: Uint8Array;
}

/** A method's answer: the final map, its confidence and flags, and the latent coordinates shown. */
export interface MethodResolution extends ResolveOutput {
  /** (y, x, L) coordinates the latent view shows (none: length 0). */
  latent: Float32Array;
  latentDim: number;
}

export interface ResolutionMethodModule<
  M extends ResolutionMethod = ResolutionMethod
> extends ResolutionMethodInfo<M> {
  /**
   * The GMVAE's input includes the neighbours' mean spectrum (methods that
   * train a model). Off for every method: on the tuning set it made
   * ambiguous pixels at fronts and grain boundaries worse (their
   * neighbourhood mixes two phases); the neighbourhood term of the
   * resolution uses the context better (docs/benchmarks.md). Kept for the
   * benchmark's ablation.
   */
  readonly context?: boolean;
  /**
   * Its resolution reads the optical density (`MethodInput.cube`); when not,
   * a run that consumes its input lets the cube go after its last stage that
   * reads it (Pearson, or the training), before the result is assembled.
   */
  readonly resolveReadsCube: boolean;
  /** β of the neighbourhood term in the resolution (0 = per-pixel rule); also on τ moves. */
  neighbourWeight(params?: PipelineParams): number;
  /** The 'resolve' stage; `model` is the 'train' stage's output for methods that train one. */
  resolve(input: MethodInput, model: LatentStageResult | null): MethodResolution;
  /**
   * Confidence at a new τ, for a method without a latent model whose
   * confidence depends on τ; without it a τ move keeps the confidence.
   */
  confidenceAt?(margin: Float32Array, threshold: number): Float32Array;
}
