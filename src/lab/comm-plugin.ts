/**
 * The comm plugin: lets Python in notebook kernels reach the open STXM
 * workbenches (docs/comm-protocol.md).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';

import { EXTENSION_VERSION } from '../version.js';
import { CommBridge } from './comm.js';
import { IStxmTracker } from './tokens.js';

const commPlugin: JupyterFrontEndPlugin<void> = {
  id: 'stxm-phasemap:comm',
  description: 'Lets Python in notebook kernels reach the open STXM workbenches through a comm.',
  autoStart: true,
  requires: [IStxmTracker, INotebookTracker],
  activate: (_app: JupyterFrontEnd, tracker: IStxmTracker, notebooks: INotebookTracker): void => {
    new CommBridge(tracker, EXTENSION_VERSION).watchNotebooks(notebooks);
  }
};

export default commPlugin;
