/**
 * The spectrum view: the spectrum under the linked cursor (else the particle's
 * mean), the mean spectrum of every drawn ROI, and the references resampled
 * at the stack's energies (markers) over their full curves, each fitted onto
 * the shown spectrum by offset and scale. Optical density when the stack has
 * been pre-processed, raw counts until then. A vertical line marks the energy
 * of the image viewer.
 */
import { Widget } from '@lumino/widgets';

import { oneLine } from '../../core/model/text.js';
import { resampleReferences } from '../../core/model/references.js';
import type { CubeKind, PixelBox, PreparedMeta, StackMeta } from '../../core/model/cube.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { el, fmt } from '../shared/dom.js';
import type { IExportable } from '../shared/figure.js';
import { gridForShape, pixelAt, pixelRange } from '../shared/grid.js';
import type { LinkedCursor } from '../shared/linked.js';
import { LineChart, type ChartSeries } from '../shared/line-chart.js';
import { referenceColor } from '../shared/phase-style.js';
import { fitScale } from './spectrum-fit.js';

const FG = 'currentColor';

/** Spectra the page keeps (of the cube on screen): the ones the cursor passed over last. */
const SPECTRUM_CACHE = 256;

/** What the spectrum view draws: spectra of the stack, its ROIs, the references, ρ at the cursor. */
export type SpectrumInput = Pick<
  IWorkbenchModel,
  | 'stack'
  | 'cube'
  | 'prepared'
  | 'shownResult'
  | 'references'
  | 'effectiveShiftEv'
  | 'rois'
  | 'stackChanged'
  | 'preparedChanged'
  | 'resultChanged'
  | 'referencesChanged'
  | 'paramsChanged'
  | 'roisChanged'
>;

export class SpectrumView extends Widget implements IExportable {
  constructor(
    private readonly _source: SpectrumInput,
    private readonly _cursor: LinkedCursor
  ) {
    super();
    this.addClass('jp-STXMSpectrumView');
    this._header = el('div', 'jp-STXMPanelHeader');
    this._title = el('span', 'jp-STXMPanelTitle', 'Spectrum');
    this._note = el('span', 'jp-STXMSpectrumView-note');
    this._header.append(this._title, this._note);
    this._chart = new LineChart({
      xLabel: 'Energy (eV)',
      yLabel: 'Optical density',
      className: 'jp-STXMSpectrumView-chart',
      title: 'Spectrum under the cursor with the references'
    });
    this.node.append(this._header, this._chart.node);
    _source.stackChanged.connect(this._stackChanged, this);
    _source.referencesChanged.connect(this._schedule, this);
    _source.paramsChanged.connect(this._schedule, this); // the energy shift of the references
    _source.roisChanged.connect(this._schedule, this);
    _source.preparedChanged.connect(this._invalidate, this);
    // a new result changes only the ρ in the legend, and only with a cursor
    _source.resultChanged.connect(() => {
      if (this._cursor.point) {
        this._schedule();
      }
    }, this);
    _cursor.changed.connect(this._schedule, this);
    this._schedule();
  }

  /** The energy shown in the image viewer (a vertical marker). */
  setEnergyIndex(index: number): void {
    this._energyIndex = index;
    this._schedule();
  }

  exportSvg(): SVGSVGElement | null {
    return this._chart.exportSvg();
  }

  /** The series on screen, for the CSV export of spectra. */
  get series(): readonly ChartSeries[] {
    return this._series;
  }

  dispose(): void {
    this._chart.dispose();
    super.dispose();
  }

  /**
   * A new stack (or none): the placeholder changes in the same task as the
   * panel's header, the chart at the next frame. The page, busy with a large
   * stack's first frame, held that frame back by more than 250 ms, and the
   * panel said "No stack loaded." under a loaded stack meanwhile (Galata
   * large-file.spec.ts, 5 runs in 8 with two cores busy).
   */
  private _stackChanged(): void {
    this._placeholder(this._source.stack);
    this._schedule();
  }

