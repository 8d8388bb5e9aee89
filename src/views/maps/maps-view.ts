/**
 * The maps of a result as small multiples: ρn per reference, the initial
 * (argmax) map, the ambiguity map (ambiguous pixels grey), the final map, and
 * what the latent space adds (confidence, false assignments, transition and
 * unassigned pixels). One legend, a hover read-out (phase, ρ values, margin,
 * confidence), scale bars, a linked cursor, and brushing: Shift-drag on any
 * map selects pixels, which the latent plot highlights.
 */
import { Widget } from '@lumino/widgets';

import type { PhaseMapResult } from '../../core/model/result.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import type { ColormapName } from '../shared/colormap.js';
import { basename, button, clear, el, fmt } from '../shared/dom.js';
import { currentTheme, type IExportable } from '../shared/figure.js';
import { pixelAt, positionOf, resultGrid, type PixelGrid } from '../shared/grid.js';
import type { PixelRect } from '../shared/image-frame.js';
import { handleCursorKey } from '../shared/keyboard.js';
import type { LinkedCursor, PixelSelection } from '../shared/linked.js';
import { percentileLimits } from '../shared/contrast.js';
import { LazyPainter } from '../shared/lazy-paint.js';
import { foregroundRgb, LatentChecks } from './latent-checks.js';
import { renderLegend } from '../shared/legend.js';
import { paintPhaseMap, paintScalarMap } from '../shared/map-image.js';
import { mapsFigure, mapsSubtitle } from './maps-figure.js';
import { pixelReadout, renderFractions } from './maps-text.js';
import { MapTile } from '../shared/map-tile.js';
import { AMBIGUOUS_RGB, phaseStyles, type PhaseStyle } from '../shared/phase-style.js';

/** What the maps draw: the result on the stack's grid, in the references' colours. */
export type MapsInput = Pick<
  IWorkbenchModel,
  | 'shownResult'
  | 'stack'
  | 'prepared'
  | 'references'
  | 'info'
  | 'path'
  | 'resultChanged'
  | 'preparedChanged'
>;

export class MapsView extends Widget implements IExportable {
  constructor(
    private readonly _source: MapsInput,
    private readonly _cursor: LinkedCursor,
    private readonly _selection: PixelSelection,
    options: { colormap?: ColormapName } = {}
  ) {
    super();
    this.addClass('jp-STXMMapsView');
    this.addClass('jp-STXMScroll');
    this._cmap = options.colormap ?? 'viridis';
    this._empty = el('div', 'jp-STXMEmpty', 'Run the pipeline to see the phase maps.');
    this._legend = el('div', 'jp-STXMLegend');
    this._legend.setAttribute('aria-label', 'Legend');
    this._readout = el('div', 'jp-STXMReadout jp-STXMMapsView-readout');
    this._readout.setAttribute('aria-live', 'polite');
    this._selInfo = el('span', 'jp-STXMMapsView-selection');
    this._clearSel = button('Clear selection', 'jp-STXMMapsView-clearSelection', () =>
      this._selection.clear()
    );
    const selBar = el('div', 'jp-STXMMapsView-selectionBar');
    selBar.append(this._selInfo, this._clearSel);

    this._pccGrid = el('div', 'jp-STXMMapGrid');
    this._phaseGrid = el('div', 'jp-STXMMapGrid');
    this._latentGrid = el('div', 'jp-STXMMapGrid');
    this._initial = this._tile('initial', 'Initial map (argmax ρ)');
    this._ambiguity = this._tile('ambiguity', 'Ambiguity map');
    this._final = this._tile('final', 'Final map');
    this._phaseGrid.append(this._initial.node, this._ambiguity.node, this._final.node);
    this._checks = new LatentChecks((id, title) => this._tile(id, title));
    this._latentGrid.append(...this._checks.tiles.map(t => t.node));
    this._fractions = el('table', 'jp-STXMTable jp-STXMMapsView-fractions');
    this._counts = el('div', 'jp-STXMCaption jp-STXMMapsView-counts');

    this._body = el('div', 'jp-STXMMapsView-body');
    this._body.append(
      this._legend,
      selBar,
      this._readout,
      el('h3', 'jp-STXMSubhead', 'Phase maps'),
      this._phaseGrid,
      el('h3', 'jp-STXMSubhead', 'Pearson correlation with each reference (ρₙ)'),
      this._pccGrid,
      el('h3', 'jp-STXMSubhead', 'Latent-space checks (GMVAE)'),
      this._latentGrid,
      el('h3', 'jp-STXMSubhead', 'Phase fractions'),
      this._fractions,
      this._counts
    );
    this.node.append(this._empty, this._body);
    _source.resultChanged.connect(this._onResultChanged, this);
    _source.preparedChanged.connect(this._onResultChanged, this);
    _cursor.changed.connect(this._showCursor, this);
    _selection.changed.connect(this._showSelection, this);
    this._onResult();
  }

