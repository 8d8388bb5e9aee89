/**
 * What the latent-space resolution takes and gives (resolve.ts), and what its
 * flags step returns (latent-flags.ts): shared by both without either
 * importing the other.
 */
import type { LatentGaussian } from '../model/result.js';

export interface ResolveInput {
  /** (y, x, L), NaN outside the particle. */
  latent: Float32Array;
  latentDim: number;
  initialPhase: Int16Array;
  ambiguous: Uint8Array;
  shape: [number, number];
  phases: number;
  /** β of the neighbourhood term; 0 = the per-pixel rule. */
  neighbourWeight: number;
}

export interface ResolveOutput {
  phase: Int16Array;
  confidence: Float32Array;
  transition: Uint8Array;
  falseAssignment: Uint8Array;
  unassigned: Uint8Array;
  gaussians: LatentGaussian[];
  counts: {
    resolved: number;
    changed: number;
    transition: number;
    falseAssignment: number;
    unassigned: number;
  };
}
