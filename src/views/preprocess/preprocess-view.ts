/**
 * Pre-processing controls and their results: I0 (automatic from the bright
 * background, or a region drawn on the image), ring-current normalisation,
 * frame alignment, energy calibration, particle mask, binning; and what they
 * gave — the decisions of the automatic steps (measured drift, aligned or
 * not; estimated energy shift, applied or not) and their warnings, I0 per
 * energy, the alignment shifts per energy, the particle mask, and every step
 * as recorded in the provenance.
 */
import { Widget } from '@lumino/widgets';

import type { PreparedStack } from '../../core/model/prepared.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { basename, clear, el, fmt } from '../shared/dom.js';
import { currentTheme, FigureBuilder, type IExportable } from '../shared/figure.js';
import { paintRgba } from '../shared/canvas.js';
import { ImageFrame } from '../shared/image-frame.js';
import { LineChart } from '../shared/line-chart.js';
import { maskRgba } from '../shared/paint.js';
import type { IWorkbenchActions } from '../shared/actions.js';
import { renderWarnings, warningList } from '../shared/warnings.js';
import { renderDecisions } from './decisions-list.js';
import { PreprocessForm, type PreprocessFormInput } from './preprocess-form.js';
import { formatDetails, preparedSummary, shiftRows } from './prepared-text.js';

/** What the pre-processing tab draws (its controls, the prepared stack) and the parameters it sets. */
export type PreprocessInput = PreprocessFormInput &
  Pick<IWorkbenchModel, 'prepared' | 'preparedChanged'>;

export class PreprocessView extends Widget implements IExportable {
  constructor(
    private readonly _source: PreprocessInput,
    drawI0: () => void,
    actions: IWorkbenchActions
  ) {
    super();
    this.addClass('jp-STXMPreprocessView');
    this.addClass('jp-STXMScroll');
    this._form = new PreprocessForm(_source, this.node, drawI0, actions);
    this._summary = el('div', 'jp-STXMCaption jp-STXMPreprocessView-summary');
    this._decisions = el('div', 'jp-STXMDecisions jp-STXMPreprocessView-decisions');
    this._decisions.setAttribute('role', 'status');
    this._decisions.hidden = true;
    this._warnings = warningList('jp-STXMPreprocessView-warnings', 'What pre-processing found');

    const figures = el('div', 'jp-STXMPreprocessView-figures');
    this._i0Chart = new LineChart({
      xLabel: 'Energy (eV)',
      yLabel: 'I0 (counts)',
      height: 220,
      title: 'I0 per energy'
    });
    this._shiftChart = new LineChart({
      xLabel: 'Energy (eV)',
      yLabel: 'Shift (px)',
      height: 190,
      title: 'Alignment shifts per energy'
    });
    const maskBox = el('div', 'jp-STXMPreprocessView-maskBox');
    this._maskFrame = new ImageFrame({ canvasClass: 'jp-STXMPreprocessView-maskCanvas' });
    this._maskCaption = el('div', 'jp-STXMCaption');
    maskBox.append(
      el('div', 'jp-STXMFigureTitle', 'Particle mask'),
      this._maskFrame.node,
      this._maskCaption
    );
    const fig = (title: string, chart: LineChart, cls: string): HTMLDivElement => {
      const box = el('div', `jp-STXMFigure ${cls}`);
      box.append(el('div', 'jp-STXMFigureTitle', title), chart.node);
      return box;
    };
    figures.append(
      maskBox,
      fig('Alignment shifts', this._shiftChart, 'jp-STXMPreprocessView-shiftFigure'),
      fig('I0 per energy', this._i0Chart, 'jp-STXMPreprocessView-i0Figure')
    );
    this._shiftTable = el('table', 'jp-STXMTable jp-STXMPreprocessView-shifts');
    this._provenance = el('ol', 'jp-STXMProvenance');
    this.node.append(
      this._form.node,
      this._form.status,
      this._decisions,
      this._warnings,
      this._summary,
      figures,
      el('h3', 'jp-STXMSubhead', 'Shifts per energy'),
      this._shiftTable,
      el('h3', 'jp-STXMSubhead', 'Steps'),
      this._provenance
    );
    _source.preparedChanged.connect(this._renderResults, this);
    this._renderResults();
  }

