/**
 * The decisions of the automatic pre-processing (decisions.ts) as lines of
 * text: what was measured, what was decided. Text only, through
 * `textContent`.
 */
import type { ProvenanceStep } from '../../core/model/result.js';
import { clear, el } from '../shared/dom.js';
import { preprocessDecisions } from './decisions.js';

/** Fill `node` with one line per decision of the pre-processing recorded in `steps`. */
export function renderDecisions(node: HTMLElement, steps: readonly ProvenanceStep[] | null): void {
  clear(node);
  for (const d of steps ? preprocessDecisions(steps) : []) {
    const row = el('div', 'jp-STXMDecision');
    row.dataset.decision = d.key;
    row.dataset.applied = String(d.applied);
    row.append(el('strong', undefined, `${d.title}: `), el('span', undefined, d.text));
    node.append(row);
  }
  node.hidden = node.childElementCount === 0;
}
