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
import type { PreprocessParams } from '../../core/model/result.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import {
  basename,
  button,
  checkbox,
  clear,
  el,
  fmt,
  labelled,
  numberInput,
  select,
  setText
} from '../shared/dom.js';
import { currentTheme, FigureBuilder, type IExportable } from '../shared/figure.js';
import { ImageFrame } from '../shared/image-frame.js';
import { LineChart } from '../shared/line-chart.js';
import type { IWorkbenchActions } from '../shared/actions.js';
import { renderWarnings, warningList } from '../shared/warnings.js';
import { renderDecisions } from './decisions-list.js';

/** What the pre-processing tab draws (its controls, the prepared stack) and the parameters it sets. */
export type PreprocessInput = Pick<
  IWorkbenchModel,
  | 'params'
  | 'stack'
  | 'references'
  | 'prepared'
  | 'prepareState'
  | 'prepareError'
  | 'effectiveShiftEv'
  | 'paramsChanged'
  | 'stackChanged'
  | 'referencesChanged'
  | 'prepareStateChanged'
  | 'preparedChanged'
  | 'setParams'
>;

export class PreprocessView extends Widget implements IExportable {
  constructor(
    private readonly _source: PreprocessInput,
    private readonly _drawI0: () => void,
    private readonly _actions: IWorkbenchActions
  ) {
    super();
    this.addClass('jp-STXMPreprocessView');
    this.addClass('jp-STXMScroll');
    const form = el('div', 'jp-STXMToolbar jp-STXMPreprocessView-form');
    this._i0Mode = select<'auto' | 'roi' | 'spectrum'>(
      [
        { value: 'auto', label: 'Automatic (bright background)' },
        { value: 'roi', label: 'Region on the image' },
        { value: 'spectrum', label: 'Measured I0 spectrum (file)' }
      ],
      'auto',
      v => {
        if (v === 'auto') {
          this._set({ i0: { mode: 'auto' } });
        } else if (v === 'roi') {
          this._drawI0();
        } else {
          this._i0Mode.value = this._source.params.preprocess.i0.mode;
          this._actions.loadI0Spectrum();
        }
      },
      'jp-STXMPreprocessView-i0'
    );
    this._dwell = checkbox(true, v => this._set({ dwell: v }), 'jp-STXMPreprocessView-dwell');
    this._interp = select<'linear' | 'cubic'>(
      [
        { value: 'linear', label: 'linear' },
        { value: 'cubic', label: 'cubic' }
      ],
      'linear',
      v => this._set({ alignInterpolation: v }),
      'jp-STXMPreprocessView-interp'
    );
    this._interp.setAttribute('aria-label', 'Resampling of shifted frames');
    this._interp.title = 'How shifted frames are resampled (linear: no overshoot at edges)';
    this._autoShift = select<'auto' | 'fixed' | 'off'>(
      [
        { value: 'auto', label: 'automatic' },
        { value: 'fixed', label: 'fixed (References tab)' },
        { value: 'off', label: 'off' }
      ],
      'auto',
      v =>
        this._set({
          energyShift: v === 'auto' ? 'auto' : v === 'off' ? 0 : this._source.effectiveShiftEv
        }),
      'jp-STXMPreprocessView-autoShift'
    );
    this._autoShift.setAttribute('aria-label', 'Energy calibration of the references');
    this._ring = checkbox(true, v => this._set({ ringCurrent: v }), 'jp-STXMPreprocessView-ring');
    this._align = select<'auto' | 'on' | 'off'>(
      [
        { value: 'auto', label: 'automatic' },
        { value: 'on', label: 'on' },
        { value: 'off', label: 'off' }
      ],
      'auto',
      v => this._set({ align: v === 'auto' ? 'auto' : v === 'on' }),
      'jp-STXMPreprocessView-align'
    );
    this._align.setAttribute('aria-label', 'Frame alignment');
    this._maskMode = select<'otsu' | 'threshold'>(
      [
        { value: 'otsu', label: 'Otsu on mean OD' },
        { value: 'threshold', label: 'Mean OD above…' }
      ],
      'otsu',
      v =>
        this._set({
          mask:
            v === 'otsu'
              ? { mode: 'otsu' }
              : { mode: 'threshold', od: Number(this._maskOd.value) || 0.1 }
        }),
      'jp-STXMPreprocessView-maskMode'
    );
    this._maskOd = numberInput(0.1, { step: 0.01, min: 0 }, v =>
      this._set({ mask: { mode: 'threshold', od: v } })
    );
    this._maskOd.setAttribute('aria-label', 'Mean OD threshold of the mask');
    this._binning = select<string>(
      ['1', '2', '3', '4'].map(v => ({ value: v, label: v === '1' ? 'none' : `${v} × ${v}` })),
      '1',
      v => this._set({ binning: Number(v) }),
      'jp-STXMPreprocessView-binning'
    );
    form.append(
      labelled('I0', this._i0Mode),
      button('Draw I0 region', 'jp-STXMPreprocessView-drawI0', () => this._drawI0()),
      labelled('Ring current', this._ring, 'jp-mod-inline'),
      labelled('Dwell', this._dwell, 'jp-mod-inline'),
      labelled('Align frames', this._align),
      this._interp,
      labelled('Calibrate energy', this._autoShift),
      labelled('Mask', this._maskMode),
      this._maskOd,
      labelled('Binning', this._binning)
    );
    this._status = el('div', 'jp-STXMView-message');
    this._status.setAttribute('role', 'status');
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
      form,
      this._status,
      this._decisions,
      this._warnings,
      this._summary,
      figures,
      el('h3', 'jp-STXMSubhead', 'Shifts per energy'),
      this._shiftTable,
      el('h3', 'jp-STXMSubhead', 'Steps'),
      this._provenance
    );
    _source.paramsChanged.connect(this._renderControls, this);
    _source.stackChanged.connect(this._renderControls, this);
    _source.referencesChanged.connect(this._renderControls, this);
    _source.prepareStateChanged.connect(this._renderControls, this);
    _source.preparedChanged.connect(this._renderResults, this);
    this._renderControls();
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
    this._i0Chart.dispose();
    this._shiftChart.dispose();
    this._maskFrame.dispose();
    super.dispose();
  }

  private _set(p: Partial<PreprocessParams>): void {
    try {
      this._source.setParams({ preprocess: p });
    } catch (err) {
      // refused by the parameter model: nothing was stored; say why where the user looks
      this._renderControls();
      this._status.classList.add('jp-STXMView-error');
      this._status.textContent = err instanceof Error ? err.message : String(err);
    }
  }

  private _renderControls(): void {
    const p = this._source.params.preprocess;
    this._i0Mode.value = p.i0.mode;
    this._ring.checked = p.ringCurrent;
    this._ring.disabled = !this._source.stack?.control;
    this._ring.title = this._ring.disabled ? 'The file has no ring current (control) record' : '';
    this._align.value = p.align === 'auto' ? 'auto' : p.align ? 'on' : 'off';
    this._align.title =
      'automatic: measure the drift of the frames and align them when it reaches ' +
      `${p.alignMinDriftPx} px`;
    this._interp.value = p.alignInterpolation;
    this._interp.disabled = p.align === false;
    this._dwell.checked = p.dwell;
    this._autoShift.value =
      p.energyShift === 'auto' ? 'auto' : p.energyShift === 0 ? 'off' : 'fixed';
    this._autoShift.title = this._source.references
      ? 'automatic: estimate the global energy shift that best matches the references, apply it when the estimate is trustworthy'
      : 'Needs references';
    this._maskMode.value = p.mask.mode;
    this._maskOd.hidden = p.mask.mode !== 'threshold';
    if (p.mask.mode === 'threshold' && document.activeElement !== this._maskOd) {
      this._maskOd.value = String(p.mask.od);
    }
    this._binning.value = String(p.binning);
    const state = this._source.prepareState;
    this._status.className = 'jp-STXMView-message';
    this.node.dataset.prepareState = state;
    if (state === 'running') {
      this._status.textContent = 'Computing the optical density…';
    } else if (state === 'failed') {
      this._status.classList.add('jp-STXMView-error');
      setText(this._status, this._source.prepareError ?? 'Pre-processing failed.');
    } else if (!this._source.stack) {
      this._status.textContent = 'No stack loaded.';
    } else {
      this._status.textContent = '';
    }
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
    const raw = this._source.stack;
    const parts: string[] = [
      `${e.length} energies × ${prepared.stack.y.length} × ${prepared.stack.x.length} px of optical density`
    ];
    if (prepared.crop && raw) {
      const c = prepared.crop;
      if (c.x1 - c.x0 !== raw.x.length || c.y1 - c.y0 !== raw.y.length) {
        parts.push(`cropped to x ${c.x0}–${c.x1}, y ${c.y0}–${c.y1} (the area every frame covers)`);
      }
    }
    if (prepared.binning && prepared.binning > 1) {
      parts.push(`binned ${prepared.binning} × ${prepared.binning}`);
    }
    if (prepared.droppedFrames?.length && raw) {
      parts.push(
        `dropped frames at ${prepared.droppedFrames.map(i => fmt(raw.energies[i], 6)).join(', ')} eV`
      );
    }
    this._summary.textContent = parts.join(' · ');
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
    const e = prepared.stack.energies;
    for (let i = 0; i < e.length; i++) {
      const row = el('tr');
      for (const v of [
        fmt(e[i], 6),
        fmt(prepared.shifts.dx[i], 3),
        fmt(prepared.shifts.dy[i], 3),
        fmt(prepared.i0[i])
      ]) {
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
    const c = this._maskFrame.canvas;
    c.width = nx;
    c.height = ny;
    const ctx = c.getContext('2d');
    if (ctx) {
      const img = ctx.createImageData(nx, ny);
      let n = 0;
      for (let p = 0; p < nx * ny; p++) {
        const on = prepared.mask[p] === 1;
        n += on ? 1 : 0;
        const v = on ? 230 : 40;
        img.data.set([v, v, v, 255], p * 4);
      }
      ctx.putImageData(img, 0, 0);
      this._maskCaption.textContent = `${n} particle pixels of ${nx * ny} (${fmt((100 * n) / (nx * ny), 3)} %), white = particle`;
    }
    this._maskFrame.setGeometry(nx, ny, { x: s.x, y: s.y });
  }

  private _preparedCount = 0;
  private readonly _i0Mode: HTMLSelectElement;
  private readonly _dwell: HTMLInputElement;
  private readonly _interp: HTMLSelectElement;
  private readonly _autoShift: HTMLSelectElement;
  private readonly _ring: HTMLInputElement;
  private readonly _align: HTMLSelectElement;
  private readonly _maskMode: HTMLSelectElement;
  private readonly _maskOd: HTMLInputElement;
  private readonly _binning: HTMLSelectElement;
  private readonly _status: HTMLDivElement;
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

function formatDetails(d: Record<string, string | number | boolean | number[] | null>): string {
  return Object.entries(d)
    .map(([k, v]) => {
      if (Array.isArray(v)) {
        const head = v
          .slice(0, 6)
          .map(x => fmt(x))
          .join(', ');
        return `${k}: [${head}${v.length > 6 ? `, … (${v.length})` : ''}]`;
      }
      return `${k}: ${typeof v === 'number' ? fmt(v) : String(v)}`;
    })
    .join(' · ');
}
