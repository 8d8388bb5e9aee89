/**
 * The latent-space checks of the maps view: confidence, false assignments,
 * transition pixels and unassigned pixels. Maps a method did not produce say
 * so plainly instead of showing an empty image.
 */
import { color as d3color } from 'd3';

import type { PhaseMapResult } from '../../core/model/result.js';
import type { ColormapName } from '../shared/colormap.js';
import { paintFlagMap, paintScalarMap } from '../shared/map-image.js';
import type { MapTile } from '../shared/map-tile.js';
import { NO_LATENT_MESSAGE } from '../shared/messages.js';
import type { PhaseStyle } from '../shared/phase-style.js';

export type PaintJob = (tile: MapTile, job: () => void) => void;

export class LatentChecks {
  constructor(makeTile: (id: string, title: string) => MapTile) {
    this.confidence = makeTile('confidence', 'Confidence');
    this.falseAssignment = makeTile('false-assignment', 'False assignments');
    this.transition = makeTile('transition', 'Transition pixels');
    this.unassigned = makeTile('unassigned', 'Unassigned (far from every phase)');
  }

  readonly confidence: MapTile;
  readonly falseAssignment: MapTile;
  readonly transition: MapTile;
  readonly unassigned: MapTile;

  get tiles(): MapTile[] {
    return [this.confidence, this.falseAssignment, this.transition, this.unassigned];
  }

  paint(
    result: PhaseMapResult,
    styles: readonly PhaseStyle[],
    cmap: ColormapName,
    flagRgb: [number, number, number],
    paint: PaintJob
  ): void {
    const [ny, nx] = result.shape;
    const c = this.confidence;
    // confidence: whenever the method gave one (a latent model, or the Pearson margin)
    if (hasFinite(result.confidence)) {
      c.setMessage(null);
      paint(c, () => paintScalarMap(c.frame.canvas, result.confidence, nx, ny, 0, 1, cmap));
      c.setColorbar(cmap, 0, 1);
      c.caption =
        result.latentDim > 0
          ? 'confidence of the final assignment (latent space)'
          : 'confidence from the Pearson margin only (no latent space)';
    } else {
      c.setMessage(NO_LATENT_MESSAGE);
      c.caption = '';
    }
    const flags: [MapTile, Uint8Array, string][] = [
      [
        this.falseAssignment,
        result.falseAssignment,
        'unambiguous pixels the latent space places elsewhere'
      ],
      [this.transition, result.transition, 'between two phase distributions'],
      [this.unassigned, result.unassigned, 'far from every phase distribution']
    ];
    for (const [tile, flag, what] of flags) {
      if (result.latentDim === 0) {
        tile.setMessage(NO_LATENT_MESSAGE);
        tile.caption = '';
        continue;
      }
      tile.setMessage(null);
      let n = 0;
      for (let p = 0; p < flag.length; p++) {
        n += flag[p];
      }
      tile.caption = `${n} pixels: ${what}`;
      paint(tile, () =>
        paintFlagMap(tile.frame.canvas, result.phase, flag, nx, ny, styles, flagRgb)
      );
    }
  }
}

function hasFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      return true;
    }
  }
  return false;
}

/** The theme's main text colour as RGB (flagged pixels stand out in both themes). */
export function foregroundRgb(node: Element): [number, number, number] {
  const c = d3color(
    getComputedStyle(node).getPropertyValue('--jp-ui-font-color0').trim() || '#000'
  );
  const rgb = c ? c.rgb() : null;
  return rgb ? [Math.round(rgb.r), Math.round(rgb.g), Math.round(rgb.b)] : [0, 0, 0];
}