  exportSvg(): SVGSVGElement | null {
    const prepared = this._source.prepared;
    if (!prepared) {
      return null;
    }
    const theme = currentTheme(this.node);
    const cw = 360;
    const ch = 220;
    const mw = 220;
    const mh = Math.round(mw / this._maskFrame.ratio);
    const fig = new FigureBuilder(cw * 2 + mw + 60, Math.max(ch, mh) + 50, theme);
    fig.text(15, 20, `Pre-processing — ${basename(prepared.stack.source.file)}`, {
      size: 13,
      weight: 'bold'
    });
    this._i0Chart.embedInto(fig, 15, 30, cw, ch);
    this._shiftChart.embedInto(fig, 30 + cw, 30, cw, ch);
    this._maskFrame.drawInto(fig, 45 + 2 * cw, 30, mw, mh);
    return fig.svg;
  }

  dispose(): void {
    this._form.dispose();
    this._i0Chart.dispose();
    this._shiftChart.dispose();
    this._maskFrame.dispose();
    super.dispose();
  }

  private _renderResults(): void {
    const prepared = this._source.prepared;
    if (prepared) {
      this.node.dataset.prepared = String(++this._preparedCount);
    }
    if (!prepared) {
      this._i0Chart.setSeries([]);
      this._i0Chart.setMessage('No optical density yet.');
      this._shiftChart.setSeries([]);
      this._shiftChart.setMessage('No optical density yet.');
      clear(this._shiftTable);
      clear(this._provenance);
      this._maskCaption.textContent = '';
      this._summary.textContent = '';
      renderDecisions(this._decisions, null);
      renderWarnings(this._warnings, []);
      return;
    }
    const e = prepared.stack.energies;
    this._summary.textContent = preparedSummary(prepared, this._source.stack);
    renderDecisions(this._decisions, prepared.provenance);
    renderWarnings(this._warnings, prepared.warnings);
    this._i0Chart.setMessage(null);
    this._i0Chart.setSeries([
      { name: 'I0', color: 'currentColor', x: e, y: prepared.i0, markers: true, legend: false }
    ]);
    const alignment = prepared.provenance.find(s => s.step === 'alignment')?.details;
    const aligned = alignment?.applied === true;
    this._shiftChart.setSeries([
      { name: 'dx (columns)', color: '#0072B2', x: e, y: prepared.shifts.dx, markers: true },
      {
        name: 'dy (rows)',
        color: '#E69F00',
        x: e,
        y: prepared.shifts.dy,
        markers: true,
        dashed: true
      }
    ]);
    const why = typeof alignment?.reason === 'string' ? alignment.reason : 'alignment is off';
    this._shiftChart.setMessage(aligned ? null : `Frames not aligned (${why}): shifts are 0.`);
    this._renderShiftTable(prepared);
    this._renderMask(prepared);
    clear(this._provenance);
    for (const step of prepared.provenance) {
      const li = el('li');
      li.append(
        el('strong', undefined, step.step),
        el('span', undefined, ` ${formatDetails(step.details)}`)
      );
      this._provenance.append(li);
    }
  }

  private _renderShiftTable(prepared: PreparedStack): void {
    const t = this._shiftTable;
    clear(t);
    const head = el('tr');
    for (const h of ['Energy (eV)', 'dx (px)', 'dy (px)', 'I0']) {
      head.append(el('th', undefined, h));
    }
    t.append(el('thead'));
    t.tHead!.append(head);
    const body = el('tbody');
    for (const cells of shiftRows(prepared)) {
      const row = el('tr');
      for (const v of cells) {
        row.append(el('td', undefined, v));
      }
      body.append(row);
    }
    t.append(body);
  }

  private _renderMask(prepared: PreparedStack): void {
    const s = prepared.stack;
    const nx = s.x.length;
    const ny = s.y.length;
    const n = paintRgba(this._maskFrame.canvas, nx, ny, rgba => maskRgba(rgba, prepared.mask));
    if (n !== undefined) {
      this._maskCaption.textContent = `${n} particle pixels of ${nx * ny} (${fmt((100 * n) / (nx * ny), 3)} %), white = particle`;
    }
    this._maskFrame.setGeometry(nx, ny, { x: s.x, y: s.y });
  }

  private _preparedCount = 0;
  private readonly _form: PreprocessForm;
  private readonly _summary: HTMLDivElement;
  private readonly _decisions: HTMLDivElement;
  private readonly _warnings: HTMLUListElement;
  private readonly _i0Chart: LineChart;
  private readonly _shiftChart: LineChart;
  private readonly _maskFrame: ImageFrame;
  private readonly _maskCaption: HTMLDivElement;
  private readonly _shiftTable: HTMLTableElement;
  private readonly _provenance: HTMLOListElement;
}
