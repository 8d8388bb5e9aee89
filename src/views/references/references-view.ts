/**
 * The reference manager: load a references CSV (from the Jupyter file
 * browser, by upload, or the demo's model spectra), rename phases, choose
 * their colours, set the global energy shift, remove a reference; the curves
 * with the stack's energies marked on them. Names are set as `value` or
 * `textContent`, never as HTML.
 */
import { Widget } from '@lumino/widgets';

import { oneLine } from '../../core/model/text.js';
import { resampleReferences } from '../../core/model/references.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { button, clear, el, fmt, labelled, numberInput, setText } from '../shared/dom.js';
import type { IExportable } from '../shared/figure.js';
import { LineChart, type ChartSeries } from '../shared/line-chart.js';
import { referenceColor } from '../shared/phase-style.js';
import type { IWorkbenchActions } from '../shared/actions.js';

/** What the reference manager draws (the set, its coverage of the stack) and the edits it makes. */
export type ReferencesInput = Pick<
  IWorkbenchModel,
  | 'references'
  | 'referencesError'
  | 'stack'
  | 'params'
  | 'effectiveShiftEv'
  | 'referencesChanged'
  | 'paramsChanged'
  | 'stackChanged'
  | 'preparedChanged'
  | 'setParams'
  | 'setReferenceColor'
  | 'renameReference'
  | 'setReferencesError'
  | 'removeReference'
>;

export class ReferencesView extends Widget implements IExportable {
  constructor(
    private readonly _source: ReferencesInput,
    actions: IWorkbenchActions
  ) {
    super();
    this.addClass('jp-STXMReferencesView');
    this.addClass('jp-STXMScroll');
    const bar = el('div', 'jp-STXMToolbar');
    const fileInput = el('input', 'jp-STXMReferencesView-file');
    fileInput.type = 'file';
    fileInput.accept = actions.referenceFileTypes.join(',');
    fileInput.multiple = true;
    fileInput.hidden = true;
    fileInput.addEventListener('change', () => {
      const files = Array.from(fileInput.files ?? []);
      if (files.length) {
        actions.loadReferencesFiles(files);
      }
      fileInput.value = '';
    });
    this._shift = numberInput(0, { step: 0.05, className: 'jp-STXMReferencesView-shift' }, v => {
      try {
        this._source.setParams({ preprocess: { energyShift: v } });
      } catch (err) {
        // refused by the parameter model (e.g. beyond ±20 eV): nothing was stored
        this._message.className = 'jp-STXMView-message jp-STXMView-error';
        this._message.textContent = err instanceof Error ? err.message : String(err);
      }
    });
    this._shift.setAttribute('aria-label', 'Energy shift of the references (eV)');
    bar.append(
      button(
        'Load files…',
        'jp-STXMReferencesView-load',
        () => actions.loadReferencesFromServer(),
        'Choose reference files (CSV, or two-column text: .txt .xas .dat .nor .xmu) in the Jupyter file browser'
      ),
      button(
        'Upload…',
        'jp-STXMReferencesView-upload',
        () => fileInput.click(),
        'Upload reference files from this computer'
      ),
      button(
        'Demo references',
        'jp-STXMReferencesView-demo',
        () => actions.loadDemoReferences(),
        'Model NVPF spectra of the simulator (for the demo stacks)'
      ),
      fileInput,
      labelled('Energy shift (eV)', this._shift)
    );
    this._message = el('div', 'jp-STXMView-message');
    this._message.setAttribute('role', 'status');
    this._table = el('table', 'jp-STXMTable jp-STXMReferencesView-table');
    this._chart = new LineChart({
      xLabel: 'Energy (eV)',
      yLabel: 'Absorption (reference units)',
      height: 260,
      title: 'Reference spectra'
    });
    this._help = el(
      'p',
      'jp-STXMHelp',
      'A references CSV has a header row; the first column is the energy in eV ("energy_eV"), ' +
        'then one column per phase whose header is the phase name (comma or tab separated, ' +
        '# comments). Two-column text files (.txt .xas .dat .nor .xmu: energy, value; the name ' +
        'from a "# name:" comment, a header or the file name) can be chosen together and are ' +
        'combined into one set.'
    );
    this.node.append(bar, this._message, this._table, this._chart.node, this._help);
    _source.referencesChanged.connect(this._render, this);
    _source.stackChanged.connect(this._render, this);
    // the energy shift in effect: a parameter, or found on the prepared stack
    _source.paramsChanged.connect(this._render, this);
    _source.preparedChanged.connect(this._render, this);
    this._render();
  }

  exportSvg(): SVGSVGElement | null {
    return this._source.references ? this._chart.exportSvg() : null;
  }

  dispose(): void {
    this._chart.dispose();
    super.dispose();
  }

