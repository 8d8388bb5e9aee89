/**
 * Colour maps as 256-entry RGBA lookup tables built from d3's perceptually
 * uniform, colour-blind-safe interpolators.
 */
import {
  interpolateCividis,
  interpolateGreys,
  interpolateInferno,
  interpolateViridis,
  rgb
} from 'd3';

export const COLORMAPS = {
  viridis: interpolateViridis,
  cividis: interpolateCividis,
  inferno: interpolateInferno,
  grey: (t: number) => interpolateGreys(1 - t)
} as const;

export type ColormapName = keyof typeof COLORMAPS;

const cache = new Map<ColormapName, Uint8ClampedArray>();

export function colormapLut(name: ColormapName): Uint8ClampedArray {
  let lut = cache.get(name);
  if (!lut) {
    lut = new Uint8ClampedArray(256 * 4);
    const f = COLORMAPS[name] ?? COLORMAPS.viridis;
    for (let i = 0; i < 256; i++) {
      const c = rgb(f(i / 255));
      lut.set([c.r, c.g, c.b, 255], i * 4);
    }
    cache.set(name, lut);
  }
  return lut;
}

export function isColormapName(name: unknown): name is ColormapName {
  return typeof name === 'string' && name in COLORMAPS;
}
