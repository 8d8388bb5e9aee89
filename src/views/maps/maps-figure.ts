/**
 * The maps as one figure for export: title, legend, τ and counts, then the
 * tiles in rows of four (each with its scale bar, colour bar and caption).
 */
import { fmt } from '../shared/dom.js';
import { FigureBuilder, type FigureTheme } from '../shared/figure.js';
import type { MapTile } from '../shared/map-tile.js';
import { AMBIGUOUS_RGB, type PhaseStyle } from '../shared/phase-style.js';

export function mapsFigure(
  theme: FigureTheme,
  title: string,
  styles: readonly PhaseStyle[],
  subtitle: string,
  tiles: readonly MapTile[]
): SVGSVGElement {
  const cols = 4;
  const tw = 200;
  const gap = 18;
  // measure with a throwaway figure
  const probe = new FigureBuilder(10, 10, theme);
  const heights = tiles.map(t => t.drawInto(probe, 0, 0, tw));
  const rows = Math.ceil(tiles.length / cols);
  const rowH: number[] = [];
  for (let r = 0; r < rows; r++) {
    rowH.push(Math.max(...heights.slice(r * cols, r * cols + cols)));
  }
  const entries: [string, string][] = styles.map(s => [s.color, s.name]);
  entries.push([`rgb(${AMBIGUOUS_RGB.join(',')})`, 'ambiguous']);
  const legendH = 24 + 18 * Math.ceil(entries.length / 4);
  const width = cols * tw + (cols + 1) * gap;
  const height = 40 + legendH + rowH.reduce((a, b) => a + b + gap, 0);
  const fig = new FigureBuilder(width, height, theme);
  fig.text(gap, 24, title, { size: 14, weight: 'bold' });
  entries.forEach(([c, name], i) => {
    const x = gap + (i % 4) * 200;
    const y = 40 + Math.floor(i / 4) * 18;
    fig.rect(x, y, 12, 12, c);
    fig.text(x + 18, y + 10, name, { size: 11 });
  });
  fig.text(gap, 40 + legendH - 8, subtitle, { size: 10, color: theme.muted });
  let y = 40 + legendH;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const t = tiles[r * cols + c];
      if (t) {
        t.drawInto(fig, gap + c * (tw + gap), y, tw);
      }
    }
    y += rowH[r] + gap;
  }
  return fig.svg;
}

/** The subtitle line of the maps figure. */
export function mapsSubtitle(threshold: number, counts: string): string {
  return `τ = ${fmt(threshold)} · ${counts}`;
}
