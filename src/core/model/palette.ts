/**
 * Colours shared by every rendering of a phase map (workbench, notebook PNG,
 * exported figures): the Okabe–Ito palette, distinguishable with the common
 * colour-vision deficiencies, then Paul Tol's muted scheme for more phases.
 */
export const PHASE_COLORS: readonly string[] = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#D55E00', // vermillion
  '#F0E442', // yellow
  '#332288',
  '#117733',
  '#882255',
  '#44AA99',
  '#999933'
];

/** Ambiguous pixels (before resolution) and flags. */
export const AMBIGUOUS_COLOR = '#808080';
/** Background (outside the particle). */
export const BACKGROUND_COLOR = '#000000';

/** The colour of phase `i` (cycles beyond the palette). */
export function phaseColor(i: number): string {
  return PHASE_COLORS[((i % PHASE_COLORS.length) + PHASE_COLORS.length) % PHASE_COLORS.length];
}

/** `#rrggbb` → [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) {
    throw new RangeError(`not a #rrggbb colour: ${hex.slice(0, 20)}`);
  }
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}