  /** The grid (µm positions) of the maps on screen. */
  get grid(): PixelGrid | null {
    return this._grid;
  }

  set colormap(name: ColormapName) {
    this._cmap = name;
    this._prev = null;
    this._onResult();
  }

  /**
   * Milliseconds the last result update took (recompute of nothing, repaint
   * of the maps that τ changes), for the τ latency read-out.
   */
  get lastUpdateMs(): number {
    return this._lastUpdateMs;
  }

  exportSvg(): SVGSVGElement | null {
    const result = this._source.shownResult;
    if (!result) {
      return null;
    }
    this._painter.flush();
    const tiles = [
      this._initial,
      this._ambiguity,
      this._final,
      ...this._pccTiles,
      ...this._checks.tiles
    ].filter(t => t.hasImage || t === this._checks.confidence);
    return mapsFigure(
      currentTheme(this.node),
      `Phase maps — ${basename(this._source.info?.file ?? this._source.path)}`,
      this._styles,
      mapsSubtitle(result.threshold, this._counts.textContent ?? ''),
      tiles
    );
  }

  dispose(): void {
    this._painter.dispose();
    for (const t of this._allTiles()) {
      t.frame.dispose();
    }
    super.dispose();
  }

  private _tile(id: string, title: string): MapTile {
    const t = new MapTile(id, title);
    this._painter.observe(t);
    t.frame.onHover = p => {
      this._cursor.hover(p && this._grid ? positionOf(this._grid, p.ix, p.iy) : null);
    };
    t.frame.onClick = p => {
      if (this._grid) {
        this._cursor.togglePin(positionOf(this._grid, p.ix, p.iy));
      }
    };
    t.frame.onRect = r => this._brush(r);
    t.frame.node.addEventListener('keydown', ev => handleCursorKey(ev, this._grid, this._cursor));
    return t;
  }

  private _allTiles(): MapTile[] {
    return [...this._pccTiles, this._initial, this._ambiguity, this._final, ...this._checks.tiles];
  }

  /** A hidden view catches up when it is shown (τ moves must not pay for it). */
  private _onResultChanged(): void {
    if (this.isVisible || !this.isAttached) {
      this._onResult();
    } else {
      this._stale = true;
    }
  }

  protected onAfterShow(): void {
    if (this._stale) {
      this._stale = false;
      this._onResult();
    }
  }

  private _onResult(): void {
    const t0 = performance.now();
    const result = this._source.shownResult;
    this._empty.hidden = result !== null;
    this._body.hidden = result === null;
    this.node.dataset.hasResult = String(result !== null);
    if (!result) {
      this._prev = null;
      this._grid = null;
      return;
    }
    const prev = this._prev;
    const tauOnly =
      prev !== null &&
      prev !== result &&
      prev.pcc === result.pcc &&
      prev.initialPhase === result.initialPhase &&
      prev.phaseNames === result.phaseNames;
    this._prev = result;
    const [ny, nx] = result.shape;
    if (!tauOnly) {
      const raw = this._source.stack;
      const prep = this._source.prepared?.stack;
      this._grid = resultGrid(result, raw ? { x: raw.x, y: raw.y } : null, [
        prep ? { x: prep.x, y: prep.y } : null
      ]);
      this._styles = phaseStyles(result.phaseNames, this._source.references);
      this._fg = foregroundRgb(this.node);
      this._renderLegend();
      this._paintPcc(result);
      paintPhaseMap(this._initial.frame.canvas, result.initialPhase, nx, ny, this._styles);
      for (const t of this._allTiles()) {
        t.frame.setGeometry(nx, ny, this._grid);
      }
      this._initial.caption = 'best-correlated reference per pixel';
    }
    // what τ changes: ambiguity, final map, and the latent-space checks (each only when it changed)
    const changed = <K extends keyof PhaseMapResult>(k: K): boolean =>
      !tauOnly || prev === null || prev[k] !== result[k];
    // on a τ move, tiles scrolled out of sight are painted when they come into view
    const paint = (tile: MapTile, fn: () => void): void => this._painter.paint(tile, fn, !tauOnly);
    if (changed('ambiguous')) {
      paint(this._ambiguity, () =>
        paintPhaseMap(
          this._ambiguity.frame.canvas,
          result.initialPhase,
          nx,
          ny,
          this._styles,
          result.ambiguous
        )
      );
    }
    this._ambiguity.title = `Ambiguity map (τ = ${fmt(result.threshold)})`;
    this._ambiguity.caption = `${result.counts.ambiguous} ambiguous pixels (grey): best − second ρ ≤ τ`;
    if (changed('phase')) {
      paint(this._final, () =>
        paintPhaseMap(this._final.frame.canvas, result.phase, nx, ny, this._styles)
      );
    }
    this._final.caption =
      result.latentDim > 0
        ? `${result.counts.resolved} ambiguous pixels resolved in latent space`
        : 'Pearson only: ambiguous pixels keep their argmax phase';
    // confidence and flags (a τ move's second step brings them; its first changes only the phase)
    if (
      changed('confidence') ||
      changed('transition') ||
      changed('falseAssignment') ||
      changed('unassigned')
    ) {
      this._checks.paint(result, this._styles, this._cmap, this._fg, paint);
    }
    renderFractions(this._fractions, this._counts, result, this._styles);
    this.node.dataset.threshold = String(result.threshold);
    this.node.dataset.ambiguous = String(result.counts.ambiguous);
    this._showCursor();
    if (!tauOnly) {
      this._showSelection();
    }
    this._lastUpdateMs = performance.now() - t0;
  }

