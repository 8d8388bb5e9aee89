/**
 * The run bar: Run and Cancel, the method, the ambiguity threshold τ (moves
 * the maps live, measured: `data-update-ms` is the synchronous update — new
 * ambiguity map, re-resolution, repaint — and `data-frame-ms` the time until
 * the next frame has been painted), a progress bar per pipeline stage, the run
 * state or error, how far the result can be trusted (its warnings, with the
 * numbers), and the export menu (also: the run as a command line, the
 * parameters as a file).
 */
import { Widget } from '@lumino/widgets';

import type { ResolutionMethodInfo } from '../../core/analysis/methods/types.js';
import type { PhaseMapResult, ResolutionMethod } from '../../core/model/result.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import type { ExportableViewId, IWorkbenchActions } from '../shared/actions.js';
import { button, el, fmt, labelled, select, setText } from '../shared/dom.js';
import { renderWarnings, warningList } from '../shared/warnings.js';
import { progressStatus, runStatus } from './run-text.js';
import { StageBars } from './stage-bars.js';

export const TAU_MAX = 0.05;
export const TAU_STEP = 0.0005;

/** What the run bar draws (run state, progress, τ, the result's warnings) and the intents it emits. */
export type RunInput = Pick<
  IWorkbenchModel,
  | 'runState'
  | 'runError'
  | 'progress'
  | 'stack'
  | 'references'
  | 'params'
  | 'shownResult'
  | 'runStateChanged'
  | 'progressChanged'
  | 'stackChanged'
  | 'referencesChanged'
  | 'paramsChanged'
  | 'thresholdChanged'
  | 'resultChanged'
  | 'setParams'
  | 'setThreshold'
  | 'previewThreshold'
  | 'settleThreshold'
>;

type ExportChoice = 'png' | 'svg' | 'nexus' | 'fractions' | 'spectra' | 'command' | 'params' | '';

export class RunBar extends Widget {
  constructor(
    private readonly _source: RunInput,
    private readonly _actions: IWorkbenchActions,
    private readonly _currentView: () => { id: ExportableViewId; label: string },
    private readonly _methods: readonly ResolutionMethodInfo[]
  ) {
    super();
    this.addClass('jp-STXMRunBar');
    const row = el('div', 'jp-STXMToolbar jp-STXMRunBar-row');
    this._run = button(
      '▶ Run',
      'jp-mod-accept jp-STXMRunBar-run',
      () => this._actions.run(),
      'Run the pipeline (Ctrl+Enter)'
    );
    this._cancel = button(
      '■ Cancel',
      'jp-mod-warn jp-STXMRunBar-cancel',
      () => this._actions.cancel(),
      'Cancel the run'
    );
    this._method = select<ResolutionMethod>(
      _methods.map(m => ({ value: m.id, label: m.label })),
      _source.params.method,
      m => this._source.setParams({ method: m }),
      'jp-STXMRunBar-method'
    );
    this._tau = el('input', 'jp-STXMRunBar-tau');
    this._tau.type = 'range';
    this._tau.min = '0';
    this._tau.max = String(TAU_MAX);
    this._tau.step = String(TAU_STEP);
    this._tau.setAttribute('aria-label', 'Ambiguity threshold τ');
    this._tauValue = el('output', 'jp-STXMRunBar-tauValue');
    this._tau.addEventListener('input', () => this._onTau(Number(this._tau.value)));
    const tauBox = (this._tauBox = el('span', 'jp-STXMRunBar-tauBox'));
    tauBox.append(this._tau, this._tauValue);
    this._export = select<ExportChoice>(
      [{ value: '', label: 'Export…' }],
      '',
      v => this._onExport(v),
      'jp-STXMRunBar-export'
    );
    this._export.setAttribute('aria-label', 'Export');
    this._export.addEventListener('focus', () => this._refreshExportOptions());
    this._export.addEventListener('pointerdown', () => this._refreshExportOptions());
    row.append(
      this._run,
      this._cancel,
      labelled('Method', this._method),
      labelled('τ', tauBox),
      this._export
    );
    const stages = el('div', 'jp-STXMRunBar-stages');
    this._stages = new StageBars(stages);
    this._status = el('div', 'jp-STXMRunBar-status');
    this._status.setAttribute('role', 'status');
    stages.append(this._status);
    this._warnings = warningList('jp-STXMRunBar-warnings', 'How far the map can be trusted');
    this.node.append(row, stages, this._warnings);
    _source.runStateChanged.connect(this._render, this);
    _source.stackChanged.connect(this._render, this);
    _source.referencesChanged.connect(this._render, this);
    _source.paramsChanged.connect(this._render, this);
    _source.progressChanged.connect(this._renderProgress, this);
    _source.thresholdChanged.connect(this._syncTau, this);
    _source.resultChanged.connect(this._syncTau, this);
    _source.resultChanged.connect(this._renderWarnings, this);
    this._render();
    this._refreshExportOptions();
  }

