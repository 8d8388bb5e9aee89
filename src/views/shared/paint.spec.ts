import { describe, expect, it } from 'vitest';

import { colormapLut } from './colormap.js';
import {
  flagMapWords,
  imageRgba,
  maskRgba,
  phaseMapWords,
  rgbaWord,
  scalarMapWords
} from './paint.js';
import { AMBIGUOUS_RGB, type PhaseStyle } from './phase-style.js';

const STYLES: PhaseStyle[] = [
  { name: 'Na3', color: '#0072b2', rgb: [0, 114, 178] },
  { name: 'Na1', color: '#e69f00', rgb: [230, 159, 0] }
];
const word = (rgb: readonly number[], a = 255): number => rgbaWord(rgb[0], rgb[1], rgb[2], a);
/** The RGBA bytes of a word, whatever the platform's byte order. */
const bytes = (w: number): number[] => Array.from(new Uint8Array(Uint32Array.of(w).buffer));

describe('pure painting', () => {
  it('packs RGBA words in ImageData byte order', () => {
    expect(bytes(rgbaWord(1, 2, 3, 4))).toEqual([1, 2, 3, 4]);
    expect(bytes(rgbaWord(250, 0, 7))).toEqual([250, 0, 7, 255]);
  });

  it('paints phases in their colours, ambiguous pixels grey, background transparent', () => {
    const phase = Int16Array.from([0, 1, -1, 1, 5]);
    const out = new Uint32Array(5);
    phaseMapWords(out, phase, STYLES);
    expect(Array.from(out)).toEqual([
      word(STYLES[0].rgb),
      word(STYLES[1].rgb),
      0,
      word(STYLES[1].rgb),
      word(AMBIGUOUS_RGB) // a phase without a style
    ]);
    const amb = new Uint32Array(5);
    phaseMapWords(amb, phase, STYLES, Uint8Array.from([0, 1, 1, 0, 0]));
    expect(amb[1]).toBe(word(AMBIGUOUS_RGB));
    expect(amb[2]).toBe(0); // background stays background
    expect(amb[3]).toBe(word(STYLES[1].rgb));
  });

  it('paints flags solid over the faded final map and counts them', () => {
    const out = new Uint32Array(4);
    const n = flagMapWords(
      out,
      Int16Array.from([0, 1, -1, 1]),
      Uint8Array.from([0, 1, 1, 0]),
      STYLES,
      [10, 20, 30]
    );
    expect(n).toBe(2);
    expect(Array.from(out)).toEqual([
      word(STYLES[0].rgb, 60),
      word([10, 20, 30]),
      word([10, 20, 30]), // a flag wins over the background
      word(STYLES[1].rgb, 60)
    ]);
  });

  it('maps scalars through the colour map, clamped, NaN transparent', () => {
    const lut = colormapLut('viridis');
    const at = (k: number): number => rgbaWord(lut[4 * k], lut[4 * k + 1], lut[4 * k + 2]);
    const out = new Uint32Array(5);
    scalarMapWords(out, Float32Array.from([0, 1, 0.5, Number.NaN, 7]), 0, 1, 'viridis');
    expect(Array.from(out)).toEqual([at(0), at(255), at(128), 0, at(255)]);
  });

  it('draws an image with faint pixels outside the mask and NaN transparent', () => {
    const out = new Uint8ClampedArray(3 * 4);
    imageRgba(
      out,
      Float32Array.from([0, Number.NaN, 2]),
      [0, 2],
      'grey',
      Uint8Array.from([1, 1, 0])
    );
    const lut = colormapLut('grey');
    expect(Array.from(out.subarray(0, 4))).toEqual([lut[0], lut[1], lut[2], 255]);
    expect(Array.from(out.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(Array.from(out.subarray(8, 12))).toEqual([lut[1020], lut[1021], lut[1022], 70]);
  });

  it('draws the particle mask light on dark and counts its pixels', () => {
    const out = new Uint8ClampedArray(3 * 4);
    expect(maskRgba(out, Uint8Array.from([1, 0, 1]))).toBe(2);
    expect(Array.from(out)).toEqual([230, 230, 230, 255, 40, 40, 40, 255, 230, 230, 230, 255]);
  });
});
