/**
 * The comparison view (paper Fig. 5): several stacks — states of charge —
 * side by side, each final map on one common legend (a phase keeps its colour
 * in every stack), and the phase fractions against the state of charge. Fed
 * by the open workbenches that have a result; the state of charge of each is
 * typed in here and kept by its workbench.
 */
import { Widget } from '@lumino/widgets';

import { hexToRgb, phaseColor } from '../../core/model/palette.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { button, clear, el, fmt, numberInput } from '../shared/dom.js';
import { currentTheme, FigureBuilder, type IExportable } from '../shared/figure.js';
import { resultGrid } from '../shared/grid.js';
import { renderLegend } from '../shared/legend.js';
import { LineChart, type ChartSeries } from '../shared/line-chart.js';
import { paintPhaseMap } from '../shared/map-image.js';
import { MapTile } from '../shared/map-tile.js';
import type { PhaseStyle } from '../shared/phase-style.js';
import { isHexColor } from '../shared/phase-style.js';

/** What the comparison draws of each stack, and the state of charge typed in for it. */
export type ComparisonInput = Pick<
  IWorkbenchModel,
  | 'shownResult'
  | 'stack'
  | 'references'
  | 'stateOfCharge'
  | 'resultChanged'
  | 'stackChanged'
  | 'referencesChanged'
  | 'stateOfChargeChanged'
  | 'setStateOfCharge'
>;

export interface ComparisonEntry {
  /** Stable id (the stack's path). */
  id: string;
  label: string;
  source: ComparisonInput;
}

export interface IComparisonActions {
  exportView(format: 'png' | 'svg'): void;
  exportCsv(): void;
}

export class ComparisonView extends Widget implements IExportable {
  constructor(private readonly _actions: IComparisonActions) {
    super();
    this.addClass('jp-STXMComparisonView');
    this.addClass('jp-STXMScroll');
    const bar = el('div', 'jp-STXMToolbar');
    bar.append(
      el('span', 'jp-STXMPanelTitle', 'States of charge side by side'),
      button('Export PNG', 'jp-STXMComparisonView-png', () => this._actions.exportView('png')),
      button('Export SVG', 'jp-STXMComparisonView-svg', () => this._actions.exportView('svg')),
      button('Fractions CSV', 'jp-STXMComparisonView-csv', () => this._actions.exportCsv())
    );
    this._empty = el(
      'div',
      'jp-STXMEmpty',
      'Open stacks and run them: every workbench with a result appears here, ordered by state of charge.'
    );
    this._legend = el('div', 'jp-STXMLegend');
    this._grid = el('div', 'jp-STXMComparisonView-maps');
    this._chart = new LineChart({
      xLabel: 'State of charge',
      yLabel: 'Phase fraction',
      height: 280,
      title: 'Phase fractions against state of charge'
    });
    this._chartBox = el('div', 'jp-STXMFigure');
    this._chartBox.append(
      el('div', 'jp-STXMFigureTitle', 'Phase fractions vs state of charge'),
      this._chart.node
    );
    const content = el('div', 'jp-STXMComparisonView-content');
    content.append(this._grid, this._chartBox);
    this.node.append(bar, this._empty, this._legend, content);
  }

  /** The stacks to compare (workbenches with or without results). */
  setEntries(entries: readonly ComparisonEntry[]): void {
    for (const e of this._entries) {
      e.source.resultChanged.disconnect(this._schedule, this);
      e.source.stackChanged.disconnect(this._schedule, this);
      e.source.referencesChanged.disconnect(this._schedule, this);
      e.source.stateOfChargeChanged.disconnect(this._schedule, this);
    }
    this._entries = [...entries];
    for (const e of this._entries) {
      e.source.resultChanged.connect(this._schedule, this);
      e.source.stackChanged.connect(this._schedule, this);
      e.source.referencesChanged.connect(this._schedule, this);
      e.source.stateOfChargeChanged.connect(this._schedule, this);
    }
    this._schedule();
  }

  /** The entries shown (with a result), in state-of-charge order. */
  get shown(): readonly ComparisonEntry[] {
    return this._shown;
  }

  exportSvg(): SVGSVGElement | null {
    this._render();
    if (this._shown.length === 0) {
      return null;
    }
    const theme = currentTheme(this.node);
    const tw = 180;
    const gap = 16;
    const n = this._shown.length;
    const probe = new FigureBuilder(10, 10, theme);
    const th = Math.max(...this._tiles.map(t => t.drawInto(probe, 0, 0, tw)));
    const chartW = Math.max(420, n * (tw + gap) - gap);
    const width = gap * 2 + Math.max(n * (tw + gap) - gap, chartW);
    const legendH = 22;
    const height = 36 + legendH + th + gap + 300;
    const fig = new FigureBuilder(width, height, theme);
    fig.text(gap, 24, 'Final phase maps by state of charge', { size: 14, weight: 'bold' });
    let x = gap;
    for (const s of this._styles) {
      fig.rect(x, 34, 12, 12, s.color);
      const label = fig.text(x + 16, 44, s.name, { size: 11 });
      x += 16 + Math.max(40, (label.textContent?.length ?? 4) * 7) + 14;
    }
    this._tiles.forEach((t, i) => t.drawInto(fig, gap + i * (tw + gap), 36 + legendH, tw));
    this._chart.embedInto(fig, gap, 36 + legendH + th + gap, chartW, 280);
    return fig.svg;
  }

