/** The image viewer as a figure (SVG export): title, energy, the image, its colour bar. */
import type { ColormapName } from '../shared/colormap.js';
import { fmt } from '../shared/dom.js';
import { FigureBuilder, type FigureTheme } from '../shared/figure.js';
import type { ImageFrame } from '../shared/image-frame.js';
import { paintColorbar } from '../shared/map-image.js';

export function stackFigure(
  theme: FigureTheme,
  frame: ImageFrame,
  o: {
    title: string;
    energy: string;
    colormap: ColormapName;
    limits: readonly [number, number];
    unit: string;
  }
): SVGSVGElement {
  const w = 480;
  const h = Math.round(w / frame.ratio);
  const fig = new FigureBuilder(w + 40, h + 70, theme);
  fig.text(20, 24, o.title, { size: 13, weight: 'bold' });
  fig.text(20, 42, o.energy, { color: theme.muted });
  frame.drawInto(fig, 20, 52, w, h);
  const [lo, hi] = o.limits;
  const bar = document.createElement('canvas');
  paintColorbar(bar, o.colormap);
  fig.canvas(bar, 70, h + 58, w - 120, 8);
  fig.text(64, h + 66, fmt(lo), { size: 10, anchor: 'end' });
  fig.text(w - 44, h + 66, `${fmt(hi)} ${o.unit}`, { size: 10 });
  return fig.svg;
}
