/**
 * One image on screen: a canvas with one canvas pixel per data pixel (scaled
 * by CSS, crisp edges), an SVG overlay in pixel units for the linked cursor,
 * regions of interest and the rectangle being dragged, an optional selection
 * overlay, and a scale bar in µm. Pointer and keyboard input become pixel
 * indices for the owner; the frame computes nothing else.
 */
import { el, svgEl } from './dom.js';
import type { FigureBuilder } from './figure.js';
import { meanStep, type PixelGrid, type PixelIndex } from './grid.js';
import { scaleBar } from './scale-bar.js';

/** A rectangle in pixel indices, end exclusive. */
export interface PixelRect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface FrameRect extends PixelRect {
  color: string;
  label?: string;
  dashed?: boolean;
}

export type DragMode = 'off' | 'always' | 'shift';

export interface ImageFrameOptions {
  /** Class of the main canvas. */
  canvasClass?: string;
  /** Add a selection overlay canvas (dims unselected pixels). */
  highlight?: boolean;
  /** 'width': fill the container's width; 'contain': fit inside the container. */
  fit?: 'width' | 'contain';
  scaleBar?: boolean;
}

export class ImageFrame {
  constructor(options: ImageFrameOptions = {}) {
    this._fit = options.fit ?? 'width';
    this.node = el('div', `jp-STXMFrame jp-STXMFrame-fit-${this._fit}`);
    this.canvas = el('canvas', options.canvasClass ?? 'jp-STXMFrame-canvas');
    this.node.append(this.canvas);
    if (options.highlight) {
      this._highlight = el('canvas', 'jp-STXMFrame-highlight');
      this._highlight.hidden = true;
      this.node.append(this._highlight);
    }
    this._overlay = svgEl('svg', { class: 'jp-STXMFrame-overlay', preserveAspectRatio: 'none' });
    this._rects = svgEl('g', { class: 'jp-STXMFrame-rects' });
    this._drag = svgEl('rect', { class: 'jp-STXMFrame-drag', visibility: 'hidden' });
    this._cross = svgEl('g', { class: 'jp-STXMFrame-cursor', visibility: 'hidden' });
    for (const cls of ['halo', 'line']) {
      this._cross.append(
        svgEl('line', { class: `jp-STXMFrame-cursor-${cls} jp-mod-h` }),
        svgEl('line', { class: `jp-STXMFrame-cursor-${cls} jp-mod-v` })
      );
    }
    this._cross.append(svgEl('rect', { class: 'jp-STXMFrame-cursor-box', width: 1, height: 1 }));
    this._overlay.append(this._rects, this._cross, this._drag);
    this.node.append(this._overlay);
    if (options.scaleBar !== false) {
      this._scale = el('div', 'jp-STXMFrame-scalebar');
      this._scale.append(
        el('div', 'jp-STXMFrame-scalebar-bar'),
        el('span', 'jp-STXMFrame-scalebar-label')
      );
      this._scale.hidden = true;
      this.node.append(this._scale);
    }

    this.node.addEventListener('pointerdown', this._onDown);
    this.node.addEventListener('pointermove', this._onMove);
    this.node.addEventListener('pointerup', this._onUp);
    this.node.addEventListener('pointerleave', () => {
      if (!this._dragStart) {
        this.onHover?.(null);
      }
    });
    if (this._fit === 'contain') {
      this._observer = new ResizeObserver(() => this._layout());
    }
  }

  readonly node: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  /** How a drag on the image draws a rectangle. */
  dragMode: DragMode = 'off';
  onHover: ((p: PixelIndex | null) => void) | null = null;
  onClick: ((p: PixelIndex) => void) | null = null;
  onRect: ((r: PixelRect) => void) | null = null;

  get nx(): number {
    return this._nx;
  }
  get ny(): number {
    return this._ny;
  }

  /** Attach the fit-to-container observer (call once the node is in the document). */
  observe(container: Element): void {
    this._container = container;
    this._observer?.observe(container);
    this._layout();
  }

