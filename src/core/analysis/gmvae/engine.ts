/**
 * What a training loop (train.ts) needs from whatever computes the steps:
 * buffers for a batch, one optimiser step, the validation loss, the current
 * weights. Two implementations: the wasm SIMD kernel (kernel-engine.ts) and
 * tfjs (tfjs-engine.ts, the model's definition of record). Both start from
 * the same initial weights and see the same batches and noise.
 */
import type { GmvaeShape, NamedWeights } from './layout.js';

export type EngineName = 'kernel' | 'tfjs';

export interface TrainingEngine {
  /**
   * Where to write a batch of `b` samples: `x` (b × inputDim, row-major) and
   * its standard-normal draws `eps` (b·K × L, row b·K + k). Valid until the
   * next call.
   */
  batch(b: number): { x: Float32Array; eps: Float32Array };
  /** One Adam step on the batch just written; the batch's mean loss before it. */
  step(b: number): number;
  /** Mean loss of the validation samples with zero noise. */
  validationLoss(): number;
  /** The current weights, copied. */
  weights(): NamedWeights;
  dispose(): void;
}

export interface EngineSetup {
  shape: GmvaeShape;
  initial: NamedWeights;
  learningRate: number;
  /** Largest batch `batch()` will be asked for. */
  batchSize: number;
  /** Validation samples, row-major (count × inputDim). */
  validation: Float32Array;
  validationCount: number;
}
