/**
 * The energy image viewer: the image at one energy as raw counts or optical
 * density, an energy slider, colour map and contrast, the linked cursor with
 * a read-out, regions of interest and the I0 region drawn on the image, and
 * the particle mask. Renders the workbench model and emits the user's intent;
 * computes no science. Text from files is only ever set as `textContent`.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import type { CubeKind, StackMeta } from '../../core/model/cube.js';
import { oneLine } from '../../core/model/text.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { isColormapName, type ColormapName } from '../shared/colormap.js';
import { percentileLimits } from '../shared/contrast.js';
import { basename, el, fmt } from '../shared/dom.js';
import { currentTheme, type IExportable } from '../shared/figure.js';
import { pixelAt, pixelRange, positionOf, rectOfPixels, type PixelGrid } from '../shared/grid.js';
import { paintImage } from '../shared/image-canvas.js';
import { ImageFrame, type PixelRect } from '../shared/image-frame.js';
import { ImageToolbar, type ImageTool, type Quantity } from './image-toolbar.js';
import { handleCursorKey } from '../shared/keyboard.js';
import type { LinkedCursor } from '../shared/linked.js';
import { regionRects, renderRegionList, type RegionsInput } from './regions.js';
import { stackFigure } from './stack-figure.js';
import { formatEnergy, frameReadoutText, shownFrameIndex } from './stack-text.js';

export type { ImageTool, Quantity } from './image-toolbar.js';

/** What the image viewer draws (the stack, its OD, the regions) and the intents it emits. */
export type StackInput = RegionsInput &
  Pick<
    IWorkbenchModel,
    | 'status'
    | 'cube'
    | 'prepared'
    | 'prepareState'
    | 'addRoi'
    | 'stackChanged'
    | 'preparedChanged'
    | 'prepareStateChanged'
    | 'roisChanged'
    | 'paramsChanged'
  >;

export class StackView extends Widget implements IExportable {
  constructor(source: StackInput, cursor: LinkedCursor, options: { colormap?: ColormapName } = {}) {
    super();
    this.addClass('jp-STXMImageView');
    this._source = source;
    this._cursor = cursor;
    this._colormap = options.colormap ?? 'viridis';

    this._toolbar = new ImageToolbar(this._colormap, {
      quantity: q => this.setQuantity(q),
      colormap: c => {
        this._colormapOverride = c;
        this._setColormap(c);
      },
      contrast: () => this._paint(),
      tool: t => this.setTool(t),
      mask: () => this._paint()
    });

    const controls = (this._controls = el('div', 'jp-STXMView-controls'));
    this._slider = el('input', 'jp-STXMView-energySlider');
    this._slider.type = 'range';
    this._slider.min = '0';
    this._slider.step = '1';
    this._slider.setAttribute('aria-label', 'Energy');
    this._energyLabel = el('output', 'jp-STXMView-energyLabel');
    this._slider.addEventListener('input', () => this.setEnergyIndex(Number(this._slider.value)));
    const label = el('label', 'jp-STXMView-sliderLabel', 'Energy ');
    label.append(this._slider);
    this._shiftLabel = el('span', 'jp-STXMImageView-shift');
    controls.append(label, this._energyLabel, this._shiftLabel);

    const imageWrap = (this._imageWrap = el('div', 'jp-STXMView-image'));
    this._frame = new ImageFrame({ canvasClass: 'jp-STXMView-canvas', fit: 'contain' });
    this._frame.canvas.setAttribute('role', 'img');
    this._frame.node.tabIndex = 0;
    this._frame.node.setAttribute('aria-label', 'Image; arrow keys move the cursor');
    imageWrap.append(this._frame.node);

    this._readout = el('div', 'jp-STXMReadout jp-STXMImageView-readout');
    this._readout.setAttribute('aria-live', 'polite');
    this._roiList = el('div', 'jp-STXMImageView-rois');
    this.node.append(this._toolbar.node, controls, imageWrap, this._readout, this._roiList);

    this._frame.onHover = p => {
      const g = this._grid();
      this._cursor.hover(p && g ? positionOf(g, p.ix, p.iy) : null);
    };
    this._frame.onClick = p => {
      const g = this._grid();
      if (g) {
        this._cursor.togglePin(positionOf(g, p.ix, p.iy));
      }
    };
    this._frame.onRect = r => this._onRect(r);
    this._frame.node.addEventListener('keydown', ev =>
      handleCursorKey(ev, this._grid(), this._cursor)
    );

    source.stackChanged.connect(this._render, this);
    source.prepareStateChanged.connect(this._render, this);
    // the ROIs and the I0 region (a parameter) are drawn on the image
    source.roisChanged.connect(this._render, this);
    source.paramsChanged.connect(this._render, this);
    source.preparedChanged.connect(this._onPrepared, this);
    cursor.changed.connect(this._showCursor, this);
    this._render();
  }