  /** The image's size in pixels and its physical grid (aspect ratio and scale bar). */
  setGeometry(nx: number, ny: number, grid: PixelGrid | null): void {
    this._nx = nx;
    this._ny = ny;
    const dx = grid ? meanStep(grid.x) : Number.NaN;
    const dy = grid ? meanStep(grid.y) : Number.NaN;
    const px = Number.isFinite(dx) && dx > 0 ? dx : Number.isFinite(dy) && dy > 0 ? dy : 1;
    const py = Number.isFinite(dy) && dy > 0 ? dy : px;
    this._ratio = (nx * px) / (ny * py);
    this._overlay.setAttribute('viewBox', `0 0 ${nx} ${ny}`);
    if (this._fit === 'width') {
      this.node.style.aspectRatio = `${nx * px} / ${ny * py}`;
    }
    const bar = grid && Number.isFinite(dx) ? scaleBar(nx * px) : null;
    this._bar = bar;
    if (this._scale) {
      this._scale.hidden = bar === null;
      if (bar) {
        (this._scale.firstChild as HTMLElement).style.width = `${bar.fraction * 100}%`;
        this._scale.style.width = '100%';
        this._scale.lastChild!.textContent = bar.label;
      }
    }
    for (const line of Array.from(this._cross.querySelectorAll('line.jp-mod-h'))) {
      line.setAttribute('x1', '0');
      line.setAttribute('x2', String(nx));
    }
    for (const line of Array.from(this._cross.querySelectorAll('line.jp-mod-v'))) {
      line.setAttribute('y1', '0');
      line.setAttribute('y2', String(ny));
    }
    this._layout();
  }

  /** Show the linked cursor on pixel `p` (or hide it). */
  setCursor(p: PixelIndex | null, pinned = false): void {
    if (!p) {
      this._cross.setAttribute('visibility', 'hidden');
      return;
    }
    this._cross.setAttribute('visibility', 'visible');
    this._cross.classList.toggle('jp-mod-pinned', pinned);
    const cx = p.ix + 0.5;
    const cy = p.iy + 0.5;
    for (const line of Array.from(this._cross.querySelectorAll('line.jp-mod-h'))) {
      line.setAttribute('y1', String(cy));
      line.setAttribute('y2', String(cy));
    }
    for (const line of Array.from(this._cross.querySelectorAll('line.jp-mod-v'))) {
      line.setAttribute('x1', String(cx));
      line.setAttribute('x2', String(cx));
    }
    const box = this._cross.querySelector('rect')!;
    box.setAttribute('x', String(p.ix));
    box.setAttribute('y', String(p.iy));
  }

  /** Regions of interest and other outlined rectangles. */
  setRects(rects: readonly FrameRect[]): void {
    this._rectList = rects;
    while (this._rects.firstChild) {
      this._rects.firstChild.remove();
    }
    for (const r of rects) {
      // a dark halo under each outline keeps it visible on any colour
      this._rects.append(
        svgEl('rect', {
          x: r.x0,
          y: r.y0,
          width: Math.max(0, r.x1 - r.x0),
          height: Math.max(0, r.y1 - r.y0),
          class: 'jp-STXMFrame-rectHalo'
        })
      );
      const node = svgEl('rect', {
        x: r.x0,
        y: r.y0,
        width: Math.max(0, r.x1 - r.x0),
        height: Math.max(0, r.y1 - r.y0),
        stroke: r.color,
        class: r.dashed ? 'jp-STXMFrame-rect jp-mod-dashed' : 'jp-STXMFrame-rect'
      });
      if (r.label) {
        node.append(svgEl('title', {}, r.label));
      }
      this._rects.append(node);
    }
  }

