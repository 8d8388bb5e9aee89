/**
 * Small DOM helpers for the views. Text is only ever set with `textContent`
 * (never parsed as HTML), without bidirectional controls (`displayText`):
 * phase names and file metadata are untrusted.
 */
import { displayText } from '../../core/model/text.js';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = displayText(text);
  }
  return node;
}

/** Set a node's text (from data or quoting it: file names, phase names, error messages). */
export function setText(node: Node, text: string): void {
  node.textContent = displayText(text);
}

export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    node.textContent = displayText(text);
  }
  return node;
}

export function button(
  label: string,
  className: string,
  onClick: () => void,
  title?: string
): HTMLButtonElement {
  const b = el('button', `jp-Button jp-mod-styled jp-STXMButton ${className}`, label);
  b.type = 'button';
  if (title) {
    b.title = title;
  }
  b.addEventListener('click', onClick);
  return b;
}

/** A `<label>` holding a caption and a control. */
export function labelled(caption: string, control: HTMLElement, className = ''): HTMLLabelElement {
  const label = el('label', `jp-STXMField ${className}`.trim());
  const span = el('span', 'jp-STXMField-caption', caption);
  label.append(span, control);
  return label;
}

export function select<T extends string>(
  options: readonly { value: T; label: string }[],
  value: T,
  onChange: (v: T) => void,
  className = ''
): HTMLSelectElement {
  const s = el('select', `jp-STXMSelect ${className}`.trim());
  for (const o of options) {
    const opt = el('option', undefined, o.label);
    opt.value = o.value;
    s.append(opt);
  }
  s.value = value;
  s.addEventListener('change', () => onChange(s.value as T));
  return s;
}

export function numberInput(
  value: number,
  opts: { min?: number; max?: number; step?: number | 'any'; className?: string },
  onChange: (v: number) => void
): HTMLInputElement {
  const input = el('input', `jp-STXMNumber ${opts.className ?? ''}`.trim());
  input.type = 'number';
  if (opts.min !== undefined) {
    input.min = String(opts.min);
  }
  if (opts.max !== undefined) {
    input.max = String(opts.max);
  }
  input.step = String(opts.step ?? 'any');
  input.value = String(value);
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (input.value.trim() !== '' && Number.isFinite(v)) {
      onChange(v);
    }
  });
  return input;
}

export function checkbox(
  checked: boolean,
  onChange: (v: boolean) => void,
  className = ''
): HTMLInputElement {
  const c = el('input', className);
  c.type = 'checkbox';
  c.checked = checked;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

/** Remove every child of `node`. */
export function clear(node: Element): void {
  while (node.firstChild) {
    node.firstChild.remove();
  }
}

/** A short number for read-outs: 4 significant digits, no exponent for usual ranges. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) {
    return '–';
  }
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
    return v.toExponential(digits - 1);
  }
  return String(Number(v.toPrecision(digits)));
}

/** The last part of a path (file names in titles; the full path goes in tooltips). */
export function basename(path: string): string {
  return path.split('/').pop() ?? path;
}
