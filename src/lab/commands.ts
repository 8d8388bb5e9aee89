/**
 * Commands: open a stack through a file dialog, and make + open the built-in
 * demo stack.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { FileDialog, type IDefaultFileBrowser } from '@jupyterlab/filebrowser';

import { STACK_EXTENSIONS, oneLine } from '../core/index.js';
import type { AnalysisWorkerClient } from '../worker/client.js';
import { toBase64 } from './files.js';
import { CommandIDs, FACTORY_NAME } from './tokens.js';

export const DEMO_FILE = 'stxm-demo.h5';

export function addCommands(
  app: JupyterFrontEnd,
  docManager: IDocumentManager,
  worker: AnalysisWorkerClient,
  browser: IDefaultFileBrowser | null
): void {
  const open = (path: string): void => {
    docManager.openOrReveal(path, FACTORY_NAME);
  };

  app.commands.addCommand(CommandIDs.open, {
    label: 'Open STXM Stack…',
    caption: 'Open an STXM stack file (NeXus/HDF5) in a STXM PhaseMap workbench',
    execute: async () => {
      const result = await FileDialog.getOpenFiles({
        manager: docManager,
        title: 'Open STXM Stack',
        filter: model =>
          model.type === 'directory' ||
          STACK_EXTENSIONS.some(ext => model.name.toLowerCase().endsWith(ext))
            ? {}
            : null
      });
      for (const item of result.value ?? []) {
        if (item.type !== 'directory') {
          open(item.path);
        }
      }
    }
  });

  app.commands.addCommand(CommandIDs.openDemo, {
    label: 'Open STXM Demo Stack',
    caption: 'Write the built-in simulated NVPF stack to the current folder and open it',
    execute: async () => {
      const dir = browser?.model.path ?? '';
      const path = PathExt.join(dir, DEMO_FILE);
      try {
        const exists = await app.serviceManager.contents
          .get(path, { content: false })
          .then(() => true)
          .catch(() => false);
        if (!exists) {
          const bytes = await worker.simulateDemo(1);
          await app.serviceManager.contents.save(path, {
            type: 'file',
            format: 'base64',
            content: toBase64(bytes)
          });
        }
        open(path);
      } catch (err) {
        await showErrorMessage('STXM PhaseMap: demo stack', oneLine(err));
      }
    }
  });
}