  /** The last τ latency measurement (ms), see `_onTau`. */
  get lastTauLatency(): { previewMs: number; updateMs: number; frameMs: number } | null {
    return this._latency;
  }

  /**
   * A move of τ. For a method with a latent model, in two steps: first
   * `previewThreshold` — the ambiguity map, the ambiguous pixels re-resolved
   * with the trained model, the final map and fractions — painted at once;
   * after that frame is on screen, `settleThreshold` adds confidence and flags
   * (every particle pixel against every phase: the larger part of the work).
   * Other methods update in one step. Moves that come during an update
   * coalesce: the next update takes the latest τ. Measured with
   * `performance.now()`: `data-preview-ms` (move → ambiguity and final maps on
   * screen), `data-update-ms` (the first step's computation and painting) and
   * `data-frame-ms` (move → every map on screen); and a console line.
   */
  private _onTau(value: number): void {
    this._tauValue.textContent = fmt(value, 3);
    if (!this._source.shownResult) {
      this._source.setThreshold(value);
      return;
    }
    this._latestTau = value;
    this._tauStart ??= performance.now();
    if (this._tauBusy) {
      return; // an update is under way: it takes the latest τ when it ends
    }
    this._tauBusy = true;
    const tau = value;
    const start = this._tauStart;
    const afterPaint = (fn: () => void): void => {
      requestAnimationFrame(() => setTimeout(fn, 0));
    };
    const u0 = performance.now();
    const updated = this._source.previewThreshold(tau);
    const updateMs = performance.now() - u0;
    afterPaint(() => {
      const previewMs = performance.now() - start;
      const done = (frameMs: number): void => {
        this._tauBusy = false;
        this._tauStart = null;
        if (updated) {
          this._recordTau(tau, updated, previewMs, updateMs, frameMs);
        }
        if (this._latestTau !== tau) {
          this._onTau(this._latestTau); // a move came in meanwhile
        }
      };
      if (this._source.settleThreshold()) {
        afterPaint(() => done(performance.now() - start));
      } else {
        done(previewMs); // one step: everything came with the first
      }
    });
  }

  private _recordTau(
    tau: number,
    updated: PhaseMapResult,
    previewMs: number,
    updateMs: number,
    frameMs: number
  ): void {
    const [ny, nx] = updated.shape;
    this._latency = { previewMs, updateMs, frameMs };
    const box = this._tauBox.dataset;
    box.previewMs = previewMs.toFixed(2);
    box.updateMs = updateMs.toFixed(2);
    box.frameMs = frameMs.toFixed(2);
    box.shape = `${ny}x${nx}`;
    box.method = updated.params.method;
    box.seq = String(++this._tauSeq);
    console.info(
      `stxm-phasemap: τ=${tau} on ${ny}×${nx} (${updated.params.method}): ambiguity and final maps on screen ` +
        `after ${previewMs.toFixed(1)} ms (first step ${updateMs.toFixed(1)} ms); every map on screen after ${frameMs.toFixed(1)} ms`
    );
  }

