/**
 * The comm plugin: lets Python in notebook (and console) kernels reach the
 * open STXM workbenches (docs/comm-protocol.md).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IConsoleTracker } from '@jupyterlab/console';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';

import { EXTENSION_VERSION } from '../version.js';
import { AnalysisWorkerClient } from '../worker/client.js';
import { CommBridge } from './comm.js';
import { CommMethods } from './comm-methods.js';
import { IStxmTracker } from './tokens.js';

/** The worker bundle (see plugin.ts): the comm writes pushed arrays as NXstxm files with it. */
const WORKER_URL = new URL('../worker/stxm-worker.js', import.meta.url);

const commPlugin: JupyterFrontEndPlugin<void> = {
  id: 'stxm-phasemap:comm',
  description: 'Lets Python in notebook kernels reach the open STXM workbenches through a comm.',
  autoStart: true,
  requires: [IStxmTracker, INotebookTracker, IDocumentManager],
  optional: [IConsoleTracker],
  activate: (
    app: JupyterFrontEnd,
    tracker: IStxmTracker,
    notebooks: INotebookTracker,
    docManager: IDocumentManager,
    consoles: IConsoleTracker | null
  ): void => {
    let worker: AnalysisWorkerClient | undefined;
    const methods = new CommMethods({
      tracker,
      docManager,
      contents: app.serviceManager.contents,
      serverSettings: app.serviceManager.serverSettings,
      worker: () => (worker ??= new AnalysisWorkerClient(() => new Worker(WORKER_URL)))
    });
    const serverRoot = PageConfig.getOption('serverRoot') || null;
    const bridge = new CommBridge({ methods, version: EXTENSION_VERSION, serverRoot });
    bridge.watch(notebooks);
    if (consoles) {
      bridge.watch(consoles);
    }
  }
};

export default commPlugin;
