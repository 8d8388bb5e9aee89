/**
 * The phase legend shared by the maps, the latent plot and the comparison
 * view: a swatch and a name per phase (names as text only), and extra entries
 * (ambiguous, flagged).
 */
import { clear, el } from './dom.js';
import type { PhaseStyle } from './phase-style.js';

export interface LegendExtra {
  label: string;
  /** CSS colour of the swatch, or a class that draws it. */
  color?: string;
  className?: string;
}

export function renderLegend(
  container: HTMLElement,
  styles: readonly PhaseStyle[],
  extras: readonly LegendExtra[] = []
): void {
  clear(container);
  const item = (label: string, color?: string, className = ''): void => {
    const node = el('span', 'jp-STXMLegend-item');
    const sw = el('span', `jp-STXMSwatch ${className}`.trim());
    if (color) {
      sw.style.background = color;
    }
    node.append(sw, el('span', 'jp-STXMLegend-name', label));
    container.append(node);
  };
  for (const s of styles) {
    item(s.name, s.color);
  }
  for (const x of extras) {
    item(x.label, x.color, x.className);
  }
  container.dataset.phases = String(styles.length);
}
