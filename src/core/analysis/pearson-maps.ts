/**
 * What the Pearson stage gives, whichever implementation computed it (the
 * TypeScript loop in pearson.ts or the wasm kernel in pearson-wasm.ts).
 */
export interface PearsonMaps {
  /** (N, y, x) correlations; NaN outside the mask or for a flat spectrum. */
  pcc: Float32Array;
  /** argmax over N, (y, x); −1 outside the mask or for a flat spectrum. */
  initialPhase: Int16Array;
  /** best − second best, (y, x); NaN where initialPhase is −1. */
  margin: Float32Array;
}