  private _syncTau(): void {
    const t = this._source.params.threshold;
    if (document.activeElement !== this._tau) {
      this._tau.value = String(t);
    }
    this._tauValue.textContent = fmt(t, 3);
  }

  private _render(): void {
    const { runState, runError, stack, references, params } = this._source;
    this.node.dataset.runState = runState;
    this._run.disabled = runState === 'running' || !stack;
    this._cancel.disabled = runState !== 'running';
    this._method.value = params.method;
    this._syncTau();
    this._status.className = 'jp-STXMRunBar-status';
    const status = runStatus({
      runState,
      runError,
      hasStack: stack !== null,
      hasReferences: references !== null,
      shown: this._source.shownResult
    });
    this._status.classList.toggle('jp-mod-error', status.error);
    const text = status.text;
    setText(this._status, text);
    this._renderWarnings();
    if (runState !== this._lastState) {
      if (runState === 'running') {
        this._stages.start(this._methods.find(m => m.id === params.method));
      } else if (runState === 'done') {
        this._stages.done();
      } else if (runState === 'failed' || runState === 'cancelled') {
        this._stages.stop();
      }
      this._lastState = runState;
    }
  }

  /** The shown result's warnings (none while a new run is under way). */
  private _renderWarnings(): void {
    const r = this._source.shownResult;
    renderWarnings(this._warnings, r && this._source.runState !== 'running' ? r.warnings : []);
  }

  private _renderProgress(): void {
    const p = this._source.progress;
    if (!p) {
      return;
    }
    this._stages.progress(p);
    const text = progressStatus(p);
    if (text !== null) {
      setText(this._status, text);
    }
  }

  private _refreshExportOptions(): void {
    const view = this._currentView();
    const hasResult = this._source.shownResult !== null;
    const opts: { value: ExportChoice; label: string; disabled?: boolean }[] = [
      { value: '', label: 'Export…' },
      { value: 'png', label: `PNG of ${view.label}` },
      { value: 'svg', label: `SVG of ${view.label}` },
      { value: 'nexus', label: 'NeXus result (.h5)', disabled: !hasResult },
      { value: 'fractions', label: 'Phase fractions (CSV)', disabled: !hasResult },
      { value: 'spectra', label: 'Spectra on screen (CSV)' },
      { value: 'command', label: 'Copy as command line', disabled: !this._source.stack },
      { value: 'params', label: 'Save parameters (JSON)' }
    ];
    while (this._export.firstChild) {
      this._export.firstChild.remove();
    }
    for (const o of opts) {
      const opt = el('option', undefined, o.label);
      opt.value = o.value;
      opt.disabled = o.disabled ?? false;
      this._export.append(opt);
    }
    this._export.value = '';
  }

  private _onExport(choice: ExportChoice): void {
    const view = this._currentView();
    this._export.value = '';
    switch (choice) {
      case 'png':
      case 'svg':
        this._actions.exportView(view.id, choice);
        break;
      case 'nexus':
        this._actions.exportResult();
        break;
      case 'fractions':
      case 'spectra':
        this._actions.exportCsv(choice);
        break;
      case 'command':
        this._actions.copyCommandLine();
        break;
      case 'params':
        this._actions.saveParameters();
        break;
    }
  }

  private readonly _run: HTMLButtonElement;
  private readonly _cancel: HTMLButtonElement;
  private readonly _method: HTMLSelectElement;
  private readonly _tau: HTMLInputElement;
  private readonly _tauValue: HTMLOutputElement;
  private readonly _tauBox: HTMLSpanElement;
  private readonly _export: HTMLSelectElement;
  private readonly _stages: StageBars;
  private readonly _status: HTMLDivElement;
  private readonly _warnings: HTMLUListElement;
  private _lastState = '';
  private _latency: { previewMs: number; updateMs: number; frameMs: number } | null = null;
  private _tauSeq = 0;
  private _latestTau = 0;
  private _tauStart: number | null = null;
  private _tauBusy = false;
}