  private _render(): void {
    const refs = this._source.references;
    const shift = this._source.effectiveShiftEv;
    const auto = this._source.params.preprocess.energyShift === 'auto';
    if (document.activeElement !== this._shift) {
      this._shift.value = String(Number(shift.toFixed(4)));
    }
    this._shift.disabled = auto;
    this._shift.title = auto
      ? 'Found by the automatic energy calibration (Pre-processing tab)'
      : 'Global shift added to every reference energy';
    const error = this._source.referencesError;
    this._message.className = 'jp-STXMView-message';
    this._message.textContent = '';
    if (error) {
      this._message.classList.add('jp-STXMView-error');
      setText(this._message, error);
    } else if (!refs) {
      this._message.textContent =
        'No reference spectra yet: load a CSV to compute phase maps (the demo stack comes with one).';
    } else if (this._coverage) {
      this._message.classList.add('jp-STXMView-error');
      this._message.textContent = this._coverage;
    }
    this.node.dataset.references = String(refs?.spectra.length ?? 0);
    const stack = this._source.stack;
    if (refs === this._lastRefs && stack === this._lastStack && shift === this._lastShift) {
      return; // nothing the table or the chart shows has changed
    }
    this._lastRefs = refs;
    this._lastStack = stack;
    this._lastShift = shift;
    this._renderTable();
    const series: ChartSeries[] = [];
    let coverage = '';
    if (refs) {
      refs.spectra.forEach((r, n) => {
        const color = referenceColor(refs, n);
        series.push({
          name: r.name,
          color,
          x: Array.from(r.energies, e => e + shift),
          y: r.values,
          width: 1.6
        });
      });
      if (stack) {
        try {
          const res = resampleReferences(refs, stack.energies, shift);
          const ne = stack.energies.length;
          refs.spectra.forEach((_, n) => {
            series.push({
              name: `at stack energies`,
              color: referenceColor(refs, n),
              x: stack.energies,
              y: res.values.subarray(n * ne, (n + 1) * ne),
              markers: true,
              noLine: true,
              legend: false
            });
          });
        } catch (err) {
          coverage = oneLine(err);
        }
      }
    }
    this._chart.setSeries(series);
    this._chart.setMessage(refs ? null : 'No references loaded.');
    this._coverage = coverage;
    if (coverage && !error) {
      this._message.classList.add('jp-STXMView-error');
      this._message.textContent = coverage;
    }
  }

  private _renderTable(): void {
    const refs = this._source.references;
    const t = this._table;
    clear(t);
    t.hidden = !refs;
    if (!refs) {
      return;
    }
    const head = el('tr');
    for (const h of ['Colour', 'Phase name', 'Energy range', 'Points', 'Source', '']) {
      head.append(el('th', undefined, h));
    }
    t.append(el('thead'));
    t.tHead!.append(head);
    const body = el('tbody');
    refs.spectra.forEach((r, n) => {
      const row = el('tr');
      const color = el('input', 'jp-STXMReferencesView-color');
      color.type = 'color';
      color.value = referenceColor(refs, n);
      color.setAttribute('aria-label', `Colour of ${r.name}`);
      color.addEventListener('change', () => this._source.setReferenceColor(n, color.value));
      const name = el('input', 'jp-STXMReferencesView-name');
      name.type = 'text';
      name.value = r.name;
      name.setAttribute('aria-label', `Name of reference ${n + 1}`);
      name.addEventListener('change', () => {
        try {
          this._source.renameReference(n, name.value);
          this._source.setReferencesError(null);
        } catch (err) {
          name.value = r.name;
          this._source.setReferencesError(`Cannot rename "${r.name}": ${oneLine(err)}`);
        }
      });
      const remove = button('Remove', 'jp-STXMReferencesView-remove', () =>
        this._source.removeReference(n)
      );
      remove.setAttribute('aria-label', `Remove reference ${r.name}`);
      const cells: (HTMLElement | string)[] = [
        color,
        name,
        `${fmt(r.energies[0])}–${fmt(r.energies[r.energies.length - 1])} eV`,
        String(r.energies.length),
        r.source ?? refs.source,
        remove
      ];
      for (const c of cells) {
        const td = el('td');
        if (typeof c === 'string') {
          setText(td, c);
        } else {
          td.append(c);
        }
        row.append(td);
      }
      body.append(row);
    });
    t.append(body);
  }

  private _lastRefs: unknown = undefined;
  private _lastStack: unknown = undefined;
  private _lastShift = Number.NaN;
  private _coverage = '';
  private readonly _shift: HTMLInputElement;
  private readonly _message: HTMLDivElement;
  private readonly _table: HTMLTableElement;
  private readonly _chart: LineChart;
  private readonly _help: HTMLParagraphElement;
}
