/**
 * One map of the small multiples: a title, the image in an `ImageFrame`
 * (linked cursor, selection overlay, scale bar), a caption, an optional
 * colour bar, or a plain message when the map was not produced.
 */
import type { ColormapName } from './colormap.js';
import { el, fmt, setText } from './dom.js';
import type { FigureBuilder } from './figure.js';
import { ImageFrame } from './image-frame.js';
import { paintColorbar } from './map-image.js';

export class MapTile {
  constructor(
    readonly id: string,
    title: string
  ) {
    this.node = el('figure', 'jp-STXMMap');
    this.node.dataset.map = id;
    this._title = el('figcaption', 'jp-STXMMap-title', title);
    this.frame = new ImageFrame({ canvasClass: 'jp-STXMMap-canvas', highlight: true });
    this.frame.node.tabIndex = 0;
    this.frame.dragMode = 'shift';
    this.frame.canvas.setAttribute('role', 'img');
    this.frame.canvas.setAttribute('aria-label', title);
    this._message = el('div', 'jp-STXMMap-message');
    this._message.hidden = true;
    this._colorbar = el('div', 'jp-STXMColorbar');
    this._cbCanvas = el('canvas', 'jp-STXMColorbar-canvas');
    this._cbLo = el('span', 'jp-STXMColorbar-lo');
    this._cbHi = el('span', 'jp-STXMColorbar-hi');
    this._colorbar.append(this._cbLo, this._cbCanvas, this._cbHi);
    this._colorbar.hidden = true;
    this._caption = el('div', 'jp-STXMMap-caption');
    this.node.append(this._title, this.frame.node, this._message, this._colorbar, this._caption);
  }

  readonly node: HTMLElement;
  readonly frame: ImageFrame;

  get title(): string {
    return this._title.textContent ?? '';
  }
  set title(t: string) {
    setText(this._title, t);
    this.frame.canvas.setAttribute('aria-label', t);
  }
  set caption(t: string) {
    setText(this._caption, t);
  }
  get caption(): string {
    return this._caption.textContent ?? '';
  }

  /** Show a message instead of the image (a map the method did not produce). */
  setMessage(message: string | null): void {
    setText(this._message, message ?? '');
    this._message.hidden = message === null;
    this.frame.node.hidden = message !== null;
    this.node.classList.toggle('jp-mod-absent', message !== null);
    if (message !== null) {
      this._colorbar.hidden = true;
    }
  }

  get hasImage(): boolean {
    return !this.frame.node.hidden;
  }

  setColorbar(cmap: ColormapName | null, lo = 0, hi = 1): void {
    this._colorbar.hidden = cmap === null;
    this._cb = cmap ? { cmap, lo, hi } : null;
    if (cmap) {
      paintColorbar(this._cbCanvas, cmap);
      this._cbLo.textContent = fmt(lo, 3);
      this._cbHi.textContent = fmt(hi, 3);
    }
  }

  /** Draw the tile into a figure at (x, y), `w` wide; returns the height used. */
  drawInto(fig: FigureBuilder, x: number, y: number, w: number): number {
    fig.text(x, y + 12, this.title, { size: 12, weight: 'bold' });
    if (!this.hasImage) {
      const h = fig.wrappedText(x, y + 32, this._message.textContent ?? '', w, {
        size: 10,
        color: fig.theme.muted
      });
      return 28 + h;
    }
    const h = Math.round(w / this.frame.ratio);
    this.frame.drawInto(fig, x, y + 18, w, h);
    let used = 18 + h + 4;
    if (this._cb) {
      fig.canvas(this._cbCanvas, x + 30, y + used, w - 60, 8);
      fig.text(x + 26, y + used + 8, fmt(this._cb.lo, 3), { size: 9, anchor: 'end' });
      fig.text(x + w - 26, y + used + 8, fmt(this._cb.hi, 3), { size: 9 });
      used += 14;
    }
    const cap = this.caption;
    if (cap) {
      used += 4 + fig.wrappedText(x, y + used + 10, cap, w, { size: 9, color: fig.theme.muted });
    }
    return used;
  }

  private readonly _title: HTMLElement;
  private readonly _message: HTMLDivElement;
  private readonly _colorbar: HTMLDivElement;
  private readonly _cbCanvas: HTMLCanvasElement;
  private readonly _cbLo: HTMLSpanElement;
  private readonly _cbHi: HTMLSpanElement;
  private readonly _caption: HTMLDivElement;
  private _cb: { cmap: ColormapName; lo: number; hi: number } | null = null;
}
