/**
 * The STXM document: a read-only document panel for a stack file. Its model
 * factory asks the server for no content (fileFormat null); the panel fetches
 * the raw bytes itself and the worker parses them, so a 100 MB stack never
 * travels as base64 JSON.
 */
import {
  ABCWidgetFactory,
  DocumentModel,
  DocumentWidget,
  type DocumentRegistry
} from '@jupyterlab/docregistry';
import type { ServerConnection } from '@jupyterlab/services';

import type { PhaseMapResult } from '../core/index.js';
import type { ColormapName } from '../views/colormap.js';
import { StackView } from '../views/stackview.js';
import type { AnalysisWorkerClient } from '../worker/client.js';
import { fetchFileBytes } from './files.js';
import { WorkbenchModel } from './model.js';
import { MODEL_NAME } from './tokens.js';

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

export class StxmDocument extends DocumentWidget<StackView> {
  constructor(
    options: DocumentWidget.IOptions<StackView>,
    readonly workbench: WorkbenchModel,
    private readonly _worker: AnalysisWorkerClient
  ) {
    super(options);
    this.addClass('jp-STXMDocument');
  }

  /**
   * Run the pipeline in a Web Worker on the workbench's stack and references
   * with its parameters. The previous result stays if the run fails.
   */
  run(): Promise<PhaseMapResult> {
    return this.workbench.run((stack, references, params, options) =>
      this._worker.run(stack, references, params, options)
    );
  }

  dispose(): void {
    super.dispose();
    this.workbench.dispose();
  }
}

export interface IStxmFactoryOptions extends DocumentRegistry.IWidgetFactoryOptions<StxmDocument> {
  worker: AnalysisWorkerClient;
  serverSettings: ServerConnection.ISettings;
  colormap: () => ColormapName;
}

export class StxmWidgetFactory extends ABCWidgetFactory<StxmDocument> {
  constructor(options: IStxmFactoryOptions) {
    super(options);
    this._worker = options.worker;
    this._serverSettings = options.serverSettings;
    this._colormap = options.colormap;
  }

  protected createNewWidget(context: DocumentRegistry.Context): StxmDocument {
    // A stack document is a view of the file: there is nothing to save, and
    // "Save" (Ctrl+S) must never write to the stack file. JupyterLab's save
    // command goes by the file's writability, not the document's, so the
    // context's save is made a no-op here.
    context.save = () => Promise.resolve();
    const workbench = new WorkbenchModel(context.path);
    const content = new StackView(workbench, { colormap: this._colormap() });
    const widget = new StxmDocument({ context, content }, workbench, this._worker);
    widget.title.caption = context.path;
    const load = (): void => {
      void workbench.load(async () => {
        const bytes = await fetchFileBytes(context.path, this._serverSettings);
        return this._worker.readStack(context.path, bytes);
      });
    };
    void context.ready.then(load);
    // Follow renames: the workbench keeps its data, only the name changes.
    context.pathChanged.connect((_, path) => {
      widget.title.caption = path;
    });
    return widget;
  }

  private readonly _worker: AnalysisWorkerClient;
  private readonly _serverSettings: ServerConnection.ISettings;
  private readonly _colormap: () => ColormapName;
}
