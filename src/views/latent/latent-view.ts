/**
 * The latent space (paper Fig. 4d–f): every particle pixel's latent mean as a
 * point, coloured by phase, with each phase's Gaussian (1σ and 2σ ellipses).
 * "Before" shows the unambiguous pixels in their phase colour and the
 * ambiguous ones in grey; "after" colours every pixel by its final phase.
 * Points are drawn into a canvas (up to ~10⁶), axes and the brush are d3 SVG.
 * Brushing selects the pixels (highlighted on the maps); a selection made on
 * the maps is highlighted here; the linked cursor's pixel is ringed.
 */
import { scaleLinear, select, type BrushBehavior } from 'd3';
import { Widget } from '@lumino/widgets';

import type { PhaseMapResult } from '../../core/model/result.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { el, fmt, svgEl } from '../shared/dom.js';
import { currentTheme, FigureBuilder, type IExportable } from '../shared/figure.js';
import { pixelAt, resultGrid, type PixelGrid } from '../shared/grid.js';
import type { LinkedCursor, PixelSelection } from '../shared/linked.js';
import { NO_LATENT_MESSAGE } from '../shared/messages.js';
import { AMBIGUOUS_RGB, phaseStyles, type PhaseStyle } from '../shared/phase-style.js';
import { drawLatentAxes, LATENT_MARGIN } from './latent-axes.js';
import { renderLegend } from '../shared/legend.js';
import { latentLayout } from './layout.js';
import { latentProjection, project, type Projection } from './projection.js';
import { rgbaWord } from '../shared/paint.js';
import { drawScatter } from './scatter.js';

/** What the latent view draws: the result's latent space, in the references' colours. */
export type LatentInput = Pick<
  IWorkbenchModel,
  'shownResult' | 'stack' | 'prepared' | 'references' | 'info' | 'path' | 'resultChanged'
>;

const M = LATENT_MARGIN;

type Which = 'before' | 'after';

interface Panel {
  which: Which;
  node: HTMLDivElement;
  canvas: HTMLCanvasElement;
  svg: SVGSVGElement;
  title: HTMLDivElement;
  brush: BrushBehavior<unknown> | null;
}

export class LatentView extends Widget implements IExportable {
  constructor(
    private readonly _source: LatentInput,
    private readonly _cursor: LinkedCursor,
    private readonly _selection: PixelSelection
  ) {
    super();
    this.addClass('jp-STXMLatentView');
    this.addClass('jp-STXMScroll');
    this._message = el('div', 'jp-STXMEmpty');
    this._info = el('div', 'jp-STXMCaption jp-STXMLatentView-info');
    this._legend = el('div', 'jp-STXMLegend');
    const panels = el('div', 'jp-STXMLatentView-panels');
    this._panels = (['before', 'after'] as Which[]).map(which => {
      const node = el('div', `jp-STXMLatentView-panel jp-mod-${which}`);
      const title = el(
        'div',
        'jp-STXMFigureTitle',
        which === 'before'
          ? 'Before resolution: ambiguous pixels in grey'
          : 'After resolution: every pixel in its final phase'
      );
      const plot = el('div', 'jp-STXMLatentView-plot');
      const canvas = el('canvas', 'jp-STXMLatentView-canvas');
      const svg = svgEl('svg', { class: 'jp-STXMLatentView-svg' });
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', `Latent space ${which} resolution`);
      plot.append(canvas, svg);
      node.append(title, plot);
      panels.append(node);
      return { which, node, canvas, svg, title, brush: null };
    });
    this._body = el('div', 'jp-STXMLatentView-body');
    this._body.append(this._legend, this._info, panels);
    this.node.append(this._message, this._body);
    this._observer = new ResizeObserver(() => this._schedule(true));
    this._observer.observe(panels);
    _source.resultChanged.connect(() => this._schedule(true), this);
    _selection.changed.connect(() => this._schedule(false), this);
    _cursor.changed.connect(this._drawCursor, this);
    this._schedule(true);
  }

  exportSvg(): SVGSVGElement | null {
    const result = this._source.shownResult;
    if (!result || result.latentDim === 0) {
      return null;
    }
    this._render(true);
    const theme = currentTheme(this.node);
    const [w, h] = this._size;
    const fig = new FigureBuilder(2 * w + 45, h + 70, theme);
    const file = this._source.info?.file ?? this._source.path;
    fig.text(15, 22, `Latent space — ${file.split('/').pop() ?? file}`, {
      size: 14,
      weight: 'bold'
    });
    this._panels.forEach((p, i) => {
      const x = 15 + i * (w + 15);
      fig.text(x, 44, p.title.textContent ?? '', { size: 11 });
      fig.canvas(p.canvas, x + M.left, 52 + M.top, w - M.left - M.right, h - M.top - M.bottom);
      fig.embed(p.svg, x, 52, w, h);
    });
    return fig.svg;
  }

