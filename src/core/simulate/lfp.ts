/**
 * Model XANES of LiFePO4 / FePO4 at the Fe L2,3 edges (≈705–730 eV): the
 * second material of the simulator, to show the engine is not NVPF-only.
 *
 * Fe²⁺ (LiFePO4): a strong L3 peak at ≈707.8 eV with a weaker shoulder at
 * ≈709.3 eV. Fe³⁺ (FePO4): a small pre-peak at ≈708.0 eV and the main L3 peak
 * moved up to ≈709.7 eV. L2 peaks ≈13 eV above, broader. Arctan edge steps
 * at L3 (≈708.5 eV) and L2 (≈721.5 eV). Absorption per µm in arbitrary units,
 * scaled so that 0.3 µm of material gives an optical density ≈1 at the L3 peak.
 */

function gauss(e: number, centre: number, fwhm: number): number {
  const s = fwhm / 2.3548;
  return Math.exp(-0.5 * ((e - centre) / s) ** 2);
}

function step(e: number, edge: number, width: number): number {
  return 0.5 + Math.atan((e - edge) / width) / Math.PI;
}

/** Absorption per µm at `e` (eV); `ferric` = fraction of Fe³⁺ (0 = LiFePO4, 1 = FePO4). */
export function lfpAbsorption(e: number, ferric: number): number {
  const f3 = Math.min(1, Math.max(0, ferric));
  const f2 = 1 - f3;
  let mu = 0.45; // below the edge (P, O, Li)
  mu += 0.35 * step(e, 708.5, 0.7) + 0.18 * step(e, 721.5, 0.9);
  // Fe2+ multiplet
  mu += f2 * (2.6 * gauss(e, 707.8, 1.1) + 0.9 * gauss(e, 709.3, 1.4));
  mu += f2 * (0.8 * gauss(e, 720.6, 2.2) + 0.55 * gauss(e, 722.1, 2.4));
  // Fe3+ multiplet
  mu += f3 * (0.7 * gauss(e, 708.0, 1.0) + 2.4 * gauss(e, 709.7, 1.3));
  mu += f3 * (0.45 * gauss(e, 721.0, 2.2) + 0.85 * gauss(e, 722.9, 2.4));
  return mu;
}

/** The LFP phases used by the simulator. */
export const LFP_PHASES: readonly { name: string; ferric: number }[] = [
  { name: 'LiFePO4', ferric: 0 },
  { name: 'FePO4', ferric: 1 }
];
