/**
 * How far a map can be trusted, as a list: one line per warning of a run or
 * a pre-processing (`RunWarning`), marked by its level — a decision taken for
 * the user ('info') or a doubt about the map ('warning'). Text only, through
 * `textContent`: the messages quote phase and file names.
 */
import type { RunWarning } from '../../core/model/warnings.js';
import { clear, el } from './dom.js';

const MARK: Record<RunWarning['level'], string> = { info: 'ℹ', warning: '⚠' };
const LABEL: Record<RunWarning['level'], string> = { info: 'note', warning: 'warning' };

/** Fill `list` (a `<ul>`) with the warnings; hidden when there are none. */
export function renderWarnings(list: HTMLElement, warnings: readonly RunWarning[]): void {
  clear(list);
  for (const w of warnings) {
    const level = w.level === 'warning' ? 'warning' : 'info';
    const li = el('li', `jp-STXMWarning jp-mod-${level}`);
    li.dataset.code = w.code;
    li.dataset.level = level;
    const mark = el('span', 'jp-STXMWarning-mark', MARK[level]);
    mark.setAttribute('aria-label', LABEL[level]);
    mark.title = LABEL[level];
    li.append(mark, el('span', 'jp-STXMWarning-text', w.message));
    list.append(li);
  }
  list.hidden = warnings.length === 0;
}

export function warningList(className: string, label: string): HTMLUListElement {
  const list = el('ul', `jp-STXMWarnings ${className}`);
  list.setAttribute('aria-label', label);
  list.hidden = true;
  return list;
}
