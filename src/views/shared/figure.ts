/**
 * Figures for export: every view can describe itself as one self-contained
 * SVG (canvases embedded as PNG images, text as SVG text nodes set with
 * `textContent`, colours resolved from the current JupyterLab theme), and any
 * SVG becomes a PNG through the browser's own rasteriser.
 */
import { SVG_NS, svgEl } from './dom.js';

/** Colours and font of the current theme, resolved to concrete values. */
export interface FigureTheme {
  background: string;
  foreground: string;
  muted: string;
  border: string;
  font: string;
}

export function currentTheme(node: Element): FigureTheme {
  const style = getComputedStyle(node);
  const v = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--jp-layout-color0', '#ffffff'),
    foreground: v('--jp-ui-font-color0', '#000000'),
    muted: v('--jp-ui-font-color2', '#555555'),
    border: v('--jp-border-color1', '#bdbdbd'),
    font: v('--jp-ui-font-family', 'sans-serif')
  };
}

/** Views that can be exported as a figure. */
export interface IExportable {
  /** A self-contained SVG of the view, or null when there is nothing to show. */
  exportSvg(): SVGSVGElement | null;
}

/** Builds a figure: absolute placement of text, shapes, canvases and SVG fragments. */
export class FigureBuilder {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly theme: FigureTheme
  ) {
    this.svg = svgEl('svg', {
      xmlns: SVG_NS,
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'font-family': theme.font,
      'font-size': 12
    });
    this.svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: theme.background }));
  }

  readonly svg: SVGSVGElement;

  text(
    x: number,
    y: number,
    content: string,
    opts: { size?: number; weight?: string; anchor?: string; color?: string } = {}
  ): SVGTextElement {
    const t = svgEl(
      'text',
      {
        x,
        y,
        fill: opts.color ?? this.theme.foreground,
        'font-size': opts.size ?? 12,
        'font-weight': opts.weight ?? 'normal',
        'text-anchor': opts.anchor ?? 'start'
      },
      content
    );
    this.svg.append(t);
    return t;
  }

  /**
   * Text wrapped into lines of at most `width` px (an estimate: 0.56 em per
   * character); returns the height used.
   */
  wrappedText(
    x: number,
    y: number,
    content: string,
    width: number,
    opts: { size?: number; color?: string; maxLines?: number } = {}
  ): number {
    const size = opts.size ?? 12;
    const perLine = Math.max(8, Math.floor(width / (0.56 * size)));
    const lines: string[] = [];
    let line = '';
    for (const word of content.split(/\s+/)) {
      if (line && (line + ' ' + word).length > perLine) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) {
      lines.push(line);
    }
    const max = opts.maxLines ?? 4;
    const shown = lines.slice(0, max);
    if (lines.length > max) {
      shown[max - 1] = `${shown[max - 1].slice(0, Math.max(0, perLine - 1))}…`;
    }
    shown.forEach((l, i) => this.text(x, y + i * size * 1.25, l, { size, color: opts.color }));
    return shown.length * size * 1.25;
  }

  rect(x: number, y: number, w: number, h: number, fill: string, stroke?: string): void {
    const attrs: Record<string, string | number> = { x, y, width: w, height: h, fill };
    if (stroke) {
      attrs.stroke = stroke;
    }
    this.svg.append(svgEl('rect', attrs));
  }

  /** A canvas as an embedded PNG, scaled without smoothing. */
  canvas(c: HTMLCanvasElement, x: number, y: number, w: number, h: number): void {
    if (c.width === 0 || c.height === 0) {
      return;
    }
    const img = svgEl('image', {
      x,
      y,
      width: w,
      height: h,
      preserveAspectRatio: 'none',
      'image-rendering': 'pixelated',
      style: 'image-rendering: pixelated'
    });
    img.setAttribute('href', c.toDataURL('image/png'));
    this.svg.append(img);
  }

  /** A copy of a live SVG (a d3 chart) with its computed styles inlined, placed at (x, y). */
  embed(source: SVGSVGElement, x: number, y: number, w?: number, h?: number): void {
    const copy = source.cloneNode(true) as SVGSVGElement;
    inlineStyles(source, copy);
    copy.setAttribute('x', String(x));
    copy.setAttribute('y', String(y));
    const width = w ?? source.width.baseVal.value;
    const height = h ?? source.height.baseVal.value;
    copy.setAttribute('width', String(width));
    copy.setAttribute('height', String(height));
    if (!copy.getAttribute('viewBox')) {
      copy.setAttribute(
        'viewBox',
        `0 0 ${source.width.baseVal.value} ${source.height.baseVal.value}`
      );
    }
    this.svg.append(copy);
  }
}

const INLINE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-size',
  'font-family',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display'
];

/** Copy the computed presentation styles of `src` (a live element) onto its clone `dst`. */
export function inlineStyles(src: Element, dst: Element): void {
  const cs = getComputedStyle(src);
  const parts: string[] = [];
  for (const p of INLINE_PROPS) {
    const v = cs.getPropertyValue(p);
    if (v) {
      parts.push(`${p}:${v}`);
    }
  }
  (dst as SVGElement).setAttribute('style', parts.join(';'));
  dst.removeAttribute('class');
  const a = src.children;
  const b = dst.children;
  for (let i = 0; i < a.length && i < b.length; i++) {
    inlineStyles(a[i], b[i]);
  }
}

export function serializeSvg(svg: SVGSVGElement): string {
  if (!svg.getAttribute('xmlns')) {
    svg.setAttribute('xmlns', SVG_NS);
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
}

/** Rasterise an SVG at `scale` × its size into PNG bytes. */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const width = Number(svg.getAttribute('width')) || 800;
  const height = Number(svg.getAttribute('height')) || 600;
  const blob = new Blob([serializeSvg(svg)], { type: 'image/svg+xml' });
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the figure could not be rasterised'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      throw new Error('no 2D canvas to rasterise the figure');
    }
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(b => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png')
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
