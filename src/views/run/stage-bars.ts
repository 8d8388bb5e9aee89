/**
 * The run bar's progress bars, one per pipeline stage: pending when a run
 * starts (skipped for the stages its method does not run), active with the
 * progress, done, or stopped where a failed or cancelled run left them.
 */
import type { ResolutionMethodInfo } from '../../core/analysis/methods/types.js';
import { STAGES, type ProgressEvent, type Stage } from '../../core/model/result.js';
import { el } from '../shared/dom.js';

export const STAGE_LABELS: Record<Stage, string> = {
  prepare: 'Prepare',
  pcc: 'Correlate',
  train: 'Train GMVAE',
  resolve: 'Resolve'
};

export class StageBars {
  /** The bars, appended to `container`. */
  constructor(container: HTMLElement) {
    this._bars = {} as Record<Stage, { node: HTMLDivElement; fill: HTMLDivElement }>;
    for (const s of STAGES) {
      const node = el('div', 'jp-STXMStage');
      node.dataset.stage = s;
      node.setAttribute('role', 'progressbar');
      node.setAttribute('aria-label', STAGE_LABELS[s]);
      node.setAttribute('aria-valuemin', '0');
      node.setAttribute('aria-valuemax', '100');
      const track = el('div', 'jp-STXMStage-track');
      const fill = el('div', 'jp-STXMStage-fill');
      track.append(fill);
      node.append(el('span', 'jp-STXMStage-label', STAGE_LABELS[s]), track);
      container.append(node);
      this._bars[s] = { node, fill };
    }
  }

  /** A run starts with `method` (undefined: unknown, every stage pending). */
  start(method: ResolutionMethodInfo | undefined): void {
    for (const s of STAGES) {
      this._set(s, 0, 'pending');
    }
    if (method && !method.trainsModel) {
      this._set('train', 0, 'skipped');
      if (!method.relabelsAll) {
        // Pearson only: ambiguous pixels keep their argmax phase
        this._set('resolve', 0, 'skipped');
      }
    }
  }

  /** The run is done: every stage it ran is full. */
  done(): void {
    for (const s of STAGES) {
      const skipped = this._bars[s].node.dataset.state === 'skipped';
      this._set(s, skipped ? 0 : 1, skipped ? 'skipped' : 'done');
    }
  }

  /** The run failed or was cancelled: the active stage stops where it was. */
  stop(): void {
    for (const s of STAGES) {
      if (this._bars[s].node.dataset.state === 'active') {
        this._set(s, Number(this._bars[s].node.getAttribute('aria-valuenow')) / 100, 'stopped');
      }
    }
  }

  /** A progress event: the stages before its stage are done, its stage active (or done). */
  progress(p: ProgressEvent): void {
    const idx = STAGES.indexOf(p.stage);
    STAGES.forEach((s, i) => {
      const st = this._bars[s].node.dataset.state;
      if (i < idx && st !== 'skipped') {
        this._set(s, 1, 'done');
      }
    });
    this._set(p.stage, p.fraction, p.fraction >= 1 ? 'done' : 'active');
  }

  private _set(s: Stage, fraction: number, state: string): void {
    const bar = this._bars[s];
    const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    bar.fill.style.width = `${pct}%`;
    bar.node.dataset.state = state;
    bar.node.setAttribute('aria-valuenow', String(pct));
    bar.node.title = `${STAGE_LABELS[s]}: ${state}${state === 'active' ? ` ${pct} %` : ''}`;
  }

  private readonly _bars: Record<Stage, { node: HTMLDivElement; fill: HTMLDivElement }>;
}
