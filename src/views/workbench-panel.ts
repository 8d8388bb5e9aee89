/**
 * The workbench panel of one stack (the document's content): a header
 * (file, shape, pixel size, status), the run bar, and the sub-views in a
 * Lumino layout — on the left the image viewer, the reference manager and
 * the pre-processing tabs above the spectrum view; on the right the maps,
 * the latent space and the run's story. It owns what the sub-views share:
 * the linked cursor and the brushed selection.
 */
import { MessageLoop } from '@lumino/messaging';
import { Panel, SplitPanel, TabPanel, Widget } from '@lumino/widgets';

import type { ResolutionMethodInfo } from '../core/analysis/methods/types.js';
import type { IWorkbenchModel } from '../lab/model-types.js';
import type { ColormapName } from './shared/colormap.js';
import { el, setText } from './shared/dom.js';
import type { IExportable } from './shared/figure.js';
import { LatentView } from './latent/latent-view.js';
import { LinkedCursor, PixelSelection } from './shared/linked.js';
import { MapsView } from './maps/maps-view.js';
import { PreprocessView } from './preprocess/preprocess-view.js';
import { ReferencesView } from './references/references-view.js';
import { RunBar } from './run/run-bar.js';
import type { ExportableViewId, IWorkbenchActions } from './shared/actions.js';
import { SpectrumView } from './spectrum/spectrum-view.js';
import { formatLength } from './stack/stack-text.js';
import { StackView } from './stack/stack-view.js';
import { TrainingView } from './run/training-view.js';

/** What the layout restorer keeps of a workbench panel's layout. */
export interface WorkbenchLayoutState {
  leftTab: number;
  rightTab: number;
  sizes: number[];
  leftSizes: number[];
}

const VIEW_LABELS: Record<ExportableViewId, string> = {
  image: 'the image',
  spectrum: 'the spectrum',
  references: 'the references',
  preprocess: 'the pre-processing',
  maps: 'the maps',
  latent: 'the latent space',
  training: 'the training'
};

/**
 * The panel renders the model (it hands each view the part it draws) and
 * owns what the views share: the linked cursor and the brushed selection.
 */
