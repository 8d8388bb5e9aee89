/**
 * The SVG layer of a latent-space panel: frame, axes and their labels, each
 * phase's 1σ and 2σ ellipses with its name (clipped to the plot), a layer for
 * the cursor ring, and the d3 brush (reported in data units).
 */
import {
  axisBottom,
  axisLeft,
  brush,
  line,
  select,
  type BrushBehavior,
  type ScaleLinear
} from 'd3';

import type { LatentGaussian } from '../../core/model/result.js';
import { displayText } from '../../core/model/text.js';
import type { PhaseStyle } from '../shared/phase-style.js';
import { ellipse, ellipsePoints, projectGaussian, type Projection } from './projection.js';

export const LATENT_MARGIN = { top: 10, right: 12, bottom: 40, left: 48 };

let clipIds = 0;

export interface LatentAxesOptions {
  width: number;
  height: number;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  projection: Projection;
  gaussians: readonly LatentGaussian[];
  styles: readonly PhaseStyle[];
  /** A rectangle brushed, in data units (x0 ≤ x1, y0 ≤ y1), or null when cleared by a click. */
  onBrush(rect: { x0: number; x1: number; y0: number; y1: number } | null): void;
}

/** Draw the layer into `svgNode` (replacing what was there); returns the brush. */
export function drawLatentAxes(
  svgNode: SVGSVGElement,
  o: LatentAxesOptions
): BrushBehavior<unknown> {
  const M = LATENT_MARGIN;
  const { x, y } = o;
  const svg = select(svgNode).attr('width', o.width).attr('height', o.height);
  svg.selectAll('*').remove();
  const g = svg.append('g').attr('transform', `translate(${M.left},${M.top})`);
  const pw = o.width - M.left - M.right;
  const ph = o.height - M.top - M.bottom;
  g.append('rect').attr('class', 'jp-STXMLatentView-frame').attr('width', pw).attr('height', ph);
  g.append('g')
    .attr('class', 'jp-STXMChart-axis')
    .attr('transform', `translate(0,${ph})`)
    .call(axisBottom(x).ticks(5));
  g.append('g').attr('class', 'jp-STXMChart-axis').call(axisLeft(y).ticks(5));
  g.append('text')
    .attr('class', 'jp-STXMChart-label')
    .attr('x', pw / 2)
    .attr('y', ph + 34)
    .attr('text-anchor', 'middle')
    .text(o.projection.labels[0]);
  g.append('text')
    .attr('class', 'jp-STXMChart-label')
    .attr('transform', `translate(-36,${ph / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(o.projection.labels[1]);
  const clipId = `jp-STXMLatentView-clip-${clipIds++}`;
  g.append('defs')
    .append('clipPath')
    .attr('id', clipId)
    .append('rect')
    .attr('width', pw)
    .attr('height', ph);
  const ell = g
    .append('g')
    .attr('class', 'jp-STXMLatentView-ellipses')
    .attr('clip-path', `url(#${clipId})`);
  const path = line<[number, number]>()
    .x(d => x(d[0]))
    .y(d => y(d[1]));
  o.gaussians.forEach((gauss, k) => {
    if (!gauss || gauss.count === 0) {
      return;
    }
    const pg = projectGaussian(o.projection, gauss);
    const style = o.styles[k];
    for (const sigma of [1, 2]) {
      ell
        .append('path')
        .attr('d', path(ellipsePoints(ellipse(pg.mean, pg.cov, sigma))) ?? '')
        .attr('fill', 'none')
        .attr('stroke', style?.color ?? '#888')
        .attr('stroke-width', sigma === 1 ? 2 : 1.2)
        .attr('stroke-dasharray', sigma === 2 ? '5 3' : null)
        .attr('class', 'jp-STXMLatentView-ellipse');
    }
    ell
      .append('text')
      .attr('class', 'jp-STXMLatentView-phaseLabel')
      .attr('x', x(pg.mean[0]))
      .attr('y', y(pg.mean[1]))
      .attr('text-anchor', 'middle')
      .attr('dy', '0.35em')
      .text(displayText(style?.name ?? `phase ${k}`));
  });
  g.append('g').attr('class', 'jp-STXMLatentView-cursor');
  const b = brush<unknown>()
    .extent([
      [0, 0],
      [pw, ph]
    ])
    .on('end', ev => {
      const e = ev as {
        selection: [[number, number], [number, number]] | null;
        sourceEvent?: Event;
      };
      if (!e.sourceEvent) {
        return; // cleared by the program
      }
      const s = e.selection;
      o.onBrush(
        s
          ? {
              x0: x.invert(s[0][0]),
              x1: x.invert(s[1][0]),
              y0: y.invert(s[1][1]),
              y1: y.invert(s[0][1])
            }
          : null
      );
    });
  g.append('g').attr('class', 'jp-STXMLatentView-brush').call(b);
  return b;
}
