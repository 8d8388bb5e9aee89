/**
 * Reference mismatch: a sample's own spectra never equal the references a
 * user correlates against (other beamtime, calibration, thickness effects,
 * a slightly different composition). Each phase of the simulated sample gets
 * a small energy offset and a smooth shape distortion of its reference.
 */
import { Rng, uniformIn } from './rng.js';

export interface Distortion {
  /** Energy offset of the sample's spectrum relative to its reference, eV. */
  shiftEv: number;
  /** Linear tilt across the range (relative amplitude at the range ends). */
  tilt: number;
  /** Quadratic bow across the range (relative amplitude). */
  bow: number;
  /** A broad Gaussian change of intensity: relative amplitude, centre and FWHM (eV). */
  bump: { amplitude: number; centre: number; fwhm: number };
}

export const NO_DISTORTION: Distortion = {
  shiftEv: 0,
  tilt: 0,
  bow: 0,
  bump: { amplitude: 0, centre: 0, fwhm: 1 }
};

/**
 * A random distortion; `level` 0 = none, 1 = typical: relative offsets up to
 * ±0.06 eV and a few per cent of smooth shape change. (Adjacent NVPF phases,
 * valence 3.3 and 3.5, differ by only ≈0.16 eV in their L3 peak: larger
 * relative offsets swap their identities, which no reference-based method
 * can undo. A global calibration offset is simulated separately.)
 */
export function randomDistortion(rng: Rng, level: number, range: [number, number]): Distortion {
  if (!(level > 0)) {
    return NO_DISTORTION;
  }
  return {
    shiftEv: level * uniformIn(rng, -0.06, 0.06),
    tilt: level * 0.04 * rng.normal(),
    bow: level * 0.03 * rng.normal(),
    bump: {
      amplitude: level * 0.06 * rng.normal(),
      centre: uniformIn(rng, range[0], range[1]),
      fwhm: uniformIn(rng, 2, 5)
    }
  };
}

/** The distorted absorption `µ'(e)` of an absorption function `µ(e)`. */
export function distort(
  mu: (e: number) => number,
  d: Distortion,
  range: [number, number]
): (e: number) => number {
  const mid = 0.5 * (range[0] + range[1]);
  const half = 0.5 * (range[1] - range[0]);
  const s = d.bump.fwhm / 2.3548;
  return (e: number): number => {
    const u = (e - mid) / half;
    const bump = d.bump.amplitude * Math.exp(-0.5 * ((e - d.bump.centre) / s) ** 2);
    return mu(e - d.shiftEv) * (1 + d.tilt * u + d.bow * (1.5 * u * u - 0.5) + bump);
  };
}