export class WorkbenchPanel extends Panel {
  constructor(
    readonly model: IWorkbenchModel,
    actions: IWorkbenchActions,
    options: {
      colormap?: ColormapName;
      /** The resolution methods the run bar offers (the analysis registry's). */
      methods: readonly ResolutionMethodInfo[];
    }
  ) {
    super();
    this.addClass('jp-STXMView');
    this._methods = options.methods;
    this.cursor = new LinkedCursor();
    this.selection = new PixelSelection();

    const header = new Widget();
    header.addClass('jp-STXMView-header');
    this._title = el('div', 'jp-STXMView-title');
    this._details = el('div', 'jp-STXMView-details');
    this._pixelSize = el('span', 'jp-STXMView-pixelSize');
    this._shape = el('span', 'jp-STXMView-shape');
    this._energies = el('span', 'jp-STXMView-energies');
    this._details.append(this._shape, this._pixelSize, this._energies);
    this._message = el('div', 'jp-STXMView-message');
    this._message.setAttribute('role', 'status');
    header.node.append(this._title, this._details, this._message);

    this.image = new StackView(model, this.cursor, { colormap: options.colormap });
    this.spectrum = new SpectrumView(model, this.cursor);
    this.references = new ReferencesView(model, actions);
    this.preprocess = new PreprocessView(
      model,
      () => {
        this._left.currentWidget = this.image;
        this.image.setTool('i0');
      },
      actions
    );
    this.maps = new MapsView(model, this.cursor, this.selection, { colormap: options.colormap });
    this.latent = new LatentView(model, this.cursor, this.selection);
    this.training = new TrainingView(model);
    this.image.energyChanged.connect((_, e) => this.spectrum.setEnergyIndex(e));

    this.runBar = new RunBar(
      model,
      actions,
      () => {
        const id = this.currentViewId;
        return { id, label: VIEW_LABELS[id] };
      },
      this._methods
    );

    const tab = (w: Widget, label: string, id: ExportableViewId): Widget => {
      w.title.label = label;
      w.title.className = `jp-STXMTab-${id}`;
      w.title.caption = label;
      w.node.dataset.view = id;
      return w;
    };
    this._left = new TabPanel({ tabsMovable: false });
    this._left.addClass('jp-STXMTabs');
    this._left.addWidget(tab(this.image, 'Image', 'image'));
    this._left.addWidget(tab(this.references, 'References', 'references'));
    this._left.addWidget(tab(this.preprocess, 'Pre-processing', 'preprocess'));
    this._right = new TabPanel({ tabsMovable: false });
    this._right.addClass('jp-STXMTabs');
    this._right.addWidget(tab(this.maps, 'Maps', 'maps'));
    this._right.addWidget(tab(this.latent, 'Latent space', 'latent'));
    this._right.addWidget(tab(this.training, 'Training & run', 'training'));
    tab(this.spectrum, 'Spectrum', 'spectrum');

    this._leftSplit = new SplitPanel({ orientation: 'vertical', spacing: 4 });
    this._leftSplit.addClass('jp-STXMView-leftSplit');
    this._leftSplit.addWidget(this._left);
    this._leftSplit.addWidget(this.spectrum);
    this._leftSplit.setRelativeSizes([0.64, 0.36]);
    this._body = new SplitPanel({ orientation: 'horizontal', spacing: 4 });
    this._body.addClass('jp-STXMView-body');
    this._body.addWidget(this._leftSplit);
    this._body.addWidget(this._right);
    this._body.setRelativeSizes([0.45, 0.55]);

    this.addWidget(header);
    this.addWidget(this.runBar);
    this.addWidget(this._body);
    this.node.tabIndex = -1;

    // which view "this view" means for export: the last one the user touched
    for (const [w, id] of [
      [this.image, 'image'],
      [this.spectrum, 'spectrum'],
      [this.references, 'references'],
      [this.preprocess, 'preprocess'],
      [this.maps, 'maps'],
      [this.latent, 'latent'],
      [this.training, 'training']
    ] as [Widget, ExportableViewId][]) {
      w.node.addEventListener('pointerdown', () => (this._current = id), true);
      w.node.addEventListener('focusin', () => (this._current = id));
    }
    this._left.currentChanged.connect((_, a) => {
      if (a.currentWidget) {
        this._current = a.currentWidget.node.dataset.view as ExportableViewId;
      }
    });
    this._right.currentChanged.connect((_, a) => {
      if (a.currentWidget) {
        this._current = a.currentWidget.node.dataset.view as ExportableViewId;
      }
    });

    this._resize = new ResizeObserver(() => {
      if (this._body.isAttached) {
        MessageLoop.sendMessage(this._body, Widget.ResizeMessage.UnknownSize);
      }
    });
    this._resize.observe(this._body.node);

    model.stackChanged.connect(this._render, this);
    model.loadProgressChanged.connect(this._showLoadProgress, this);
    model.runStateChanged.connect(this._render, this);
    model.resultChanged.connect(this._onResult, this);
    this._render();
  }

  readonly cursor: LinkedCursor;
  readonly selection: PixelSelection;
  readonly image: StackView;
  readonly spectrum: SpectrumView;
  readonly references: ReferencesView;
  readonly preprocess: PreprocessView;
  readonly maps: MapsView;
  readonly latent: LatentView;
  readonly training: TrainingView;
  readonly runBar: RunBar;

  /** The view export and the palette's "this view" refer to. */
  get currentViewId(): ExportableViewId {
    return this._current;
  }

  set colormap(name: ColormapName) {
    this.image.colormap = name;
    this.maps.colormap = name;
  }

  /** Bring a view to the front. */
  showView(id: ExportableViewId): void {
    const v = this.view(id);
    if (v === this.image || v === this.references || v === this.preprocess) {
      this._left.currentWidget = v;
    } else if (v === this.maps || v === this.latent || v === this.training) {
      this._right.currentWidget = v;
    }
    this._current = id;
  }

  view(id: ExportableViewId): Widget & IExportable {
    switch (id) {
      case 'image':
        return this.image;
      case 'spectrum':
        return this.spectrum;
      case 'references':
        return this.references;
      case 'preprocess':
        return this.preprocess;
      case 'maps':
        return this.maps;
      case 'latent':
        return this.latent;
      case 'training':
        return this.training;
    }
  }

  get layoutState(): WorkbenchLayoutState {
    return {
      leftTab: this._left.currentIndex,
      rightTab: this._right.currentIndex,
      sizes: this._body.relativeSizes(),
      leftSizes: this._leftSplit.relativeSizes()
    };
  }