  /** Emitted when the user picks another energy. */
  get energyChanged(): ISignal<this, number> {
    return this._energyChanged;
  }
  /** Emitted when the view switches between counts and optical density. */
  get quantityChanged(): ISignal<this, Quantity> {
    return this._quantityChanged;
  }

  get energyIndex(): number {
    return this._energyIndex;
  }

  get quantity(): Quantity {
    return this._quantity;
  }

  /** The default colour map (settings); a colour map chosen in the view wins. */
  set colormap(name: ColormapName) {
    if (isColormapName(name)) {
      this._colormap = name;
      if (!this._colormapOverride) {
        this._setColormap(name);
      }
    }
  }

  /**
   * Show counts or optical density. The choice is kept: while there is no
   * OD (a stack being reloaded or pre-processed afresh) counts are shown,
   * and OD comes back when it is there.
   */
  setQuantity(q: Quantity): void {
    this._chosenQuantity = q;
    this._applyQuantity();
  }

  private _applyQuantity(): void {
    const q =
      this._chosenQuantity === 'od' && !this._source.prepared ? 'counts' : this._chosenQuantity;
    this._quantity = q;
    this._toolbar.quantity.value = q;
    this.node.dataset.quantity = q;
    this._painted = false;
    this._paint();
    this._showCursor();
    this._quantityChanged.emit(q);
  }

  setTool(t: ImageTool): void {
    this._tool = t;
    this._toolbar.tool.value = t;
    this._frame.dragMode = t === 'cursor' ? 'shift' : 'always';
    this.node.dataset.tool = t;
  }

  setEnergyIndex(index: number): void {
    const stack = this._source.stack;
    if (!stack) {
      return;
    }
    const clamped = Math.max(0, Math.min(stack.energies.length - 1, Math.round(index)));
    if (clamped === this._energyIndex && this._painted) {
      return;
    }
    this._energyIndex = clamped;
    this._slider.value = String(clamped);
    this._paint();
    this._energyChanged.emit(clamped);
  }

  exportSvg(): SVGSVGElement | null {
    const stack = this._shownStack();
    if (!stack) {
      return null;
    }
    const raw = this._source.stack ?? stack;
    return stackFigure(currentTheme(this.node), this._frame, {
      title: `${basename(stack.source.file)} — ${this._quantityLabel()}`,
      energy: formatEnergy(raw.energies[Math.min(this._energyIndex, raw.energies.length - 1)]),
      colormap: this._colormapName(),
      limits: this._limits,
      unit: this._quantity === 'od' ? 'OD' : 'counts'
    });
  }

  protected onAfterAttach(): void {
    this._frame.observe(this._imageWrap);
  }

  dispose(): void {
    this._frame.dispose();
    Signal.clearData(this);
    super.dispose();
  }

  private _setColormap(name: ColormapName): void {
    this._toolbar.colormap.value = name;
    this._paint();
  }

  private _colormapName(): ColormapName {
    return this._colormapOverride ?? this._colormap;
  }

  private _quantityLabel(): string {
    const raw = this._source.stack?.metadata.quantity === 'optical density';
    return this._quantity === 'od' ? 'optical density' : raw ? 'stack values (OD)' : 'raw counts';
  }