  /**
   * Without a stack, or before the first spectrum of a new one, the chart is
   * cleared and says so; a chart of the same stack stays until its update.
   * True when there is no stack.
   */
  private _placeholder(raw: StackMeta | null): raw is null {
    if (!raw) {
      this._chart.setSeries([]);
      this._chart.setMessage('No stack loaded.');
      return true;
    }
    if (this._drawnFor !== raw) {
      this._chart.setSeries([]);
      this._chart.setMessage('Reading the spectrum…');
    }
    return false;
  }

  private _invalidate(): void {
    this._schedule();
  }

  /**
   * A spectrum of the cube on screen, from the page's small cache; null
   * while it is asked of the stack worker (the view updates when it comes).
   * The cache holds the spectra of one cube (stack and OD) and at most
   * `SPECTRUM_CACHE` of them.
   */
  private _spectrum(
    cube: { stack: StackMeta; prepared: PreparedMeta | null },
    kind: CubeKind,
    what: { pixel: [number, number] } | { region: PixelBox | 'mask' }
  ): Float64Array | null {
    if (this._cache.stack !== cube.stack || this._cache.prepared !== cube.prepared) {
      this._cache = { stack: cube.stack, prepared: cube.prepared, spectra: new Map() };
    }
    const cache = this._cache;
    const key = `${kind}:${JSON.stringify(what)}`;
    const hit = cache.spectra.get(key);
    if (hit) {
      // most recent last, so the oldest goes first
      cache.spectra.delete(key);
      cache.spectra.set(key, hit);
      return hit.values;
    }
    const request =
      'pixel' in what
        ? this._source.cube.spectrum(kind, what.pixel[0], what.pixel[1])
        : this._source.cube.meanSpectrum(kind, what.region);
    cache.spectra.set(key, { values: null });
    request.then(
      values => {
        cache.spectra.set(key, { values });
        while (cache.spectra.size > SPECTRUM_CACHE) {
          cache.spectra.delete(cache.spectra.keys().next().value as string);
        }
        if (this._cache === cache) {
          this._schedule();
        }
      },
      (err: unknown) => {
        cache.spectra.delete(key);
        if (this._cache === cache) {
          this._error = oneLine(err);
          this._schedule();
        }
      }
    );
    return null;
  }

  private _schedule(): void {
    if (this._pending) {
      return;
    }
    this._pending = requestAnimationFrame(() => {
      this._pending = 0;
      this._update();
    });
  }