  set layoutState(s: WorkbenchLayoutState) {
    if (s.leftTab >= 0 && s.leftTab < this._left.widgets.length) {
      this._left.currentIndex = s.leftTab;
    }
    if (s.rightTab >= 0 && s.rightTab < this._right.widgets.length) {
      this._right.currentIndex = s.rightTab;
    }
    if (s.sizes?.length === 2) {
      this._body.setRelativeSizes(s.sizes);
    }
    if (s.leftSizes?.length === 2) {
      this._leftSplit.setRelativeSizes(s.leftSizes);
    }
  }

  /** Layout changes (tabs, splitters) for the state database. */
  get layoutChanged(): { connect(fn: () => void): void } {
    return {
      connect: (fn: () => void) => {
        this._left.currentChanged.connect(fn);
        this._right.currentChanged.connect(fn);
        this._body.handleMoved.connect(fn);
        this._leftSplit.handleMoved.connect(fn);
      }
    };
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._resize.disconnect();
    this.cursor.dispose();
    this.selection.dispose();
    super.dispose();
  }

  private _onResult(): void {
    if (this.model.shownResult && this.model.runState === 'running') {
      return;
    }
    if (this.model.shownResult && this._lastResultRun !== this.model.shownResult.provenance) {
      // a new run (not a τ move): show its maps
      this._lastResultRun = this.model.shownResult.provenance;
      this.selection.clear();
      this._right.currentWidget = this.maps;
    }
  }

  /** While a file loads: a progress bar of the cube read so far, with its percentage. */
  private _showLoadProgress(): void {
    const p = this.model.loadProgress;
    if (this.model.status !== 'loading' || !p) {
      return;
    }
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const percent = Math.round(100 * fraction);
    this._message.textContent = `Loading stack… ${percent} %`;
    const bar = document.createElement('progress');
    bar.className = 'jp-STXMView-loadProgress';
    bar.max = 1;
    bar.value = fraction;
    bar.setAttribute('aria-label', 'stack read');
    bar.title = `${percent} % of the stack read`;
    this._message.append(bar);
  }

  private _render(): void {
    const { status, info, error, stack, path } = this.model;
    const runState = this.model.runState;
    if (
      runState === 'running' &&
      this._lastRunState !== 'running' &&
      this._methods.find(m => m.id === this.model.params.method)?.trainsModel
    ) {
      // a model is trained: show its loss curve while it learns
      this._right.currentWidget = this.training;
    }
    this._lastRunState = runState;
    this.node.dataset.status = status;
    this.node.dataset.runState = this.model.runState;
    this._message.className = 'jp-STXMView-message';
    this._message.textContent = '';
    if (status === 'loading') {
      this._message.textContent = 'Loading stack…';
      this._showLoadProgress();
    } else if (status === 'error') {
      this._message.classList.add('jp-STXMView-error');
      setText(this._message, error ?? 'The stack could not be read.');
    }
    setText(this._title, path);
    this._title.title = path;
    if (info) {
      const base = info.file.split('/').pop() ?? info.file;
      setText(this._title, `${base} — ${info.dialect}`);
      this._shape.textContent = `${info.shape[0]} energies × ${info.shape[1]} × ${info.shape[2]} px`;
      const px = info.pixelSize;
      this._pixelSize.textContent =
        px.x === px.y
          ? `pixel ${formatLength(px.x)}`
          : `pixel ${formatLength(px.x)} (x) × ${formatLength(px.y)} (y)`;
      this._energies.textContent = `${info.energyRange[0]}–${info.energyRange[1]} eV`;
    }
    this._details.hidden = info === null;
    this.runBar.setHidden(stack === null);
    this._body.setHidden(stack === null);
  }

  private readonly _methods: readonly ResolutionMethodInfo[];
  private _current: ExportableViewId = 'image';
  private _lastRunState = '';
  private _lastResultRun: unknown = null;
  private readonly _title: HTMLDivElement;
  private readonly _details: HTMLDivElement;
  private readonly _shape: HTMLSpanElement;
  private readonly _pixelSize: HTMLSpanElement;
  private readonly _energies: HTMLSpanElement;
  private readonly _message: HTMLDivElement;
  private readonly _left: TabPanel;
  private readonly _right: TabPanel;
  private readonly _leftSplit: SplitPanel;
  private readonly _body: SplitPanel;
  private readonly _resize: ResizeObserver;
}
