/**
 * The maps of a result as small multiples: ρn per reference, the initial
 * (argmax) map, the ambiguity map (ambiguous pixels grey), the final map, and
 * what the latent space adds (confidence, false assignments, transition and
 * unassigned pixels). One legend, a hover read-out (phase, ρ values, margin,
 * confidence), scale bars, a linked cursor, and brushing: Shift-drag on any
 * map selects pixels, which the latent plot highlights.
 */
import { color as d3color } from 'd3';
import { Widget } from '@lumino/widgets';

import { ambiguityMap } from '../core/analysis/ambiguity.js';
import type { PhaseMapResult } from '../core/model/result.js';
import type { ColormapName } from './colormap.js';
import { basename, button, clear, el, fmt } from './dom.js';
import { currentTheme, FigureBuilder, type IExportable } from './figure.js';
import { gridForShape, pixelAt, positionOf, type PixelGrid } from './grid.js';
import type { PixelRect } from './imageframe.js';
import { handleCursorKey } from './keyboard.js';
import type { LinkedCursor, PixelSelection } from './linked.js';
import { percentileLimits } from './contrast.js';
import { paintFlagMap, paintPhaseMap, paintScalarMap } from './mapimage.js';
import { MapTile } from './maptile.js';
import { AMBIGUOUS_RGB, phaseStyles, type PhaseStyle } from './phasestyle.js';
import type { IWorkbenchSource } from './source.js';

export const NO_LATENT_MESSAGE =
  'Not produced: this result was made with the Pearson-only method, which has no latent space. ' +
  'Run with the GMVAE method for this map.';

