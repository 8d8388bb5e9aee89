/**
 * A small d3 line chart (spectra, loss curves, I0, shifts, fractions): axes
 * with labels, series as lines and/or markers, a legend inside the plot, an
 * optional vertical marker, and a message when there is nothing to plot.
 * Redraws on resize. Text is set through d3's `.text()` (textContent).
 */
import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';

import { displayText } from '../../core/model/text.js';
import { el, svgEl } from './dom.js';
import { currentTheme, FigureBuilder, type IExportable } from './figure.js';

export interface ChartSeries {
  name: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
  /** Draw a marker at every point (sparse energies). */
  markers?: boolean;
  /** Draw no line, only markers. */
  noLine?: boolean;
  width?: number;
  opacity?: number;
  /** Listed in the legend (default true). */
  legend?: boolean;
}

export interface ChartOptions {
  xLabel: string;
  yLabel: string;
  /** Fixed height in px; default: the node's height. */
  height?: number;
  className?: string;
  /** Integer ticks on x (epochs). */
  integerX?: boolean;
  /** Accessible name of the chart. */
  title?: string;
}

const MARGIN = { top: 12, right: 14, bottom: 38, left: 58 };

export class LineChart implements IExportable {
  constructor(private readonly options: ChartOptions) {
    this.node = el('div', `jp-STXMChart ${options.className ?? ''}`.trim());
    if (options.height) {
      this.node.style.height = `${options.height}px`;
    }
    this.svg = svgEl('svg', { class: 'jp-STXMChart-svg' });
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-label', options.title ?? `${options.yLabel} vs ${options.xLabel}`);
    this._message = el('div', 'jp-STXMChart-message');
    this.node.append(this.svg, this._message);
    this._observer = new ResizeObserver(() => this.scheduleRender());
    this._observer.observe(this.node);
  }

  readonly node: HTMLDivElement;
  readonly svg: SVGSVGElement;

  setSeries(series: readonly ChartSeries[]): void {
    this._series = series;
    this.scheduleRender();
  }

  /** A vertical line at `x` (the current energy), or none. */
  setMarkerX(x: number | null): void {
    this._markerX = x;
    this.scheduleRender();
  }

  /** A message over the plot (no data yet, an error…), or null. */
  setMessage(message: string | null): void {
    this._message.textContent = message ?? '';
    this._message.hidden = message === null;
  }

  setLabels(xLabel: string, yLabel: string): void {
    this.options.xLabel = xLabel;
    this.options.yLabel = yLabel;
    this.scheduleRender();
  }

