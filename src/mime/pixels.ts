/**
 * The pixels of each view of a notebook phase map (pure: runs in Node tests).
 */
import { AMBIGUOUS_COLOR, BACKGROUND_COLOR, hexToRgb, phaseColor } from '../core/model/palette.js';
import { displayText } from '../core/model/text.js';
import {
  FLAG_AMBIGUOUS,
  FLAG_FALSE_ASSIGNMENT,
  FLAG_TRANSITION,
  FLAG_UNASSIGNED,
  type MapPayload
} from './payload.js';

export type MapMode = 'final' | 'initial' | 'confidence' | 'flags';

export const MODES: { mode: MapMode; label: string }[] = [
  { mode: 'final', label: 'Final' },
  { mode: 'initial', label: 'Initial + ambiguous' },
  { mode: 'confidence', label: 'Confidence' },
  { mode: 'flags', label: 'Flags' }
];

export const FLAG_COLORS: { bit: number; label: string; color: string }[] = [
  { bit: FLAG_TRANSITION, label: 'transition', color: '#FFFFFF' },
  { bit: FLAG_FALSE_ASSIGNMENT, label: 'false assignment', color: '#D55E00' },
  { bit: FLAG_UNASSIGNED, label: 'unassigned', color: '#CC79A7' },
  { bit: FLAG_AMBIGUOUS, label: 'ambiguous', color: AMBIGUOUS_COLOR }
];
export const PARTICLE_COLOR = '#404040';

/** A legend row: the phase name (without bidi controls) and its fraction. */
export function legendLabel(name: string, fraction: number): string {
  return `${displayText(name)}  ${(100 * fraction).toFixed(1)} %`;
}

/** The title as drawn: all of it (a "/" is no path to cut at), without bidi controls. */
export function titleText(title: string): string {
  return displayText(title) || 'phase map';
}

/** RGBA pixels of one view of the payload. */
export function renderPixels(p: MapPayload, mode: MapMode): Uint8ClampedArray {
  const [ny, nx] = p.shape;
  const out = new Uint8ClampedArray(ny * nx * 4);
  const bg = hexToRgb(BACKGROUND_COLOR);
  const grey = hexToRgb(AMBIGUOUS_COLOR);
  const lut = p.phaseNames.map((_, i) => hexToRgb(phaseColor(i)));
  const flagRgb = FLAG_COLORS.map(f => ({ bit: f.bit, rgb: hexToRgb(f.color) }));
  const particle = hexToRgb(PARTICLE_COLOR);
  for (let i = 0; i < ny * nx; i++) {
    const code = mode === 'initial' ? p.maps.initial[i] : p.maps.phase[i];
    let rgb = code === 0 ? bg : lut[code - 1];
    if (code !== 0) {
      if (mode === 'initial' && p.maps.flags[i] & FLAG_AMBIGUOUS) {
        rgb = grey;
      } else if (mode === 'confidence') {
        const c = p.maps.confidence[i];
        rgb = [c, c, c];
      } else if (mode === 'flags') {
        rgb = flagRgb.find(f => p.maps.flags[i] & f.bit)?.rgb ?? particle;
      }
    }
    out.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  }
  return out;
}
