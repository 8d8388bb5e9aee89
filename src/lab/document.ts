/**
 * The STXM document: a read-only document panel for a stack file whose
 * content is the workbench panel (never saved, never checkpointed). Its model factory asks the server for no content
 * (fileFormat null); the panel fetches the raw bytes itself and the worker
 * parses them, so a 100 MB stack never travels as base64 JSON. The optical
 * density for display is prepared in the worker whenever the stack or the
 * pre-processing parameters change (the model's task, task.ts).
 */
import {
  ABCWidgetFactory,
  DocumentModel,
  DocumentWidget,
  type DocumentRegistry
} from '@jupyterlab/docregistry';
import type { ServerConnection } from '@jupyterlab/services';

import { RESOLUTION_METHOD_INFO } from '../core/analysis/methods/index.js';
import type { DeepPartial, PhaseMapResult, PipelineParams } from '../core/model/result.js';
import type { ColormapName } from '../views/shared/colormap.js';
import { WorkbenchPanel } from '../views/workbench-panel.js';
import type { AnalysisWorkerClient } from '../worker/client.js';
import type { WorkerCubeStore } from '../worker/store.js';
import { WorkbenchActions, type ActionServices } from './actions.js';
import { readServerStack } from './files.js';
import { WorkbenchModel } from './model.js';

/** The document model factory of stack files (it loads no content). */
export const MODEL_NAME = 'stxm-phasemap-nocontent';

/** A model factory that loads no content: the panel reads the file's bytes itself. */
export class NoContentModelFactory implements DocumentRegistry.IModelFactory<DocumentRegistry.IModel> {
  readonly name = MODEL_NAME;
  readonly contentType = 'file' as const;
  readonly fileFormat = null;
  readonly collaborative = false;

  get isDisposed(): boolean {
    return this._disposed;
  }
  dispose(): void {
    this._disposed = true;
  }
  preferredLanguage(): string {
    return '';
  }
  createNew(): DocumentRegistry.IModel {
    const model = new DocumentModel();
    model.readOnly = true;
    return model;
  }
  private _disposed = false;
}

/**
 * The document panel of a stack file: its content is the workbench panel
 * (views), its `model` the workbench model; `actions` is what the panel's
 * buttons ask of JupyterLab. The model keeps the optical density for display
 * in step with the stack and the parameters (prepared in the worker).
 */
export class StxmDocument extends DocumentWidget<WorkbenchPanel> {
  constructor(
    options: DocumentWidget.IOptions<WorkbenchPanel>,
    readonly model: WorkbenchModel,
    private readonly _worker: AnalysisWorkerClient,
    readonly actions: WorkbenchActions,
    private readonly _read: {
      store: WorkerCubeStore;
      serverSettings: ServerConnection.ISettings;
      /** Stacks of more values stay in the stack worker (the setting `largeStackValues`). */
      transferLimit: () => number | undefined;
    }
  ) {
    super(options);
    this.addClass('jp-STXMDocument');
    // pre-processed in the workbench's stack worker, which keeps the optical density
    model.prepareAutomatically();
  }

  /**
   * (Re)load the file from the server into the model: through the read
   * worker, or, for a stack too large to move between workers, into the
   * workbench's stack worker, where it stays (worker/open.ts).
   */
  load(): Promise<void> {
    const { store, serverSettings, transferLimit } = this._read;
    // an HDF5 stack is read with its ring current applied unless the parameters turn
    // ring-current normalisation off (then the model reads it again, as it is)
    return this.model.load(
      async (onProgress, { applyRingCurrent }) =>
        (
          await readServerStack(this._worker, this.context.path, serverSettings, onProgress, {
            store,
            transferLimit: transferLimit(),
            applyRingCurrent
          })
        ).stack
    );
  }

  /**
   * Run the pipeline on the model's stack and references with its
   * parameters, in the workbench's stack worker, where the cube is. The
   * previous result stays if the run fails.
   */
  run(): Promise<PhaseMapResult> {
    return this.model.run();
  }

  /** The current result as a NeXus/HDF5 file (written in the worker). */
  writeResult(): Promise<ArrayBuffer> {
    const result = this.model.result;
    if (!result) {
      return Promise.reject(
        new Error(`${this.context.path}: no result yet (run the pipeline first)`)
      );
    }
    return this._worker.writeResult(result, this.context.path);
  }

  dispose(): void {
    super.dispose();
    this.model.dispose();
  }
}

export interface IStxmFactoryOptions extends DocumentRegistry.IWidgetFactoryOptions<StxmDocument> {
  worker: AnalysisWorkerClient;
  serverSettings: ServerConnection.ISettings;
  services: ActionServices;
  colormap: () => ColormapName;
  /** Parameters a new workbench starts with (from the settings). */
  defaults: () => DeepPartial<PipelineParams>;
  /** Stacks of more values stay in their stack worker (the setting; undefined: 2^28). */
  transferLimit: () => number | undefined;
}

export class StxmWidgetFactory extends ABCWidgetFactory<StxmDocument> {
  constructor(options: IStxmFactoryOptions) {
    super(options);
    this._options = options;
  }

  protected createNewWidget(context: DocumentRegistry.Context): StxmDocument {
    // A stack document is a view of the file: there is nothing to save, and
    // "Save" (Ctrl+S) must never write to the stack file. JupyterLab's save
    // command goes by the file's writability, not the document's, so the
    // context's save is made a no-op here.
    context.save = () => Promise.resolve();
    // Nor is there anything to checkpoint: JupyterLab copies every document it can
    // save into .ipynb_checkpoints when it opens it (a 50 MB stack: a 50 MB copy).
    // Its context creates that checkpoint only when `canSave`, read once the file
    // is loaded, after this widget is made.
    Object.defineProperty(context, 'canSave', { get: () => false, configurable: true });
    const o = this._options;
    // the workbench's cube lives in a stack worker of its own; the model keeps its description
    const store = o.worker.createStore();
    const model = new WorkbenchModel(context.path, o.defaults(), store);
    // eslint-disable-next-line prefer-const
    let widget: StxmDocument;
    const actions = new WorkbenchActions(() => widget, o.services);
    const content = new WorkbenchPanel(model, actions, {
      colormap: o.colormap(),
      methods: RESOLUTION_METHOD_INFO
    });
    widget = new StxmDocument({ context, content }, model, o.worker, actions, {
      store,
      serverSettings: o.serverSettings,
      transferLimit: o.transferLimit
    });
    widget.title.caption = context.path;
    void context.ready.then(() => widget.load());
    // Follow renames: the model keeps its data, only the name changes.
    context.pathChanged.connect((_, path) => {
      widget.title.caption = path;
    });
    return widget;
  }

  private readonly _options: IStxmFactoryOptions;
}