  /** The stack on screen: the raw one or the prepared optical density. */
  private _shownStack(): StackMeta | null {
    if (this._quantity === 'od' && this._source.prepared) {
      return this._source.prepared.stack;
    }
    return this._source.stack;
  }

  private _grid(): PixelGrid | null {
    const s = this._shownStack();
    return s ? { x: s.x, y: s.y } : null;
  }

  private _render(): void {
    const { status, stack, prepared } = this._source;
    const ready = status !== 'loading' && stack !== null;
    this._slider.disabled = !ready;
    this._controls.hidden = stack === null;
    this._imageWrap.hidden = stack === null;
    this._toolbar.setOdAvailable(prepared !== null, this._source.prepareState === 'running');
    this._toolbar.setCountsNormalised(stack?.ringCurrentApplied !== undefined);
    if (stack && stack !== this._lastStack) {
      this._lastStack = stack;
      this._slider.max = String(stack.energies.length - 1);
      this._painted = false;
      if (this._quantity === 'od' && !prepared) {
        this._quantity = 'counts'; // until the OD of this stack is there (_onPrepared)
        this._toolbar.quantity.value = 'counts';
      }
      this.setEnergyIndex(Math.min(this._energyIndex, stack.energies.length - 1));
    } else if (stack) {
      this._paintOverlays();
    }
    this._renderRois();
  }

  private _onPrepared(): void {
    this._render();
    const shown = this._chosenQuantity === 'od' && this._source.prepared ? 'od' : 'counts';
    if (shown !== this._quantity) {
      this._applyQuantity();
    } else if (shown === 'od') {
      this._painted = false;
      this._paint();
    }
  }

  /** The frame of the shown stack at the slider's energy (-1: dropped by the pre-processing). */
  private _shownIndex(): number {
    const shown = this._shownStack();
    const raw = this._source.stack;
    return shown && raw ? shownFrameIndex(shown, raw, this._energyIndex) : -1;
  }

  private _paint(): void {
    const stack = this._shownStack();
    const raw = this._source.stack;
    if (!stack || !raw) {
      return;
    }
    const e = this._shownIndex();
    const ny = stack.y.length;
    const nx = stack.x.length;
    const energy = formatEnergy(raw.energies[Math.min(this._energyIndex, raw.energies.length - 1)]);
    this._energyLabel.textContent = energy;
    this._slider.setAttribute('aria-valuetext', energy);
    this._frame.setGeometry(nx, ny, { x: stack.x, y: stack.y });
    if (e < 0) {
      // a frame the pre-processing dropped: say so, show nothing
      this._frame.canvas.getContext('2d')?.clearRect(0, 0, nx, ny);
      this._shiftLabel.textContent = 'this frame was dropped by the pre-processing (empty or NaN)';
      this._painted = true;
      this._paintOverlays();
      return;
    }
    // the frame is the stack worker's: asked for once, kept while it is on screen
    const kind: CubeKind = this._quantity === 'od' && this._source.prepared ? 'od' : 'raw';
    const key = { stack, kind, e };
    const cached = this._shown;
    if (cached && cached.key.stack === stack && cached.key.kind === kind && cached.key.e === e) {
      this._paintValues(cached.values, e, energy);
      return;
    }
    this._wanted = key;
    this._source.cube.frame(kind, e).then(
      values => {
        if (this._wanted === key && this._shownStack() === stack) {
          this._shown = { key, values };
          this._paintValues(values, e, energy);
        }
      },
      (err: unknown) => {
        if (this._wanted === key) {
          this._shiftLabel.textContent = `this frame could not be read: ${oneLine(err)}`;
          this.node.dataset.frameError = oneLine(err);
        }
      }
    );
  }

