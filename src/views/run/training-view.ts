/**
 * The run's story: the GMVAE loss curve live during training (and in full
 * after), timings per stage, the parameters, software versions and the
 * provenance steps of the result.
 */
import { Widget } from '@lumino/widgets';

import { STAGES, type PhaseMapResult } from '../../core/model/result.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { clear, el, fmt } from '../shared/dom.js';
import type { IExportable } from '../shared/figure.js';
import { LineChart, type ChartSeries } from '../shared/line-chart.js';

/** What the run's story draws: the loss curve as it comes, and the result's record. */
export type TrainingInput = Pick<
  IWorkbenchModel,
  | 'runState'
  | 'params'
  | 'lossHistory'
  | 'shownResult'
  | 'runStateChanged'
  | 'progressChanged'
  | 'resultChanged'
>;

export class TrainingView extends Widget implements IExportable {
  constructor(private readonly _source: TrainingInput) {
    super();
    this.addClass('jp-STXMTrainingView');
    this.addClass('jp-STXMScroll');
    this._status = el('div', 'jp-STXMCaption jp-STXMTrainingView-status');
    this._chart = new LineChart({
      xLabel: 'Epoch',
      yLabel: 'Loss',
      height: 280,
      integerX: true,
      className: 'jp-STXMTrainingView-loss',
      title: 'GMVAE training and validation loss'
    });
    this._timings = el('table', 'jp-STXMTable jp-STXMTrainingView-timings');
    this._params = el('pre', 'jp-STXMTrainingView-params');
    this._provenance = el('ol', 'jp-STXMProvenance');
    this.node.append(
      el('h3', 'jp-STXMSubhead', 'GMVAE training'),
      this._status,
      this._chart.node,
      el('h3', 'jp-STXMSubhead', 'Stages'),
      this._timings,
      el('h3', 'jp-STXMSubhead', 'Parameters and versions'),
      this._params,
      el('h3', 'jp-STXMSubhead', 'Provenance'),
      this._provenance
    );
    _source.progressChanged.connect(this._onProgress, this);
    _source.resultChanged.connect(this._onResultChanged, this);
    _source.runStateChanged.connect(this._onState, this);
    this._onResult();
    this._onState();
  }

  exportSvg(): SVGSVGElement | null {
    return this._chart.exportSvg();
  }

  dispose(): void {
    this._chart.dispose();
    super.dispose();
  }

  private _onState(): void {
    const { runState, params } = this._source;
    this.node.dataset.runState = runState;
    if (runState === 'running') {
      this._status.textContent =
        params.method === 'gmvae'
          ? `Training (up to ${params.gmvae.epochs} epochs, L = ${params.gmvae.latentDim}, ${params.gmvae.backend} backend)…`
          : 'Pearson-only run: no model is trained.';
    }
  }

  private _onProgress(): void {
    const history = this._source.lossHistory;
    if (history.length === 0) {
      return;
    }
    // progress counts epochs from 0; the chart and the text from 1, as the result's curve
    const epochs = history.map(h => h.epoch + 1);
    const series: ChartSeries[] = [
      { name: 'training loss', color: '#0072B2', x: epochs, y: history.map(h => h.loss), width: 2 }
    ];
    if (history.some(h => h.valLoss !== undefined)) {
      series.push({
        name: 'validation loss',
        color: '#E69F00',
        x: epochs,
        y: history.map(h => h.valLoss ?? Number.NaN),
        width: 2,
        dashed: true
      });
    }
    this._chart.setMessage(null);
    this._chart.setSeries(series);
    const last = history[history.length - 1];
    this._status.textContent = `Epoch ${last.epoch + 1}: loss ${fmt(last.loss)}${
      last.valLoss !== undefined ? `, validation ${fmt(last.valLoss)}` : ''
    }`;
    this.node.dataset.epochs = String(history.length);
  }

  /** A hidden view catches up when it is shown (τ moves must not pay for it). */
  private _onResultChanged(): void {
    if (this.isVisible) {
      this._onResult();
    } else {
      this._stale = true;
    }
  }

  protected onAfterShow(): void {
    if (this._stale) {
      this._stale = false;
      this._onResult();
    }
  }

  private _onResult(): void {
    const result = this._source.shownResult;
    if (!result) {
      if (this._source.lossHistory.length === 0) {
        this._chart.setSeries([]);
        this._chart.setMessage('No run yet.');
      }
      clear(this._timings);
      this._params.textContent = '';
      clear(this._provenance);
      return;
    }
    if (result.trainingLoss.length) {
      const x = result.trainingLoss.map((_, i) => i + 1);
      const series: ChartSeries[] = [
        { name: 'training loss', color: '#0072B2', x, y: result.trainingLoss, width: 2 }
      ];
      if (result.validationLoss.length) {
        series.push({
          name: 'validation loss',
          color: '#E69F00',
          x: result.validationLoss.map((_, i) => i + 1),
          y: result.validationLoss,
          width: 2,
          dashed: true
        });
      }
      this._chart.setMessage(null);
      this._chart.setSeries(series);
      this._status.textContent = `${result.trainingLoss.length} epochs; final loss ${fmt(
        result.trainingLoss[result.trainingLoss.length - 1]
      )}`;
      this.node.dataset.epochs = String(result.trainingLoss.length);
    } else {
      this._chart.setSeries([]);
      this._chart.setMessage(
        result.latentDim === 0
          ? 'No training: this result was made with the Pearson-only method.'
          : 'The result carries no loss history.'
      );
      this._status.textContent = '';
    }
    this._renderTimings(result);
    this._params.textContent = JSON.stringify(
      { params: result.params, versions: result.versions },
      null,
      2
    );
    clear(this._provenance);
    for (const step of result.provenance) {
      const li = el('li');
      li.append(
        el('strong', undefined, step.step),
        el('span', undefined, ` ${JSON.stringify(step.details)}`)
      );
      this._provenance.append(li);
    }
  }

  private _renderTimings(result: PhaseMapResult): void {
    const t = this._timings;
    clear(t);
    const head = el('tr');
    for (const h of ['Stage', 'Time']) {
      head.append(el('th', undefined, h));
    }
    t.append(el('thead'));
    t.tHead!.append(head);
    const body = el('tbody');
    let total = 0;
    for (const s of STAGES) {
      const ms = result.timings[s];
      const row = el('tr');
      row.append(
        el('td', undefined, s),
        el('td', undefined, ms === undefined ? '—' : `${fmt(ms, 3)} ms`)
      );
      total += ms ?? 0;
      body.append(row);
    }
    const row = el('tr', 'jp-mod-total');
    row.append(el('td', undefined, 'total'), el('td', undefined, `${fmt(total, 3)} ms`));
    body.append(row);
    t.append(body);
  }

  private _stale = false;
  private readonly _status: HTMLDivElement;
  private readonly _chart: LineChart;
  private readonly _timings: HTMLTableElement;
  private readonly _params: HTMLPreElement;
  private readonly _provenance: HTMLOListElement;
}
