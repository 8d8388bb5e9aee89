/**
 * Model XANES of NaxV2(PO4)2F3 (NVPF) at the V L2,3 and O K edges, as a
 * function of the mean vanadium valence (3.0 for Na3 … 4.2 for Na1−y).
 *
 * Shapes follow the physics qualitatively: arctan edge steps at V L3
 * (≈517.5 eV), V L2 (≈524 eV) and O K (≈532 eV); a V L3 multiplet whose main
 * peak moves up ≈0.8 eV per unit of valence while its low-energy shoulder
 * fades; a broader L2 peak ≈7 eV above L3; O K pre-edge peaks (≈529.8 and
 * ≈531.5 eV) that grow with valence. Values are mass absorption in arbitrary
 * units, scaled so that 0.3 µm of material gives an optical density ≈1 at the
 * L3 peak.
 */

/** Mean V valence of the NVPF states used throughout the project. */
export const NVPF_PHASES: readonly { name: string; valence: number }[] = [
  { name: 'Na3', valence: 3.0 },
  { name: 'Na2.4', valence: 3.3 },
  { name: 'Na2', valence: 3.5 },
  { name: 'Na1', valence: 4.0 },
  { name: 'Na1-y', valence: 4.2 }
];

function gauss(e: number, centre: number, fwhm: number): number {
  const s = fwhm / 2.3548;
  return Math.exp(-0.5 * ((e - centre) / s) ** 2);
}

function step(e: number, edge: number, width: number): number {
  return 0.5 + Math.atan((e - edge) / width) / Math.PI;
}

/** Absorption per µm at energy `e` (eV) for mean V valence `valence`. */
export function nvpfAbsorption(e: number, valence: number): number {
  const dv = valence - 3;
  const l3 = 516.6 + 0.8 * dv;
  const shoulder = Math.max(0, 1 - 0.75 * dv);
  const oxidised = Math.min(1.5, dv);
  let mu = 0.35; // pre-edge background (P, F, Na, O below their edges)
  mu += 0.25 * step(e, 517.5, 0.6) + 0.2 * step(e, 524, 0.8) + 0.5 * step(e, 532, 1.0);
  mu += 2.2 * gauss(e, l3, 1.3) + 0.9 * shoulder * gauss(e, l3 - 1.7, 1.2);
  mu += 1.2 * gauss(e, l3 + 7.1, 2.6);
  mu +=
    (0.35 + 0.9 * oxidised) * gauss(e, 529.8, 1.0) + (0.2 + 0.6 * oxidised) * gauss(e, 531.5, 1.2);
  mu += 0.8 * gauss(e, 538, 5);
  return mu;
}

/** The absorption spectrum of one valence at the given energies. */
export function nvpfSpectrum(energies: ArrayLike<number>, valence: number): Float64Array {
  return Float64Array.from({ length: energies.length }, (_, i) =>
    nvpfAbsorption(energies[i], valence)
  );
}