  /** Paint frame `e` (its values from the stack worker) with the toolbar's settings. */
  private _paintValues(values: Float32Array, e: number, energy: string): void {
    const stack = this._shownStack();
    if (!stack) {
      return;
    }
    const ny = stack.y.length;
    const nx = stack.x.length;
    const [lo, hi] = this._toolbar.percentiles;
    this._limits = percentileLimits(values, lo, hi);
    const mask = this._toolbar.mask.checked ? this._source.prepared?.mask : undefined;
    const shownMask = mask && mask.length === nx * ny ? mask : undefined;
    paintImage(this._frame.canvas, values, nx, ny, this._limits, this._colormapName(), shownMask);
    this._frame.canvas.setAttribute('aria-label', `${this._quantityLabel()} at ${energy}`);
    this._toolbar.limits = this._limits;
    const prepared = this._source.prepared;
    if (this._quantity === 'od' && prepared) {
      const dx = prepared.shifts.dx[e] ?? 0;
      const dy = prepared.shifts.dy[e] ?? 0;
      this._shiftLabel.textContent = `alignment shift dx ${fmt(dx, 3)} px, dy ${fmt(dy, 3)} px`;
    } else {
      this._shiftLabel.textContent = '';
    }
    this._painted = true;
    this._paintOverlays();
    this._showCursor();
  }

  /** ROIs and the I0 region, converted through µm onto the grid on screen. */
  private _paintOverlays(): void {
    const grid = this._grid();
    if (grid) {
      this._frame.setRects(regionRects(this._source, grid));
    }
  }

  private _renderRois(): void {
    renderRegionList(this._roiList, this._source);
  }

  private _showCursor(): void {
    const grid = this._grid();
    const stack = this._shownStack();
    const point = this._cursor.point;
    const p = grid && point ? pixelAt(grid, point) : null;
    this._frame.setCursor(p, this._cursor.pinned);
    if (!p || !stack) {
      this._readout.textContent = stack
        ? 'Hover over the image for values; click to pin the cursor.'
        : '';
      return;
    }
    const shown = this._shown;
    const e = this._shownIndex();
    const values =
      shown && shown.key.stack === stack && shown.key.e === e && e >= 0 ? shown.values : null;
    this._readout.textContent = frameReadoutText(
      stack,
      values,
      p,
      this._quantity === 'od' ? 'OD' : 'counts',
      this._cursor.pinned
    );
  }

  private _onRect(r: PixelRect): void {
    const grid = this._grid();
    const raw = this._source.stack;
    if (!grid || !raw) {
      return;
    }
    const rect = rectOfPixels(grid, r.x0, r.x1, r.y0, r.y1);
    if (this._tool === 'i0') {
      const rr = pixelRange({ x: raw.x, y: raw.y }, rect);
      this._source.setParams({
        preprocess: { i0: { mode: 'roi', x0: rr.x0, x1: rr.x1, y0: rr.y0, y1: rr.y1 } }
      });
      this.setTool('cursor');
    } else {
      this._source.addRoi(rect);
    }
  }

  private readonly _source: StackInput;
  private readonly _cursor: LinkedCursor;
  private _colormap: ColormapName;
  private _colormapOverride: ColormapName | null = null;
  /** What is shown; `_chosenQuantity` is what the user asked for. */
  private _quantity: Quantity = 'counts';
  private _chosenQuantity: Quantity = 'counts';
  private _tool: ImageTool = 'cursor';
  private _energyIndex = 0;
  private _painted = false;
  private _lastStack: StackMeta | null = null;
  /** The frame on screen (the page's only copy of any of the cube) and the one asked for. */
  private _shown: {
    key: { stack: StackMeta; kind: CubeKind; e: number };
    values: Float32Array;
  } | null = null;
  private _wanted: { stack: StackMeta; kind: CubeKind; e: number } | null = null;
  private _limits: [number, number] = [0, 1];
  private readonly _energyChanged = new Signal<this, number>(this);
  private readonly _quantityChanged = new Signal<this, Quantity>(this);
  private readonly _toolbar: ImageToolbar;
  private readonly _slider: HTMLInputElement;
  private readonly _energyLabel: HTMLOutputElement;
  private readonly _shiftLabel: HTMLSpanElement;
  private readonly _frame: ImageFrame;
  private readonly _readout: HTMLDivElement;
  private readonly _roiList: HTMLDivElement;
  private readonly _controls: HTMLDivElement;
  private readonly _imageWrap: HTMLDivElement;
}
