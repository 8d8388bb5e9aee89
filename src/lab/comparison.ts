/**
 * The comparison view in the main area: one per JupyterLab window, fed by the
 * open workbenches (it follows them as they open, close and get results),
 * exported through the contents API into the folder of its first stack.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, Notification, WidgetTracker } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';

import { oneLine } from '../core/io/errors.js';
import { ComparisonView, type ComparisonEntry } from '../views/comparison/comparison-view.js';
import { serializeSvg, svgToPng } from '../views/shared/figure.js';
import { comparisonCsv } from './csv.js';
import { freePath, saveBytes, saveText } from './export.js';
import type { IStxmTracker } from './tokens.js';
import { COMPARISON_NAMESPACE } from './tokens.js';

export type ComparisonWidget = MainAreaWidget<ComparisonView>;

export class ComparisonManager {
  constructor(
    private readonly _app: JupyterFrontEnd,
    private readonly _stacks: IStxmTracker
  ) {
    this.tracker = new WidgetTracker<ComparisonWidget>({ namespace: COMPARISON_NAMESPACE });
    _stacks.widgetAdded.connect(this._refresh, this);
    _stacks.currentChanged.connect(this._refresh, this);
  }

  readonly tracker: WidgetTracker<ComparisonWidget>;

  /** Open (or reveal) the comparison view. */
  open(): ComparisonWidget {
    if (this._widget && !this._widget.isDisposed) {
      this._app.shell.activateById(this._widget.id);
      this._refresh();
      return this._widget;
    }
    const view = new ComparisonView({
      exportView: format => void this.exportView(format),
      exportCsv: () => void this.exportCsv()
    });
    const widget = new MainAreaWidget({ content: view });
    widget.id = 'stxm-phasemap-comparison';
    widget.title.label = 'STXM comparison';
    widget.title.caption = 'Final phase maps and fractions of several stacks (states of charge)';
    widget.title.closable = true;
    widget.addClass('jp-STXMComparison');
    this._widget = widget;
    this._app.shell.add(widget, 'main');
    void this.tracker.add(widget);
    this._refresh();
    return widget;
  }

  async exportView(format: 'png' | 'svg'): Promise<string | null> {
    const view = this._widget?.content;
    try {
      const svg = view?.exportSvg();
      if (!view || !svg) {
        throw new Error('no stack with a result to compare yet');
      }
      const path = await freePath(
        this._app.serviceManager.contents,
        this._anchor(),
        'comparison',
        format
      );
      if (format === 'svg') {
        await saveText(this._app.serviceManager.contents, path, serializeSvg(svg));
      } else {
        await saveBytes(this._app.serviceManager.contents, path, await svgToPng(svg, 2));
      }
      Notification.success(`Saved ${path}`, { autoClose: 4000 });
      return path;
    } catch (err) {
      Notification.error(`Export failed: ${oneLine(err)}`, { autoClose: false });
      return null;
    }
  }

  async exportCsv(): Promise<string | null> {
    const view = this._widget?.content;
    try {
      const shown = view?.shown ?? [];
      if (shown.length === 0) {
        throw new Error('no stack with a result to compare yet');
      }
      // the complete results (a τ move in its first step is finished), by stack
      const text = comparisonCsv(
        shown.map(e => ({
          file: e.id,
          stateOfCharge: e.source.stateOfCharge,
          result:
            this._stacks.find(d => d.context.path === e.id)?.model.result ?? e.source.shownResult!
        }))
      );
      const path = await freePath(
        this._app.serviceManager.contents,
        this._anchor(),
        'comparison',
        'csv'
      );
      await saveText(this._app.serviceManager.contents, path, text);
      Notification.success(`Saved ${path}`, { autoClose: 4000 });
      return path;
    } catch (err) {
      Notification.error(`Export failed: ${oneLine(err)}`, { autoClose: false });
      return null;
    }
  }

  /** Exports go next to the first stack shown: `<dir>/<stem>_comparison.png`. */
  private _anchor(): string {
    return this._widget?.content.shown[0]?.id ?? 'stxm';
  }

  private _refresh(): void {
    const view = this._widget?.content;
    if (!view || view.isDisposed) {
      return;
    }
    const entries: ComparisonEntry[] = [];
    this._stacks.forEach(doc => {
      if (!doc.isDisposed) {
        entries.push({
          id: doc.context.path,
          label: PathExt.basename(doc.context.path),
          source: doc.model
        });
        if (!this._watched.has(doc)) {
          this._watched.add(doc);
          doc.disposed.connect(() => {
            this._watched.delete(doc);
            // the tracker drops it after this signal: refresh on the next tick
            setTimeout(() => this._refresh(), 0);
          });
        }
      }
    });
    view.setEntries(entries);
  }

  private _widget: ComparisonWidget | null = null;
  private readonly _watched = new Set<object>();
}
