/**
 * What the image viewer says and which frame it shows, as pure functions
 * (tested in Node, stack-text.spec.ts): energies and lengths as text, the
 * frame of the shown stack at the slider's energy, the cursor's read-out.
 */
import type { Stack } from '../../core/model/stack.js';
import { fmt } from '../shared/dom.js';
import type { PixelIndex } from '../shared/grid.js';

export function formatEnergy(eV: number): string {
  return `${eV.toFixed(2)} eV`;
}

export function formatLength(um: number | null): string {
  if (um === null) {
    return 'n/a';
  }
  return um >= 0.1 ? `${Number(um.toPrecision(4))} µm` : `${Number((um * 1000).toPrecision(4))} nm`;
}

/**
 * The frame of the shown stack at the slider's energy. The slider walks the
 * file's energies; pre-processing may have dropped frames (empty or NaN),
 * so the optical density is matched by energy: -1 when that frame was dropped.
 */
export function shownFrameIndex(
  shown: Pick<Stack, 'energies'>,
  raw: Pick<Stack, 'energies'>,
  energyIndex: number
): number {
  const i = Math.min(energyIndex, raw.energies.length - 1);
  if (shown === raw || shown.energies.length === raw.energies.length) {
    return Math.min(i, shown.energies.length - 1);
  }
  const target = raw.energies[i];
  for (let k = 0; k < shown.energies.length; k++) {
    if (Math.abs(shown.energies[k] - target) < 1e-6) {
      return k;
    }
  }
  return -1;
}

/** The cursor's read-out: position, pixel, value at the shown frame (NaN: a dropped frame). */
export function pixelReadoutText(
  stack: Pick<Stack, 'x' | 'y' | 'data'>,
  p: PixelIndex,
  frameIndex: number,
  unit: 'OD' | 'counts',
  pinned: boolean
): string {
  const nx = stack.x.length;
  const ny = stack.y.length;
  const v = frameIndex < 0 ? Number.NaN : stack.data[(frameIndex * ny + p.iy) * nx + p.ix];
  return (
    `x ${fmt(stack.x[p.ix])} µm, y ${fmt(stack.y[p.iy])} µm · pixel (${p.ix}, ${p.iy})` +
    ` · ${fmt(v)} ${unit}${pinned ? ' · pinned' : ''}`
  );
}
