/**
 * Model carbon K-edge (≈280–320 eV) XANES of three carbons found in battery
 * electrodes, for trying the engine on C K-edge stacks (such as the SLS
 * PolLux example with its four energies 280, 284.5, 285 and 320 eV):
 *
 *   carbon black  sp² carbon: broad C 1s → π* at ≈285.1 eV, broad σ* ≈292.5 eV
 *   polystyrene   aromatic polymer: sharp π* at 285.15 eV, C–H σ* ≈287.5 eV
 *   PVDF          aliphatic binder: no π*; C–H/C–F σ* ≈287.9, 292.7, 294 eV
 *
 * Arctan edge steps at the ionisation thresholds (≈288–290 eV). Model
 * shapes, not measured spectra; absorption per µm in arbitrary units.
 */

function gauss(e: number, centre: number, fwhm: number): number {
  const s = fwhm / 2.3548;
  return Math.exp(-0.5 * ((e - centre) / s) ** 2);
}

function step(e: number, edge: number, width: number): number {
  return 0.5 + Math.atan((e - edge) / width) / Math.PI;
}

export type CarbonKind = 'carbon black' | 'polystyrene' | 'PVDF';

export const CARBON_PHASES: readonly CarbonKind[] = ['carbon black', 'polystyrene', 'PVDF'];

/** Absorption per µm of a carbon at `e` eV. */
export function carbonAbsorption(e: number, kind: CarbonKind): number {
  const base = 0.3; // below the C K edge
  switch (kind) {
    case 'carbon black':
      return (
        base +
        1.0 * step(e, 289.5, 1.2) +
        1.6 * gauss(e, 285.1, 1.1) +
        0.4 * gauss(e, 288.6, 1.5) +
        1.1 * gauss(e, 292.5, 5.0)
      );
    case 'polystyrene':
      return (
        base +
        1.1 * step(e, 288.8, 0.8) +
        3.2 * gauss(e, 285.15, 0.45) +
        0.5 * gauss(e, 287.5, 0.9) +
        0.35 * gauss(e, 289.0, 1.0) +
        1.0 * gauss(e, 293.5, 4.5)
      );
    case 'PVDF':
      return (
        base +
        1.2 * step(e, 288.0, 1.0) +
        0.6 * gauss(e, 287.9, 1.2) +
        1.3 * gauss(e, 292.7, 2.5) +
        1.0 * gauss(e, 294.2, 3.0) +
        0.6 * gauss(e, 298.5, 6.0)
      );
  }
}
