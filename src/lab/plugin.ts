/**
 * The JupyterLab plugins: the STXM document (double-click a stack file) with
 * its workbench, the commands, the settings, the comparison view, state kept
 * across reloads, and the comm bridge to notebook kernels (comm-plugin.ts).
 */
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';

import { STACK_EXTENSIONS } from '../core/io/index.js';
import type { DeepPartial, PipelineParams } from '../core/model/result.js';
import { isColormapName, type ColormapName } from '../views/shared/colormap.js';
import { AnalysisWorkerClient } from '../worker/client.js';
import { addCommands } from './commands.js';
import { ComparisonManager } from './comparison.js';
import {
  MODEL_NAME,
  NoContentModelFactory,
  StxmWidgetFactory,
  type StxmDocument
} from './document.js';
import { largeStackValues, settingsToParams } from './settings.js';
import { attachState } from './state.js';
import {
  CommandIDs,
  FACTORY_NAME,
  AXIS2000_FILE_TYPE,
  FILE_TYPE,
  IStxmTracker,
  PLUGIN_ID
} from './tokens.js';

/**
 * The worker is a self-contained script bundled by esbuild (npm run
 * build:worker), emitted by the labextension build as a plain asset: a worker
 * chunk of the federated bundle would try to reach JupyterLab's shared
 * modules, which do not exist inside a worker.
 */
const WORKER_URL = new URL('../worker/stxm-worker.js', import.meta.url);

function createWorker(): Worker {
  return new Worker(WORKER_URL);
}

/** Runs and the workbenches' stack workers: the same, without h5wasm (compute-worker.ts). */
const COMPUTE_WORKER_URL = new URL('../worker/stxm-compute-worker.js', import.meta.url);

function createComputeWorker(): Worker {
  return new Worker(COMPUTE_WORKER_URL);
}

const workbenchPlugin: JupyterFrontEndPlugin<IStxmTracker> = {
  id: PLUGIN_ID,
  description:
    'STXM PhaseMap workbench: open STXM stacks, prepare them, map phases, compare states of charge.',
  autoStart: true,
  provides: IStxmTracker,
  requires: [IDocumentManager],
  optional: [
    ISettingRegistry,
    ICommandPalette,
    ILayoutRestorer,
    ILauncher,
    IDefaultFileBrowser,
    IStateDB
  ],
  activate: (
    app: JupyterFrontEnd,
    docManager: IDocumentManager,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    launcher: ILauncher | null,
    browser: IDefaultFileBrowser | null,
    state: IStateDB | null
  ): IStxmTracker => {
    const worker = new AnalysisWorkerClient(createWorker, createComputeWorker);
    let colormap: ColormapName = 'viridis';
    let defaults: DeepPartial<PipelineParams> = {};
    let transferLimit: number | undefined;
    const services = { contents: app.serviceManager.contents, docManager };

    app.docRegistry.addFileType({
      name: FILE_TYPE,
      displayName: 'STXM stack (NeXus/HDF5)',
      extensions: [...STACK_EXTENSIONS],
      mimeTypes: ['application/x-hdf5'],
      contentType: 'file',
      fileFormat: null,
      iconClass: 'jp-MaterialIcon jp-ImageIcon'
    });
    // aXis2000 stacks open from their header (the .xim data files are fetched beside it)
    app.docRegistry.addFileType({
      name: AXIS2000_FILE_TYPE,
      displayName: 'STXM stack (aXis2000 header)',
      extensions: ['.hdr'],
      mimeTypes: ['text/plain'],
      contentType: 'file',
      fileFormat: null,
      iconClass: 'jp-MaterialIcon jp-ImageIcon'
    });
    app.docRegistry.addModelFactory(new NoContentModelFactory());
    // TIFF stacks: JupyterLab's own "tiff" type stays the image viewer's; ours is under Open With
    const tiff = app.docRegistry.getFileType('tiff') ? ['tiff'] : [];
    const factory = new StxmWidgetFactory({
      name: FACTORY_NAME,
      label: 'STXM PhaseMap',
      modelName: MODEL_NAME,
      fileTypes: [FILE_TYPE, AXIS2000_FILE_TYPE, ...tiff],
      defaultFor: [FILE_TYPE, AXIS2000_FILE_TYPE],
      readOnly: true,
      worker,
      serverSettings: app.serviceManager.serverSettings,
      services,
      colormap: () => colormap,
      defaults: () => defaults,
      transferLimit: () => transferLimit
    });
    app.docRegistry.addWidgetFactory(factory);

    const tracker = new WidgetTracker<StxmDocument>({ namespace: 'stxm-phasemap' });
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      void tracker.add(widget);
      void attachState(widget, state, services);
    });
    const comparison = new ComparisonManager(app, tracker);
    if (restorer) {
      void restorer.restore(tracker, {
        command: 'docmanager:open',
        args: widget => ({ path: widget.context.path, factory: FACTORY_NAME }),
        name: widget => widget.context.path
      });
      void restorer.restore(comparison.tracker, {
        command: CommandIDs.openComparison,
        name: () => 'comparison'
      });
    }

    addCommands(app, docManager, worker, browser, tracker, comparison);
    const category = 'STXM PhaseMap';
    for (const command of [
      CommandIDs.open,
      CommandIDs.openDemo,
      CommandIDs.run,
      CommandIDs.cancel,
      CommandIDs.loadReferences,
      CommandIDs.demoReferences,
      CommandIDs.exportPng,
      CommandIDs.exportSvg,
      CommandIDs.exportResult,
      CommandIDs.exportFractions,
      CommandIDs.exportSpectra,
      CommandIDs.copyCommandLine,
      CommandIDs.saveParameters,
      CommandIDs.openComparison
    ]) {
      palette?.addItem({ command, category });
    }
    launcher?.add({ command: CommandIDs.openDemo, category: 'Other', rank: 50 });
    launcher?.add({ command: CommandIDs.openComparison, category: 'Other', rank: 51 });

    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then(settings => {
        const apply = (): void => {
          const value = settings.get('colormap').composite;
          colormap = isColormapName(value) ? value : 'viridis';
          defaults = settingsToParams(settings.composite);
          transferLimit = largeStackValues(settings.composite);
          tracker.forEach(doc => {
            doc.content.colormap = colormap;
          });
        };
        settings.changed.connect(apply);
        apply();
      });
    }
    return tracker;
  }
};

export default workbenchPlugin;