export class MapsView extends Widget implements IExportable {
  constructor(
    private readonly _source: IWorkbenchSource,
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
    this._confidence = this._tile('confidence', 'Confidence');
    this._false = this._tile('false-assignment', 'False assignments');
    this._transition = this._tile('transition', 'Transition pixels');
    this._unassigned = this._tile('unassigned', 'Unassigned (far from every phase)');
    this._latentGrid.append(
      this._confidence.node,
      this._false.node,
      this._transition.node,
      this._unassigned.node
    );
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
   * The ambiguity map for a τ, at once: the margins compared with τ and
   * painted; the rest of the maps follow with the model's update.
   */
  previewThreshold(tau: number): void {
    const result = this._source.result;
    if (!result || !this.isVisible || tau === result.threshold) {
      return;
    }
    const [ny, nx] = result.shape;
    const amb = ambiguityMap(result.margin, tau);
    let n = 0;
    for (let p = 0; p < amb.length; p++) {
      n += amb[p];
    }
    paintPhaseMap(this._ambiguity.frame.canvas, result.initialPhase, nx, ny, this._styles, amb);
    this._ambiguity.title = `Ambiguity map (τ = ${fmt(tau)})`;
    this._ambiguity.caption = `${n} ambiguous pixels (grey): best − second ρ ≤ τ`;
  }

  /**
   * Milliseconds the last result update took (recompute of nothing, repaint
   * of the maps that τ changes), for the τ latency read-out.
   */
  get lastUpdateMs(): number {
    return this._lastUpdateMs;
  }

  exportSvg(): SVGSVGElement | null {
    const result = this._source.result;
    if (!result) {
      return null;
    }
    this._flushPending();
    const theme = currentTheme(this.node);
    const tiles = [
      this._initial,
      this._ambiguity,
      this._final,
      ...this._pccTiles,
      this._confidence,
      this._false,
      this._transition,
      this._unassigned
    ].filter(t => t.hasImage || t === this._confidence);
    const cols = 4;
    const tw = 200;
    const gap = 18;
    const heights: number[] = [];
    // measure with a throwaway figure
    const probe = new FigureBuilder(10, 10, theme);
    for (const t of tiles) {
      heights.push(t.drawInto(probe, 0, 0, tw));
    }
    const rows = Math.ceil(tiles.length / cols);
    const rowH: number[] = [];
    for (let r = 0; r < rows; r++) {
      rowH.push(Math.max(...heights.slice(r * cols, r * cols + cols)));
    }
    const legendH = 24 + 18 * Math.ceil((result.phaseNames.length + 1) / 4);
    const width = cols * tw + (cols + 1) * gap;
    const height = 40 + legendH + rowH.reduce((a, b) => a + b + gap, 0);
    const fig = new FigureBuilder(width, height, theme);
    fig.text(gap, 24, `Phase maps — ${basename(this._source.info?.file ?? this._source.path)}`, {
      size: 14,
      weight: 'bold'
    });
    // legend
    const entries: [string, string][] = this._styles.map(s => [s.color, s.name]);
    entries.push([`rgb(${AMBIGUOUS_RGB.join(',')})`, 'ambiguous']);
    entries.forEach(([c, name], i) => {
      const x = gap + (i % 4) * 200;
      const y = 40 + Math.floor(i / 4) * 18;
      fig.rect(x, y, 12, 12, c);
      fig.text(x + 18, y + 10, name, { size: 11 });
    });
    fig.text(
      gap,
      40 + legendH - 8,
      `τ = ${fmt(result.threshold)} · ${this._counts.textContent ?? ''}`,
      {
        size: 10,
        color: theme.muted
      }
    );
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

  dispose(): void {
    this._visibility.disconnect();
    for (const t of this._allTiles()) {
      t.frame.dispose();
    }
    super.dispose();
  }

  private _tile(id: string, title: string): MapTile {
    const t = new MapTile(id, title);
    this._observe(t);
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
    return [
      ...this._pccTiles,
      this._initial,
      this._ambiguity,
      this._final,
      this._confidence,
      this._false,
      this._transition,
      this._unassigned
    ];
  }

  private _flushPending(): void {
    for (const fn of this._pending.values()) {
      fn();
    }
    this._pending.clear();
  }

  /** Which tiles are on screen (in the scrolled view), to paint those first. */
  private _observe(tile: MapTile): void {
    this._visibility.observe(tile.node);
    this._tileOfNode.set(tile.node, tile);
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
    const result = this._source.result;
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
      this._grid = gridForShape(
        result.shape,
        [prep ? { x: prep.x, y: prep.y } : null, raw ? { x: raw.x, y: raw.y } : null],
        result.pixelSize
      );
      this._styles = phaseStyles(result.phaseNames, this._source.references);
      this._fg = foregroundRgb(this.node);
      this._renderLegend(result);
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
    const paint = (tile: MapTile, fn: () => void): void => {
      if (!tauOnly || this._onScreen.has(tile)) {
        this._pending.delete(tile);
        fn();
      } else {
        this._pending.set(tile, fn);
      }
    };
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
    if (
      changed('confidence') ||
      changed('phase') ||
      changed('transition') ||
      changed('falseAssignment') ||
      changed('unassigned')
    ) {
      this._paintLatentChecks(result, paint);
    }
    this._renderFractions(result);
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

  private _paintLatentChecks(
    result: PhaseMapResult,
    paint: (tile: MapTile, fn: () => void) => void = (_, fn) => fn()
  ): void {
    const [ny, nx] = result.shape;
    // confidence: whenever the method gave one (a latent model, or the Pearson margin)
    if (hasFinite(result.confidence)) {
      this._confidence.setMessage(null);
      paint(this._confidence, () =>
        paintScalarMap(this._confidence.frame.canvas, result.confidence, nx, ny, 0, 1, this._cmap)
      );
      this._confidence.setColorbar(this._cmap, 0, 1);
      this._confidence.caption =
        result.latentDim > 0
          ? 'confidence of the final assignment (latent space)'
          : 'confidence from the Pearson margin only (no latent space)';
    } else {
      this._confidence.setMessage(NO_LATENT_MESSAGE);
      this._confidence.caption = '';
    }
    const flagTiles = [this._false, this._transition, this._unassigned];
    if (result.latentDim === 0) {
      for (const t of flagTiles) {
        t.setMessage(NO_LATENT_MESSAGE);
        t.caption = '';
      }
      return;
    }
    for (const t of flagTiles) {
      t.setMessage(null);
    }
    const flags: [MapTile, Uint8Array, string][] = [
      [this._false, result.falseAssignment, 'unambiguous pixels the latent space places elsewhere'],
      [this._transition, result.transition, 'between two phase distributions'],
      [this._unassigned, result.unassigned, 'far from every phase distribution']
    ];
    for (const [tile, flag, what] of flags) {
      let n = 0;
      for (let p = 0; p < flag.length; p++) {
        n += flag[p];
      }
      tile.caption = `${n} pixels: ${what}`;
      paint(tile, () =>
        paintFlagMap(tile.frame.canvas, result.phase, flag, nx, ny, this._styles, this._fg)
      );
    }
  }

  private _renderLegend(result: PhaseMapResult): void {
    clear(this._legend);
    this._styles.forEach(s => {
      const item = el('span', 'jp-STXMLegend-item');
      const sw = el('span', 'jp-STXMSwatch');
      sw.style.background = s.color;
      item.append(sw, el('span', 'jp-STXMLegend-name', s.name));
      this._legend.append(item);
    });
    const amb = el('span', 'jp-STXMLegend-item');
    const sw = el('span', 'jp-STXMSwatch');
    sw.style.background = `rgb(${AMBIGUOUS_RGB.join(',')})`;
    amb.append(sw, el('span', 'jp-STXMLegend-name', 'ambiguous'));
    const flag = el('span', 'jp-STXMLegend-item');
    const fsw = el('span', 'jp-STXMSwatch jp-mod-flag');
    flag.append(fsw, el('span', 'jp-STXMLegend-name', 'flagged pixel'));
    this._legend.append(amb, flag);
    this._legend.dataset.phases = String(result.phaseNames.length);
  }

  private _renderFractions(result: PhaseMapResult): void {
    const t = this._fractions;
    clear(t);
    const head = el('tr');
    for (const h of ['', 'Phase', 'Pixels', 'Fraction']) {
      head.append(el('th', undefined, h));
    }
    t.append(el('thead'));
    t.tHead!.append(head);
    const body = el('tbody');
    const particle = result.counts.particle;
    result.phaseNames.forEach((name, i) => {
      const row = el('tr');
      const sw = el('span', 'jp-STXMSwatch');
      sw.style.background = this._styles[i]?.color ?? '#888';
      const c0 = el('td');
      c0.append(sw);
      row.append(
        c0,
        el('td', undefined, name),
        el('td', undefined, String(Math.round(result.fractions[i] * particle))),
        el('td', undefined, `${fmt(100 * result.fractions[i], 3)} %`)
      );
      body.append(row);
    });
    t.append(body);
    const c = result.counts;
    this._counts.textContent =
      `${c.particle} particle pixels · ${c.ambiguous} ambiguous · ${c.resolved} resolved · ` +
      `${c.transition} transition · ${c.falseAssignment} false assignments · ${c.unassigned} unassigned`;
  }

  private _showCursor(): void {
    const result = this._source.result;
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
    const [, nx] = result.shape;
    const npx = result.shape[0] * nx;
    const i = p.iy * nx + p.ix;
    const where = `x ${fmt(grid.x[p.ix])} µm, y ${fmt(grid.y[p.iy])} µm (${p.ix}, ${p.iy})`;
    if (result.phase[i] < 0) {
      this._readout.textContent = `${where} · background`;
      return;
    }
    const names = result.phaseNames;
    const rho = names.map((n, k) => `${n} ${fmt(result.pcc[k * npx + i], 4)}`).join(', ');
    const parts = [
      where,
      `phase ${names[result.phase[i]]}`,
      result.initialPhase[i] !== result.phase[i]
        ? `initially ${names[result.initialPhase[i]]}`
        : '',
      `ρ: ${rho}`,
      `margin ${fmt(result.margin[i], 3)}${result.ambiguous[i] ? ' (ambiguous)' : ''}`,
      Number.isFinite(result.confidence[i]) ? `confidence ${fmt(result.confidence[i], 3)}` : '',
      result.transition[i] ? 'transition' : '',
      result.falseAssignment[i] ? 'false assignment' : '',
      result.unassigned[i] ? 'unassigned' : '',
      this._cursor.pinned ? 'pinned' : ''
    ];
    this._readout.textContent = parts.filter(Boolean).join(' · ');
  }

  private _brush(r: PixelRect): void {
    const result = this._source.result;
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
    const result = this._source.result;
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
  private readonly _onScreen = new Set<MapTile>();
  private readonly _pending = new Map<MapTile, () => void>();
  private readonly _tileOfNode = new Map<Element, MapTile>();
  private readonly _visibility = new IntersectionObserver(
    entries => {
      for (const e of entries) {
        const tile = this._tileOfNode.get(e.target);
        if (!tile) {
          continue;
        }
        if (e.isIntersecting) {
          this._onScreen.add(tile);
          const fn = this._pending.get(tile);
          if (fn) {
            this._pending.delete(tile);
            fn();
          }
        } else {
          this._onScreen.delete(tile);
        }
      }
    },
    { rootMargin: '100px' }
  );
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
  private readonly _confidence: MapTile;
  private readonly _false: MapTile;
  private readonly _transition: MapTile;
  private readonly _unassigned: MapTile;
  private readonly _fractions: HTMLTableElement;
  private readonly _counts: HTMLDivElement;
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
function foregroundRgb(node: Element): [number, number, number] {
  const c = d3color(
    getComputedStyle(node).getPropertyValue('--jp-ui-font-color0').trim() || '#000'
  );
  const rgb = c ? c.rgb() : null;
  return rgb ? [Math.round(rgb.r), Math.round(rgb.g), Math.round(rgb.b)] : [0, 0, 0];
}