  dispose(): void {
    this.setEntries([]);
    for (const t of this._tiles) {
      t.frame.dispose();
    }
    this._chart.dispose();
    super.dispose();
  }

  private _schedule(): void {
    if (this._pending) {
      return;
    }
    this._pending = requestAnimationFrame(() => {
      this._pending = 0;
      this._render();
    });
  }

  private _render(): void {
    if (this._pending) {
      cancelAnimationFrame(this._pending);
      this._pending = 0;
    }
    const withResult = this._entries.filter(e => e.source.shownResult !== null);
    withResult.sort((a, b) => {
      const sa = a.source.stateOfCharge;
      const sb = b.source.stateOfCharge;
      if (sa === null && sb === null) {
        return a.label.localeCompare(b.label);
      }
      if (sa === null) {
        return 1;
      }
      if (sb === null) {
        return -1;
      }
      return sa - sb;
    });
    this._shown = withResult;
    this.node.dataset.stacks = String(withResult.length);
    this._empty.hidden = withResult.length > 0;
    this._legend.hidden = withResult.length === 0;
    this._chartBox.hidden = withResult.length === 0;

    // common legend: every phase name once, with the colour of its first appearance
    const names: string[] = [];
    const colors = new Map<string, string>();
    for (const e of withResult) {
      const r = e.source.shownResult!;
      r.phaseNames.forEach(n => {
        if (!names.includes(n)) {
          names.push(n);
          const ref = e.source.references?.spectra.find(s => s.name === n);
          colors.set(
            n,
            ref?.color && isHexColor(ref.color) ? ref.color : phaseColor(names.length - 1)
          );
        }
      });
    }
    this._styles = names.map(n => ({
      name: n,
      color: colors.get(n)!,
      rgb: hexToRgb(colors.get(n)!)
    }));
    renderLegend(this._legend, this._styles);

    // one column per stack (rebuilt: inputs keep no state beyond the model's)
    const focused = document.activeElement;
    const keepFocus =
      focused instanceof HTMLInputElement && this._grid.contains(focused)
        ? focused.dataset.id
        : null;
    for (const t of this._tiles) {
      t.frame.dispose();
    }
    this._tiles = [];
    clear(this._grid);
    withResult.forEach((e, i) => {
      const r = e.source.shownResult!;
      const [ny, nx] = r.shape;
      const local: PhaseStyle[] = r.phaseNames.map(n => this._styles[names.indexOf(n)]);
      const tile = new MapTile(`cmp-${i}`, e.label);
      tile.frame.dragMode = 'off';
      paintPhaseMap(tile.frame.canvas, r.phase, nx, ny, local);
      const raw = e.source.stack;
      tile.frame.setGeometry(nx, ny, resultGrid(r, raw ? { x: raw.x, y: raw.y } : null));
      tile.caption = r.phaseNames
        .map((n, k) => `${n} ${fmt(100 * r.fractions[k], 3)} %`)
        .join(' · ');
      const col = el('div', 'jp-STXMComparisonView-column');
      col.dataset.id = e.id;
      const soc = numberInput(e.source.stateOfCharge ?? Number.NaN, { step: 'any' }, v =>
        e.source.setStateOfCharge(v)
      );
      if (e.source.stateOfCharge === null) {
        soc.value = '';
      }
      soc.placeholder = 'e.g. 0.5';
      soc.dataset.id = e.id;
      soc.classList.add('jp-STXMComparisonView-soc');
      soc.setAttribute('aria-label', `State of charge of ${e.label}`);
      const socLabel = el('label', 'jp-STXMField');
      socLabel.append(el('span', 'jp-STXMField-caption', 'State of charge'), soc);
      col.append(tile.node, socLabel);
      this._grid.append(col);
      this._tiles.push(tile);
      if (keepFocus === e.id) {
        soc.focus();
      }
    });

    // fractions vs state of charge (stacks without one are placed by their order)
    const xs = withResult.map((e, i) => e.source.stateOfCharge ?? i);
    const series: ChartSeries[] = this._styles.map(s => ({
      name: s.name,
      color: s.color,
      x: xs,
      y: withResult.map(e => {
        const r = e.source.shownResult!;
        const k = r.phaseNames.indexOf(s.name);
        return k < 0 ? 0 : r.fractions[k];
      }),
      markers: true,
      width: 2
    }));
    const allSoc = withResult.every(e => e.source.stateOfCharge !== null);
    this._chart.setLabels(
      allSoc ? 'State of charge' : 'State of charge (stack order where unset)',
      'Phase fraction'
    );
    this._chart.setSeries(series);
  }

  private _entries: ComparisonEntry[] = [];
  private _shown: ComparisonEntry[] = [];
  private _styles: PhaseStyle[] = [];
  private _tiles: MapTile[] = [];
  private _pending = 0;
  private readonly _empty: HTMLDivElement;
  private readonly _legend: HTMLDivElement;
  private readonly _grid: HTMLDivElement;
  private readonly _chart: LineChart;
  private readonly _chartBox: HTMLDivElement;
}
