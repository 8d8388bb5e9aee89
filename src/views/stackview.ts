/**
 * The stack viewer: the image at one energy, an energy slider with the energy
 * in eV, the pixel size, and what the file is. Renders a model and emits the
 * user's intent; computes no science. Text from files is only ever set as
 * `textContent`, never parsed as HTML.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { frame, type Stack, type StackInfo } from '../core/index.js';
import { isColormapName, type ColormapName } from './colormap.js';
import { percentileLimits } from './contrast.js';
import { paintImage } from './imagecanvas.js';

export type LoadStatus = 'loading' | 'ready' | 'error';

/** What the view shows; the JupyterLab side implements it. */
export interface IStackSource {
  /** The file's path, shown until the stack's own description is known. */
  readonly path: string;
  readonly status: LoadStatus;
  readonly stack: Stack | null;
  readonly info: StackInfo | null;
  readonly error: string | null;
  readonly changed: ISignal<IStackSource, void>;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export function formatEnergy(eV: number): string {
  return `${eV.toFixed(2)} eV`;
}

export function formatLength(um: number | null): string {
  if (um === null) {
    return 'n/a';
  }
  return um >= 0.1 ? `${Number(um.toPrecision(4))} µm` : `${Number((um * 1000).toPrecision(4))} nm`;
}

export class StackView extends Widget {
  constructor(source: IStackSource, options: { colormap?: ColormapName } = {}) {
    super();
    this.addClass('jp-STXMView');
    this._source = source;
    this._colormap = options.colormap ?? 'viridis';

    this._title = el('div', 'jp-STXMView-title');
    this._details = el('div', 'jp-STXMView-details');
    this._pixelSize = el('span', 'jp-STXMView-pixelSize');
    this._shape = el('span', 'jp-STXMView-shape');
    this._details.append(this._shape, this._pixelSize);

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
    controls.append(label, this._energyLabel);

    const imageWrap = (this._imageWrap = el('div', 'jp-STXMView-image'));
    this._canvas = el('canvas', 'jp-STXMView-canvas');
    this._canvas.setAttribute('role', 'img');
    imageWrap.append(this._canvas);

    this._message = el('div', 'jp-STXMView-message');
    this._message.setAttribute('role', 'status');
    this.node.append(this._title, this._details, this._message, controls, imageWrap);
    this.node.tabIndex = -1;

    source.changed.connect(this._render, this);
    this._render();
  }

  /** Emitted when the user picks another energy. */
  get energyChanged(): ISignal<this, number> {
    return this._energyChanged;
  }

  get energyIndex(): number {
    return this._energyIndex;
  }

  set colormap(name: ColormapName) {
    if (isColormapName(name) && name !== this._colormap) {
      this._colormap = name;
      this._paint();
    }
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

  dispose(): void {
    Signal.clearData(this);
    super.dispose();
  }

  private _render(): void {
    const { status, info, error, stack } = this._source;
    this.node.dataset.status = status;
    this._message.className = 'jp-STXMView-message';
    this._message.textContent = '';
    if (status === 'loading') {
      this._message.textContent = 'Loading stack…';
    } else if (status === 'error') {
      this._message.classList.add('jp-STXMView-error');
      this._message.textContent = error ?? 'The stack could not be read.';
    }
    this._title.textContent = this._source.path;
    if (info) {
      this._title.textContent = `${info.file} — ${info.dialect}`;
      this._shape.textContent = `${info.shape[0]} energies × ${info.shape[1]} × ${info.shape[2]} px`;
      const px = info.pixelSize;
      this._pixelSize.textContent =
        px.x === px.y
          ? `pixel ${formatLength(px.x)}`
          : `pixel ${formatLength(px.x)} (x) × ${formatLength(px.y)} (y)`;
    }
    const ready = status === 'ready' && stack !== null;
    this._slider.disabled = !ready;
    // Nothing to show yet (or a first load failed): no empty image frame.
    this._controls.hidden = stack === null;
    this._imageWrap.hidden = stack === null;
    this._details.hidden = info === null;
    if (ready) {
      this._slider.max = String(stack.energies.length - 1);
      this._painted = false;
      this.setEnergyIndex(Math.min(this._energyIndex, stack.energies.length - 1));
    }
  }

  private _paint(): void {
    const stack = this._source.stack;
    if (!stack) {
      return;
    }
    const e = this._energyIndex;
    const ny = stack.y.length;
    const nx = stack.x.length;
    const values = frame(stack, e);
    paintImage(this._canvas, values, nx, ny, percentileLimits(values), this._colormap);
    // Physical aspect ratio: pixels may be rectangular.
    const dx = Math.abs(stack.x[nx - 1] - stack.x[0]) / Math.max(1, nx - 1) || 1;
    const dy = Math.abs(stack.y[ny - 1] - stack.y[0]) / Math.max(1, ny - 1) || 1;
    this._canvas.style.aspectRatio = `${nx * dx} / ${ny * dy}`;
    const energy = formatEnergy(stack.energies[e]);
    this._energyLabel.textContent = energy;
    this._slider.setAttribute('aria-valuetext', energy);
    this._canvas.setAttribute('aria-label', `Image at ${energy}`);
    this._painted = true;
  }

  private readonly _source: IStackSource;
  private _colormap: ColormapName;
  private _energyIndex = 0;
  private _painted = false;
  private readonly _energyChanged = new Signal<this, number>(this);
  private readonly _title: HTMLDivElement;
  private readonly _details: HTMLDivElement;
  private readonly _shape: HTMLSpanElement;
  private readonly _pixelSize: HTMLSpanElement;
  private readonly _slider: HTMLInputElement;
  private readonly _energyLabel: HTMLOutputElement;
  private readonly _canvas: HTMLCanvasElement;
  private readonly _message: HTMLDivElement;
  private readonly _controls: HTMLDivElement;
  private readonly _imageWrap: HTMLDivElement;
}