  /** Render at the next animation frame (coalesces bursts of updates). */
  scheduleRender(): void {
    if (this._frame) {
      return;
    }
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this.render();
    });
  }

  /** Draw at the node's size. */
  render(): void {
    this.renderAt(
      Math.max(120, this.node.clientWidth),
      Math.max(100, this.options.height ?? this.node.clientHeight)
    );
  }

  /** Draw at a given size (exports draw at their own size, then the screen size comes back). */
  renderAt(width: number, height: number): void {
    const svg = select(this.svg).attr('width', width).attr('height', height);
    svg.selectAll('*').remove();
    const w = width - MARGIN.left - MARGIN.right;
    const h = height - MARGIN.top - MARGIN.bottom;
    const [x0, x1, y0, y1] = this._domain();
    const x = scaleLinear().domain([x0, x1]).range([0, w]);
    const y = scaleLinear().domain([y0, y1]).nice().range([h, 0]);
    const g = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);

    const xAxis = axisBottom(x).ticks(Math.max(2, Math.floor(w / 70)));
    if (this.options.integerX) {
      xAxis.tickFormat(v => (Number.isInteger(+v) ? String(v) : ''));
    }
    g.append('g')
      .attr('class', 'jp-STXMChart-grid')
      .call(
        axisLeft(y)
          .ticks(Math.max(2, Math.floor(h / 40)))
          .tickSize(-w)
          .tickFormat(() => '')
      );
    g.append('g')
      .attr('class', 'jp-STXMChart-axis')
      .attr('transform', `translate(0,${h})`)
      .call(xAxis);
    g.append('g')
      .attr('class', 'jp-STXMChart-axis')
      .call(axisLeft(y).ticks(Math.max(2, Math.floor(h / 40))));
    g.append('text')
      .attr('class', 'jp-STXMChart-label')
      .attr('x', w / 2)
      .attr('y', h + 32)
      .attr('text-anchor', 'middle')
      .text(this.options.xLabel);
    g.append('text')
      .attr('class', 'jp-STXMChart-label')
      .attr('transform', `translate(${-44},${h / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .text(this.options.yLabel);

    if (this._markerX !== null && this._markerX >= x0 && this._markerX <= x1) {
      g.append('line')
        .attr('class', 'jp-STXMChart-marker')
        .attr('x1', x(this._markerX))
        .attr('x2', x(this._markerX))
        .attr('y1', 0)
        .attr('y2', h);
    }

    const plot = g.append('g').attr('class', 'jp-STXMChart-series');
    for (const s of this._series) {
      const pts: [number, number][] = [];
      for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
        pts.push([s.x[i], s.y[i]]);
      }
      const defined = (d: [number, number]): boolean =>
        Number.isFinite(d[0]) && Number.isFinite(d[1]);
      if (!s.noLine) {
        plot
          .append('path')
          .attr(
            'd',
            line<[number, number]>()
              .defined(defined)
              .x(d => x(d[0]))
              .y(d => y(d[1]))(pts) ?? ''
          )
          .attr('fill', 'none')
          .attr('stroke', s.color)
          .attr('stroke-width', s.width ?? 1.5)
          .attr('stroke-opacity', s.opacity ?? 1)
          .attr('stroke-dasharray', s.dashed ? '5 3' : null);
      }
      if (s.markers) {
        plot
          .append('g')
          .selectAll('circle')
          .data(pts.filter(defined))
          .join('circle')
          .attr('cx', d => x(d[0]))
          .attr('cy', d => y(d[1]))
          .attr('r', 2.8)
          .attr('fill', s.color)
          .attr('fill-opacity', s.opacity ?? 1);
      }
    }

    const legend = this._series.filter(s => s.legend !== false);
    if (legend.length) {
      const lg = g.append('g').attr('class', 'jp-STXMChart-legend');
      const rowH = 15;
      const box = lg.append('rect').attr('class', 'jp-STXMChart-legendBox');
      const rows = lg
        .selectAll('g.row')
        .data(legend)
        .join('g')
        .attr('class', 'row')
        .attr('transform', (_, i) => `translate(8,${10 + i * rowH})`);
      rows
        .append('line')
        .attr('x1', 0)
        .attr('x2', 16)
        .attr('stroke', d => d.color)
        .attr('stroke-width', d => Math.max(2, d.width ?? 1.5))
        .attr('stroke-dasharray', d => (d.dashed ? '4 2' : null));
      rows
        .append('text')
        .attr('class', 'jp-STXMChart-legendText')
        .attr('x', 21)
        .attr('dy', '0.35em')
        .text(d => displayText(d.name));
      // size the box to its text
      let textW = 40;
      lg.selectAll<SVGTextElement, ChartSeries>('text').each(function () {
        textW = Math.max(textW, this.getComputedTextLength?.() ?? 40);
      });
      const bw = 8 + 21 + textW + 8;
      const bh = legend.length * rowH + 6;
      box.attr('width', bw).attr('height', bh).attr('rx', 3);
      lg.attr('transform', `translate(${Math.max(0, w - bw - 4)},4)`);
    }
  }

  exportSvg(): SVGSVGElement | null {
    const w = this.node.clientWidth >= 320 ? this.node.clientWidth : 640;
    const h = this.options.height ?? (this.node.clientHeight >= 200 ? this.node.clientHeight : 360);
    const fig = new FigureBuilder(w, h, currentTheme(this.node));
    this.embedInto(fig, 0, 0, w, h);
    return fig.svg;
  }

  /** Draw the chart at (x, y) of a figure, `w` × `h`. */
  embedInto(fig: FigureBuilder, x: number, y: number, w: number, h: number): void {
    this.renderAt(w, h);
    fig.embed(this.svg, x, y, w, h);
    this.scheduleRender();
  }

  dispose(): void {
    this._observer.disconnect();
    if (this._frame) {
      cancelAnimationFrame(this._frame);
    }
  }

  private _domain(): [number, number, number, number] {
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const s of this._series) {
      for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
        const a = s.x[i];
        const b = s.y[i];
        if (Number.isFinite(a) && Number.isFinite(b)) {
          x0 = Math.min(x0, a);
          x1 = Math.max(x1, a);
          y0 = Math.min(y0, b);
          y1 = Math.max(y1, b);
        }
      }
    }
    if (!(x1 >= x0)) {
      return [0, 1, 0, 1];
    }
    if (x1 === x0) {
      x0 -= 0.5;
      x1 += 0.5;
    }
    if (y1 === y0) {
      y0 -= 0.5;
      y1 += 0.5;
    }
    const pad = 0.05 * (y1 - y0);
    return [x0, x1, y0 - pad, y1 + pad];
  }

  private _series: readonly ChartSeries[] = [];
  private _markerX: number | null = null;
  private _frame = 0;
  private readonly _message: HTMLDivElement;
  private readonly _observer: ResizeObserver;
}
