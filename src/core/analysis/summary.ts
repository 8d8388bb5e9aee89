/** Phase fractions and pixel counts of a final map. */

export function phaseFractions(
  phase: Int16Array,
  phases: number
): { fractions: Float64Array; particle: number } {
  const counts = new Float64Array(phases);
  let particle = 0;
  for (let p = 0; p < phase.length; p++) {
    if (phase[p] >= 0) {
      particle++;
      counts[phase[p]]++;
    }
  }
  return { fractions: counts.map(c => (particle > 0 ? c / particle : 0)), particle };
}

export function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (let p = 0; p < flags.length; p++) {
    n += flags[p] ? 1 : 0;
  }
  return n;
}