  private _update(): void {
    const raw = this._source.stack;
    const prepared = this._source.prepared;
    const stack: StackMeta | null = prepared?.stack ?? raw;
    if (this._placeholder(raw) || !stack) {
      return;
    }
    const od = prepared !== null || stack.metadata.quantity === 'optical density';
    this._chart.setLabels('Energy (eV)', od ? 'Optical density' : 'Counts');
    const ne = stack.energies.length;
    const ny = stack.y.length;
    const nx = stack.x.length;
    const energies = stack.energies;
    const series: ChartSeries[] = [];
    const grid = { x: stack.x, y: stack.y };
    const point = this._cursor.point;
    const p = point ? pixelAt(grid, point) : null;

    const cube = { stack: raw, prepared };
    const kind: CubeKind = prepared ? 'od' : 'raw';
    let found: Float64Array | null;
    let mainName: string;
    if (p) {
      found = this._spectrum(cube, kind, { pixel: [p.ix, p.iy] });
      mainName = `pixel (${p.ix}, ${p.iy})`;
    } else if (prepared) {
      found = this._spectrum(cube, kind, { region: 'mask' });
      mainName = 'particle mean';
    } else {
      found = this._spectrum(cube, kind, { region: { x0: 0, x1: nx, y0: 0, y1: ny } });
      mainName = 'image mean';
    }
    const roiSpectra = this._source.rois.map(roi => {
      const r = pixelRange(grid, roi.rect);
      return r.x1 > r.x0 && r.y1 > r.y0 ? this._spectrum(cube, kind, { region: r }) : undefined;
    });
    if (this._error) {
      const message = this._error;
      this._error = null;
      this._chart.setMessage(`The spectrum could not be read: ${message}`);
      return;
    }
    if (!found || roiSpectra.some(v => v === null)) {
      // asked of the stack worker: the chart on screen stays until the answer (the worker
      // may be busy pre-processing a large stack for a while); the placeholder is set above
      return;
    }
    const main = found;

    // the result's correlations at the cursor, for the legend
    const rho = new Map<string, number>();
    const result = this._source.shownResult;
    if (result && point) {
      const rg = gridForShape(
        result.shape,
        [grid, raw ? { x: raw.x, y: raw.y } : null],
        result.pixelSize
      );
      const q = pixelAt(rg, point);
      const npx = result.shape[0] * result.shape[1];
      if (q) {
        const i = q.iy * result.shape[1] + q.ix;
        result.phaseNames.forEach((n, k) => {
          const v = result.pcc[k * npx + i];
          if (Number.isFinite(v)) {
            rho.set(n, v);
          }
        });
      }
    }

    // references: markers at the stack's energies, full curves faint, both fitted onto `main`
    const refs = this._source.references;
    let note = '';
    if (refs && od) {
      try {
        const shift = this._source.effectiveShiftEv;
        const res = resampleReferences(refs, energies, shift);
        refs.spectra.forEach((r, n) => {
          const sampled = res.values.subarray(n * ne, (n + 1) * ne);
          const { a, b } = fitScale(sampled, main);
          const color = referenceColor(refs, n);
          const lo = energies.reduce((m, v) => Math.min(m, v), Infinity) - 1;
          const hi = energies.reduce((m, v) => Math.max(m, v), -Infinity) + 1;
          const fx: number[] = [];
          const fy: number[] = [];
          for (let i = 0; i < r.energies.length; i++) {
            const e = r.energies[i] + shift;
            if (e >= lo && e <= hi) {
              fx.push(e);
              fy.push(a + b * r.values[i]);
            }
          }
          series.push({
            name: `${r.name} (fitted)`,
            color,
            x: fx,
            y: fy,
            width: 1.2,
            opacity: 0.55,
            legend: false
          });
          const r2 = rho.get(r.name);
          series.push({
            name: r2 === undefined ? `${r.name} (fitted)` : `${r.name} (fitted, ρ ${fmt(r2, 4)})`,
            color,
            x: energies,
            y: Array.from(sampled, v => a + b * v),
            markers: true,
            noLine: true
          });
        });
        note = 'references fitted by offset and scale';
      } catch (err) {
        note = oneLine(err);
      }
    } else if (refs && !od) {
      note = 'references are compared with optical density (computing…)';
    }

    this._source.rois.forEach((roi, i) => {
      const y = roiSpectra[i];
      if (y) {
        series.push({
          name: roi.name,
          color: roi.color,
          x: energies,
          y,
          markers: true,
          dashed: true,
          width: 1.5
        });
      }
    });
    series.push({ name: mainName, color: FG, x: energies, y: main, markers: true, width: 2 });

    this._series = series;
    this._drawnFor = raw;
    this._chart.setSeries(series);
    this._chart.setMessage(null);
    const e = Math.min(this._energyIndex, ne - 1);
    this._chart.setMarkerX(energies[e] ?? null);
    this._title.textContent = `Spectrum — ${mainName}`;
    this._note.textContent = note
      ? `${note} · marker at ${fmt(energies[e])} eV`
      : `marker at ${fmt(energies[e])} eV`;
  }

  private readonly _chart: LineChart;
  private readonly _header: HTMLDivElement;
  private readonly _title: HTMLSpanElement;
  private readonly _note: HTMLSpanElement;
  private _energyIndex = 0;
  private _pending = 0;
  private _series: ChartSeries[] = [];
  private _cache: {
    stack: StackMeta | null;
    prepared: PreparedMeta | null;
    spectra: Map<string, { values: Float64Array | null }>;
  } = { stack: null, prepared: null, spectra: new Map() };
  private _error: string | null = null;
  /** The stack whose spectra the chart shows (none yet: null). */
  private _drawnFor: StackMeta | null = null;
}