  private _paintPcc(result: PhaseMapResult): void {
    const [ny, nx] = result.shape;
    const n = result.phaseNames.length;
    if (this._pccTiles.length !== n) {
      for (const t of this._pccTiles) {
        t.frame.dispose();
      }
      clear(this._pccGrid);
      this._pccTiles = result.phaseNames.map((_, i) => this._tile(`pcc-${i}`, ''));
      for (const t of this._pccTiles) {
        this._pccGrid.append(t.node);
      }
    }
    // one colour range for every ρn: from the 2nd percentile (a few poor pixels do not squash it)
    const [lo, hi] = percentileLimits(result.pcc, 0.02, 1);
    const npx = nx * ny;
    this._pccTiles.forEach((t, i) => {
      t.title = `ρ ${result.phaseNames[i]}`;
      paintScalarMap(
        t.frame.canvas,
        result.pcc.subarray(i * npx, (i + 1) * npx),
        nx,
        ny,
        lo,
        hi,
        this._cmap
      );
      t.setColorbar(this._cmap, lo, hi);
      t.caption = '';
    });
  }

  private _renderLegend(): void {
    renderLegend(this._legend, this._styles, [
      { label: 'ambiguous', color: `rgb(${AMBIGUOUS_RGB.join(',')})` },
      { label: 'flagged pixel', className: 'jp-mod-flag' }
    ]);
  }

  private _showCursor(): void {
    const result = this._source.shownResult;
    const grid = this._grid;
    const point = this._cursor.point;
    const p = result && grid && point ? pixelAt(grid, point) : null;
    for (const t of this._allTiles()) {
      t.frame.setCursor(p, this._cursor.pinned);
    }
    if (!result) {
      return;
    }
    if (!p || !grid) {
      this._readout.textContent =
        'Hover over a map for the pixel’s phase, ρ values and confidence; click to pin; ' +
        'Shift-drag to select pixels.';
      return;
    }
    this._readout.textContent = pixelReadout(result, grid, p, this._cursor.pinned);
  }

  private _brush(r: PixelRect): void {
    const result = this._source.shownResult;
    if (!result) {
      return;
    }
    const [ny, nx] = result.shape;
    const mask = new Uint8Array(nx * ny);
    for (let y = r.y0; y < r.y1; y++) {
      for (let x = r.x0; x < r.x1; x++) {
        const i = y * nx + x;
        mask[i] = result.mask[i] ? 1 : 0;
      }
    }
    this._selection.set(mask, 'map');
  }

  private _showSelection(): void {
    const mask = this._selection.mask;
    const result = this._source.shownResult;
    const ok = mask && result && mask.length === result.shape[0] * result.shape[1] ? mask : null;
    for (const t of this._allTiles()) {
      t.frame.setHighlight(ok);
    }
    this._selInfo.textContent = ok
      ? `${this._selection.count} pixels selected (${this._selection.source === 'latent' ? 'in the latent plot' : 'on a map'})`
      : 'No selection: Shift-drag on a map or brush the latent plot.';
    this._clearSel.disabled = !ok;
    this.node.dataset.selected = String(ok ? this._selection.count : 0);
  }

  private _stale = false;
  private readonly _painter = new LazyPainter<MapTile>();
  private _cmap: ColormapName;
  private _prev: PhaseMapResult | null = null;
  private _grid: PixelGrid | null = null;
  private _styles: PhaseStyle[] = [];
  private _fg: [number, number, number] = [0, 0, 0];
  private _pccTiles: MapTile[] = [];
  private _lastUpdateMs = 0;
  private readonly _empty: HTMLDivElement;
  private readonly _body: HTMLDivElement;
  private readonly _legend: HTMLDivElement;
  private readonly _readout: HTMLDivElement;
  private readonly _selInfo: HTMLSpanElement;
  private readonly _clearSel: HTMLButtonElement;
  private readonly _pccGrid: HTMLDivElement;
  private readonly _phaseGrid: HTMLDivElement;
  private readonly _latentGrid: HTMLDivElement;
  private readonly _initial: MapTile;
  private readonly _ambiguity: MapTile;
  private readonly _final: MapTile;
  private readonly _checks: LatentChecks;
  private readonly _fractions: HTMLTableElement;
  private readonly _counts: HTMLDivElement;
}