  protected onAfterShow(): void {
    if (this._dirty) {
      this._schedule(this._dirtyScales);
    }
  }

  dispose(): void {
    this._observer.disconnect();
    if (this._frame) {
      cancelAnimationFrame(this._frame);
    }
    super.dispose();
  }

  private _schedule(scales: boolean): void {
    this._dirty = true;
    this._dirtyScales ||= scales;
    if (!this.isVisible || this._frame) {
      return;
    }
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this._render(this._dirtyScales);
    });
  }

  private _render(scales: boolean): void {
    this._dirty = false;
    this._dirtyScales = false;
    const result = this._source.shownResult;
    this.node.dataset.hasResult = String(result !== null);
    if (!result || result.latentDim === 0) {
      this._message.textContent = result
        ? NO_LATENT_MESSAGE
        : 'Run the pipeline (GMVAE method) to see the latent space.';
      this._message.hidden = false;
      this._body.hidden = true;
      this.node.dataset.points = '0';
      return;
    }
    this._message.hidden = true;
    this._body.hidden = false;
    if (scales || result !== this._result) {
      this._prepare(result);
    }
    for (const p of this._panels) {
      this._drawPoints(p);
      if (scales || !p.brush) {
        this._drawAxes(p);
      }
    }
    this._drawCursor();
  }

  /** Project every particle pixel once per result. */
  private _prepare(result: PhaseMapResult): void {
    const L = result.latentDim;
    const same = this._result?.latent === result.latent;
    this._result = result;
    if (!same || !this._proj) {
      this._proj = latentProjection(result.latent, L, result.mask);
      const layout = latentLayout(result.latent, L, result.mask, result.phaseGaussians, this._proj);
      this._pixels = layout.pixels;
      this._xy = layout.xy;
      this._domain = layout.domain;
    }
    this._styles = phaseStyles(result.phaseNames, this._source.references);
    const raw = this._source.stack;
    const prep = this._source.prepared?.stack;
    this._grid = resultGrid(result, raw ? { x: raw.x, y: raw.y } : null, [
      prep ? { x: prep.x, y: prep.y } : null
    ]);
    this.node.dataset.points = String(this._pixels.length);
    this.node.dataset.latentDim = String(L);
    this._renderLegend(result);
    this._info.textContent =
      `${this._pixels.length} particle pixels · latent dimension L = ${L}` +
      (L > 2 ? ' (shown on its two principal axes)' : '') +
      ` · ellipses: 1σ and 2σ of each phase's Gaussian (from its unambiguous pixels)` +
      ` · ${result.counts.ambiguous} ambiguous at τ = ${fmt(result.threshold)}` +
      ' · drag to select pixels, click outside the selection to clear';
  }

  private _size: [number, number] = [400, 360];

  private _panelSize(p: Panel): [number, number] {
    const w = Math.max(220, Math.floor(p.node.clientWidth || 400));
    const h = Math.max(220, Math.min(520, Math.round(w * 0.9)));
    this._size = [w, h];
    return [w, h];
  }

  private _scales(
    w: number,
    h: number
  ): {
    x: ReturnType<typeof scaleLinear<number, number>>;
    y: ReturnType<typeof scaleLinear<number, number>>;
  } {
    const [x0, x1, y0, y1] = this._domain;
    return {
      x: scaleLinear()
        .domain([x0, x1])
        .range([0, w - M.left - M.right]),
      y: scaleLinear()
        .domain([y0, y1])
        .range([h - M.top - M.bottom, 0])
    };
  }

  private _drawPoints(p: Panel): void {
    const result = this._result;
    if (!result) {
      return;
    }
    const [w, h] = this._panelSize(p);
    p.canvas.style.left = `${M.left}px`;
    p.canvas.style.top = `${M.top}px`;
    const sel = this._selection.mask;
    const hasSel = sel !== null && sel.length === result.mask.length;
    const before = p.which === 'before';
    const word = (rgb: readonly number[], a: number): number => rgbaWord(rgb[0], rgb[1], rgb[2], a);
    const alpha = (pix: number): number => (hasSel && !sel[pix] ? 45 : 235);
    const phaseWord = (k: number, pix: number): number =>
      word(this._styles[k]?.rgb ?? AMBIGUOUS_RGB, alpha(pix));
    drawScatter(p.canvas, w - M.left - M.right, h - M.top - M.bottom, {
      xy: this._xy,
      domain: this._domain,
      color: i => {
        const pix = this._pixels[i];
        if (before) {
          return result.ambiguous[pix]
            ? word(AMBIGUOUS_RGB, alpha(pix))
            : phaseWord(result.initialPhase[pix], pix);
        }
        return phaseWord(result.phase[pix], pix);
      },
      // ambiguous (or selected) pixels on top
      onTop: i => {
        const pix = this._pixels[i];
        return hasSel ? sel[pix] === 1 : result.ambiguous[pix] === 1;
      }
    });
    this.node.dataset.selected = String(hasSel ? this._selection.count : 0);
  }

  private _drawAxes(p: Panel): void {
    const result = this._result;
    const proj = this._proj;
    if (!result || !proj) {
      return;
    }
    const [width, height] = this._size;
    const { x, y } = this._scales(width, height);
    p.brush = drawLatentAxes(p.svg, {
      width,
      height,
      x,
      y,
      projection: proj,
      gaussians: result.phaseGaussians,
      styles: this._styles,
      onBrush: rect => {
        if (!rect) {
          this._selection.clear();
          return;
        }
        this._brushed(rect.x0, rect.x1, rect.y0, rect.y1);
        // the selection now lives on the maps and points: clear the other panel's rectangle
        for (const other of this._panels) {
          if (other !== p && other.brush) {
            select(other.svg)
              .select<SVGGElement>('g.jp-STXMLatentView-brush')
              .call(other.brush.clear);
          }
        }
      }
    });
  }

  private _brushed(xa: number, xb: number, ya: number, yb: number): void {
    const result = this._result;
    if (!result) {
      return;
    }
    const mask = new Uint8Array(result.mask.length);
    for (let i = 0; i < this._pixels.length; i++) {
      const x = this._xy[2 * i];
      const y = this._xy[2 * i + 1];
      if (x >= xa && x <= xb && y >= ya && y <= yb) {
        mask[this._pixels[i]] = 1;
      }
    }
    this._selection.set(mask, 'latent');
    this.node.dataset.selected = String(this._selection.count);
  }

  private _drawCursor(): void {
    const result = this._result;
    const proj = this._proj;
    const point = this._cursor.point;
    for (const p of this._panels) {
      const g = select(p.svg).select<SVGGElement>('g.jp-STXMLatentView-cursor');
      g.selectAll('*').remove();
      if (!result || !proj || !point || !this._grid || result !== this._source.shownResult) {
        continue;
      }
      const px = pixelAt(this._grid, point);
      if (!px) {
        continue;
      }
      const i = px.iy * result.shape[1] + px.ix;
      if (!result.mask[i] || !Number.isFinite(result.latent[i * result.latentDim])) {
        continue;
      }
      const { x, y } = this._scales(...this._size);
      const [lx, ly] = project(proj, result.latent, i * result.latentDim);
      g.append('circle')
        .attr('class', 'jp-STXMLatentView-cursorRing')
        .attr('cx', x(lx))
        .attr('cy', y(ly))
        .attr('r', 6);
    }
  }

  private _renderLegend(result: PhaseMapResult): void {
    renderLegend(this._legend, this._styles, [
      {
        label: `ambiguous (${result.counts.ambiguous})`,
        color: `rgb(${AMBIGUOUS_RGB.join(',')})`
      }
    ]);
  }

  private _result: PhaseMapResult | null = null;
  private _proj: Projection | null = null;
  private _pixels: Int32Array = new Int32Array(0);
  private _xy: Float32Array = new Float32Array(0);
  private _domain: [number, number, number, number] = [-1, 1, -1, 1];
  private _styles: PhaseStyle[] = [];
  private _grid: PixelGrid | null = null;
  private _dirty = false;
  private _dirtyScales = false;
  private _frame = 0;
  private readonly _panels: Panel[];
  private readonly _message: HTMLDivElement;
  private readonly _info: HTMLDivElement;
  private readonly _legend: HTMLDivElement;
  private readonly _body: HTMLDivElement;
  private readonly _observer: ResizeObserver;
}
