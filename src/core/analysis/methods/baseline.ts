/**
 * What the methods without a latent model share: no flags, no latent
 * Gaussians, and the count of particle pixels whose label differs from the
 * Pearson argmax.
 */
import type { MethodInput, MethodResolution } from './types.js';

/** A resolution without latent space from its final map and confidence. */
export function withoutLatentSpace(
  input: MethodInput,
  phase: Int16Array,
  confidence: Float32Array,
  latent: { latent: Float32Array; latentDim: number } = {
    latent: new Float32Array(0),
    latentDim: 0
  }
): MethodResolution {
  const { mask, initialPhase } = input;
  const npx = mask.length;
  let changed = 0;
  for (let p = 0; p < npx; p++) {
    changed += mask[p] && phase[p] !== initialPhase[p] ? 1 : 0;
  }
  return {
    phase,
    confidence,
    transition: new Uint8Array(npx),
    falseAssignment: new Uint8Array(npx),
    unassigned: new Uint8Array(npx),
    gaussians: [],
    latent: latent.latent,
    latentDim: latent.latentDim,
    counts: { resolved: 0, changed, transition: 0, falseAssignment: 0, unassigned: 0 }
  };
}