  /** Dim every pixel outside `mask` (null: no selection, nothing dimmed). */
  setHighlight(mask: Uint8Array | null): void {
    const c = this._highlight;
    if (!c) {
      return;
    }
    c.hidden = mask === null;
    if (!mask) {
      return;
    }
    c.width = this._nx;
    c.height = this._ny;
    const ctx = c.getContext('2d');
    if (!ctx) {
      return;
    }
    const img = ctx.createImageData(this._nx, this._ny);
    const d = img.data;
    for (let p = 0; p < mask.length && p < this._nx * this._ny; p++) {
      if (!mask[p]) {
        d[p * 4 + 3] = 170;
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  /** Draw the image, selection, rectangles and scale bar into a figure. */
  drawInto(fig: FigureBuilder, x: number, y: number, w: number, h: number): void {
    fig.canvas(this.canvas, x, y, w, h);
    if (this._highlight && !this._highlight.hidden) {
      fig.canvas(this._highlight, x, y, w, h);
    }
    const sx = w / Math.max(1, this._nx);
    const sy = h / Math.max(1, this._ny);
    for (const r of this._rectList) {
      const node = svgEl('rect', {
        x: x + r.x0 * sx,
        y: y + r.y0 * sy,
        width: (r.x1 - r.x0) * sx,
        height: (r.y1 - r.y0) * sy,
        fill: 'none',
        stroke: r.color,
        'stroke-width': 1.5
      });
      if (r.dashed) {
        node.setAttribute('stroke-dasharray', '4 3');
      }
      fig.svg.append(node);
    }
    fig.rect(x, y, w, h, 'none', fig.theme.border);
    if (this._bar) {
      const bw = this._bar.fraction * w;
      const bx = x + 8;
      const by = y + h - 10;
      fig.rect(bx - 1, by - 1, bw + 2, 6, '#000000');
      fig.rect(bx, by, bw, 4, '#ffffff');
      const t = fig.text(bx, by - 4, this._bar.label, {
        size: 10,
        weight: 'bold',
        color: '#ffffff'
      });
      t.setAttribute('stroke', '#000000');
      t.setAttribute('stroke-width', '2.5');
      t.setAttribute('paint-order', 'stroke');
    }
  }

  /** The aspect ratio (physical width / height). */
  get ratio(): number {
    return this._ratio;
  }

  dispose(): void {
    this._observer?.disconnect();
  }

  private _layout(): void {
    if (this._fit !== 'contain' || !this._container) {
      return;
    }
    const box = this._container.getBoundingClientRect();
    const style = getComputedStyle(this._container);
    const w = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const h = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    if (!(w > 0 && h > 0)) {
      return;
    }
    const width = Math.floor(Math.min(w, h * this._ratio));
    const height = Math.floor(width / this._ratio);
    this.node.style.width = `${width}px`;
    this.node.style.height = `${height}px`;
  }

  private _pixelAt(ev: PointerEvent): PixelIndex | null {
    const r = this.canvas.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || this._nx === 0) {
      return null;
    }
    const ix = Math.floor(((ev.clientX - r.left) / r.width) * this._nx);
    const iy = Math.floor(((ev.clientY - r.top) / r.height) * this._ny);
    if (ix < 0 || iy < 0 || ix >= this._nx || iy >= this._ny) {
      return null;
    }
    return { ix, iy };
  }

  private readonly _onDown = (ev: PointerEvent): void => {
    if (ev.button !== 0) {
      return;
    }
    const p = this._pixelAt(ev);
    if (!p) {
      return;
    }
    const drag = this.dragMode === 'always' || (this.dragMode === 'shift' && ev.shiftKey);
    this._downAt = p;
    if (drag) {
      this._dragStart = p;
      this.node.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    }
  };

  private readonly _onMove = (ev: PointerEvent): void => {
    const p = this._pixelAt(ev);
    if (this._dragStart) {
      const q = p ?? this._clampPointer(ev);
      const r = normRect(this._dragStart, q);
      this._drag.setAttribute('visibility', 'visible');
      this._drag.setAttribute('x', String(r.x0));
      this._drag.setAttribute('y', String(r.y0));
      this._drag.setAttribute('width', String(r.x1 - r.x0));
      this._drag.setAttribute('height', String(r.y1 - r.y0));
      return;
    }
    this.onHover?.(p);
  };

  private readonly _onUp = (ev: PointerEvent): void => {
    const start = this._dragStart;
    const down = this._downAt;
    this._dragStart = null;
    this._downAt = null;
    this._drag.setAttribute('visibility', 'hidden');
    const p = this._pixelAt(ev) ?? (start ? this._clampPointer(ev) : null);
    if (start && p && (p.ix !== start.ix || p.iy !== start.iy)) {
      this.onRect?.(normRect(start, p));
      return;
    }
    if (down && p && p.ix === down.ix && p.iy === down.iy) {
      this.onClick?.(p);
    }
  };

  private _clampPointer(ev: PointerEvent): PixelIndex {
    const r = this.canvas.getBoundingClientRect();
    const ix = Math.floor(((ev.clientX - r.left) / Math.max(1, r.width)) * this._nx);
    const iy = Math.floor(((ev.clientY - r.top) / Math.max(1, r.height)) * this._ny);
    return {
      ix: Math.max(0, Math.min(this._nx - 1, ix)),
      iy: Math.max(0, Math.min(this._ny - 1, iy))
    };
  }

  private readonly _fit: 'width' | 'contain';
  private readonly _highlight: HTMLCanvasElement | null = null;
  private readonly _overlay: SVGSVGElement;
  private readonly _rects: SVGGElement;
  private readonly _drag: SVGRectElement;
  private readonly _cross: SVGGElement;
  private readonly _scale: HTMLDivElement | null = null;
  private readonly _observer: ResizeObserver | null = null;
  private _container: Element | null = null;
  private _rectList: readonly FrameRect[] = [];
  private _bar: ReturnType<typeof scaleBar> = null;
  private _nx = 0;
  private _ny = 0;
  private _ratio = 1;
  private _dragStart: PixelIndex | null = null;
  private _downAt: PixelIndex | null = null;
}

/** The pixel rectangle (end exclusive) spanned by two corner pixels. */
export function normRect(a: PixelIndex, b: PixelIndex): PixelRect {
  return {
    x0: Math.min(a.ix, b.ix),
    x1: Math.max(a.ix, b.ix) + 1,
    y0: Math.min(a.iy, b.iy),
    y1: Math.max(a.iy, b.iy) + 1
  };
}
