/**
 * The interactive notebook view of a phase-map result: the map on a canvas
 * (final, initial with ambiguous pixels, confidence, flags), a legend with the
 * phase fractions, a read-out of the pixel under the pointer, and the
 * result's warnings (how far the map can be trusted). Everything
 * from the notebook is validated first (payload.ts) and shown as text
 * (`textContent`); colours come from the shared palette, never from the data.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { AMBIGUOUS_COLOR, phaseColor } from '../core/model/palette.js';
import { displayText } from '../core/model/text.js';
import { MIME_TYPE, PayloadError, parsePayload, type MapPayload } from './payload.js';
import {
  FLAG_COLORS,
  MODES,
  PARTICLE_COLOR,
  legendLabel,
  renderPixels,
  titleText,
  type MapMode
} from './pixels.js';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = displayText(text);
  }
  return node;
}

export class PhaseMapView extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass('jp-STXMPhaseMapOutput');
    this.node.style.fontFamily = 'var(--jp-ui-font-family)';
    this.node.style.fontSize = 'var(--jp-ui-font-size1)';
    this.node.style.color = 'var(--jp-ui-font-color1)';
    this.node.style.padding = '4px 0';
  }

  /** The payload on screen, once valid. */
  get payload(): MapPayload | null {
    return this._payload;
  }

  get mode(): MapMode {
    return this._mode;
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.node.textContent = '';
    try {
      this._payload = await parsePayload(model.data[this._mimeType]);
    } catch (err) {
      this._payload = null;
      const reason = err instanceof PayloadError ? err.message : 'unreadable output';
      const msg = el(
        'div',
        'jp-STXMPhaseMapOutput-error',
        `STXM PhaseMap: cannot show this output: ${reason}`
      );
      msg.style.color = 'var(--jp-error-color1)';
      this.node.appendChild(msg);
      this.node.dataset.status = 'error';
      return;
    }
    this.build(this._payload);
    this.node.dataset.status = 'ready';
  }

  setMode(mode: MapMode): void {
    this._mode = mode;
    this.draw();
  }

  private build(p: MapPayload): void {
    const [ny, nx] = p.shape;
    const head = el('div', 'jp-STXMPhaseMapOutput-title');
    const name = el('strong', '', titleText(p.title));
    name.title = displayText(p.path ?? p.title);
    head.appendChild(name);
    const detail = [
      `${p.fullShape[0]} × ${p.fullShape[1]} px`,
      p.method ? `method ${p.method}` : '',
      p.threshold !== null ? `τ = ${p.threshold}` : '',
      p.pixelSize.x !== null ? `pixel ${Number(p.pixelSize.x.toPrecision(4))} µm` : '',
      p.step > 1 ? `shown every ${p.step} px` : ''
    ].filter(Boolean);
    head.appendChild(el('span', '', `  ${detail.join(', ')}`));
    this.node.appendChild(head);
    if (p.warnings.length) {
      this.node.appendChild(warningList(p.warnings));
    }

    const bar = el('div', 'jp-STXMPhaseMapOutput-modes');
    bar.style.margin = '4px 0';
    for (const { mode, label } of MODES) {
      const b = el('button', 'jp-mod-styled jp-STXMPhaseMapOutput-mode', label);
      b.dataset.mode = mode;
      b.type = 'button';
      b.style.marginRight = '4px';
      b.addEventListener('click', () => this.setMode(mode));
      bar.appendChild(b);
    }
    this.node.appendChild(bar);

    const canvas = el('canvas', 'jp-STXMPhaseMapOutput-canvas');
    canvas.width = nx;
    canvas.height = ny;
    const scale = Math.max(1, Math.min(8, Math.floor(320 / Math.max(nx, ny))));
    canvas.style.width = `${nx * scale}px`;
    canvas.style.height = `${ny * scale}px`;
    canvas.style.imageRendering = 'pixelated';
    canvas.style.display = 'block';
    canvas.addEventListener('mousemove', ev => this.readOut(ev, canvas));
    this.node.appendChild(canvas);
    this._canvas = canvas;

    this._readout = el('div', 'jp-STXMPhaseMapOutput-readout', ' ');
    this._readout.style.minHeight = '1.4em';
    this.node.appendChild(this._readout);

    this._legend = el('div', 'jp-STXMPhaseMapOutput-legend');
    this.node.appendChild(this._legend);
    this.draw();
  }

  private draw(): void {
    const p = this._payload;
    if (!p || !this._canvas) {
      return;
    }
    const [ny, nx] = p.shape;
    const ctx = this._canvas.getContext('2d');
    if (ctx) {
      const image = ctx.createImageData(nx, ny);
      image.data.set(renderPixels(p, this._mode));
      ctx.putImageData(image, 0, 0);
    }
    this.node.dataset.mode = this._mode;
    for (const b of this.node.querySelectorAll<HTMLButtonElement>('.jp-STXMPhaseMapOutput-mode')) {
      b.classList.toggle('jp-mod-accept', b.dataset.mode === this._mode);
    }
    this.drawLegend(p);
  }

  private drawLegend(p: MapPayload): void {
    const legend = this._legend!;
    legend.textContent = '';
    const row = (color: string, label: string): void => {
      const r = el('div', 'jp-STXMPhaseMapOutput-legendRow');
      const swatch = el('span', 'jp-STXMPhaseMapOutput-swatch');
      swatch.style.display = 'inline-block';
      swatch.style.width = '12px';
      swatch.style.height = '12px';
      swatch.style.marginRight = '6px';
      swatch.style.border = '1px solid var(--jp-border-color1)';
      swatch.style.background = color;
      r.appendChild(swatch);
      r.appendChild(el('span', '', label));
      legend.appendChild(r);
    };
    if (this._mode === 'flags') {
      FLAG_COLORS.forEach(f => row(f.color, f.label));
      row(PARTICLE_COLOR, 'particle (no flag)');
    } else if (this._mode === 'confidence') {
      row('#000000', 'confidence 0');
      row('#FFFFFF', 'confidence 1');
    } else {
      p.phaseNames.forEach((name, i) => row(phaseColor(i), legendLabel(name, p.fractions[i])));
      if (this._mode === 'initial') {
        row(AMBIGUOUS_COLOR, 'ambiguous');
      }
    }
    const counts = Object.entries(p.counts);
    if (counts.length) {
      legend.appendChild(
        el('div', 'jp-STXMPhaseMapOutput-counts', counts.map(([k, v]) => `${k} ${v}`).join(', '))
      );
    }
  }

  private readOut(ev: MouseEvent, canvas: HTMLCanvasElement): void {
    const p = this._payload;
    if (!p || !this._readout) {
      return;
    }
    const rect = canvas.getBoundingClientRect();
    const x = Math.floor(((ev.clientX - rect.left) / rect.width) * p.shape[1]);
    const y = Math.floor(((ev.clientY - rect.top) / rect.height) * p.shape[0]);
    if (x < 0 || y < 0 || x >= p.shape[1] || y >= p.shape[0]) {
      return;
    }
    const i = y * p.shape[1] + x;
    const code = p.maps.phase[i];
    const parts = [`x ${x * p.step}, y ${y * p.step}`];
    if (code === 0) {
      parts.push('background');
    } else {
      parts.push(p.phaseNames[code - 1]);
      const initial = p.maps.initial[i];
      if (initial !== code && initial !== 0) {
        parts.push(`initially ${p.phaseNames[initial - 1]}`);
      }
      FLAG_COLORS.filter(f => p.maps.flags[i] & f.bit).forEach(f => parts.push(f.label));
      parts.push(`confidence ${(p.maps.confidence[i] / 255).toFixed(2)}`);
    }
    this._readout.textContent = displayText(parts.join(' · '));
  }

  private readonly _mimeType: string;
  private _payload: MapPayload | null = null;
  private _mode: MapMode = 'final';
  private _canvas: HTMLCanvasElement | null = null;
  private _readout: HTMLElement | null = null;
  private _legend: HTMLElement | null = null;
}

/** The warnings, one line each, marked by level (text only). */
function warningList(warnings: MapPayload['warnings']): HTMLUListElement {
  const list = el('ul', 'jp-STXMPhaseMapOutput-warnings');
  list.style.listStyle = 'none';
  list.style.margin = '4px 0';
  list.style.padding = '0';
  for (const w of warnings) {
    const warn = w.level === 'warning';
    const li = el('li', `jp-STXMPhaseMapOutput-warning jp-mod-${w.level}`);
    li.dataset.code = w.code;
    li.dataset.level = w.level;
    li.style.padding = '1px 6px';
    li.style.borderLeft = `3px solid var(${warn ? '--jp-warn-color1' : '--jp-info-color1'})`;
    if (warn) {
      li.style.background = 'var(--jp-warn-color3)';
    }
    li.appendChild(el('span', '', `${warn ? '⚠ warning' : 'ℹ note'}: `));
    li.appendChild(el('span', '', w.message));
    list.appendChild(li);
  }
  return list;
}

export { MIME_TYPE };
