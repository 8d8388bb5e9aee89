/**
 * The comm bridge: lets Python in a notebook's kernel reach the open
 * workbenches (docs/comm-protocol.md). Every message is validated; a malformed
 * one gets an error reply, never an exception in the kernel connection.
 */
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel, KernelMessage } from '@jupyterlab/services';

import { oneLine, stackShape } from '../core/index.js';
import type { StxmDocument } from './document.js';
import {
  COMM_TARGET,
  PROTOCOL,
  ProtocolError,
  errorReply,
  outArray,
  parseRequest,
  replyParts,
  requestIdOf,
  type JSONObject,
  type ReplyPart,
  type Request
} from './protocol.js';
import type { IStxmTracker } from './tokens.js';

export class CommBridge {
  constructor(
    private readonly tracker: IStxmTracker,
    private readonly version: string
  ) {}

  /** Register the comm target on the kernel of every notebook, now and after kernel changes. */
  watchNotebooks(notebooks: INotebookTracker): void {
    const watch = (panel: NotebookPanel): void => {
      const register = (): void => {
        const kernel = panel.sessionContext.session?.kernel;
        if (kernel && !this._registered.has(kernel)) {
          this._registered.add(kernel);
          kernel.registerCommTarget(COMM_TARGET, (comm, msg) => this.open(comm, msg));
          kernel.disposed.connect(() => this._registered.delete(kernel));
        }
      };
      panel.sessionContext.kernelChanged.connect(register);
      void panel.sessionContext.ready.then(register);
      register();
    };
    notebooks.forEach(watch);
    notebooks.widgetAdded.connect((_, panel) => watch(panel));
  }

  private open(comm: Kernel.IComm, msg: KernelMessage.ICommOpenMsg): void {
    const protocol = (msg.content.data as { protocol?: unknown } | undefined)?.protocol;
    if (protocol !== PROTOCOL) {
      comm.send({
        type: 'error',
        error: {
          kind: 'protocol',
          message: `unsupported protocol ${JSON.stringify(protocol)}; this extension speaks ${PROTOCOL}`
        }
      });
      comm.close();
      return;
    }
    comm.onMsg = m => this.handle(comm, m.content.data);
    comm.send({ type: 'hello', protocol: PROTOCOL, version: this.version });
  }

  private async handle(comm: Kernel.IComm, data: unknown): Promise<void> {
    let parts: ReplyPart[];
    let request: Request | undefined;
    try {
      request = parseRequest(data);
      parts = await this.answer(request);
    } catch (err) {
      const kind = err instanceof ProtocolError ? err.kind : 'failed';
      parts = [errorReply(request?.id ?? requestIdOf(data), kind, oneLine(err))];
    }
    if (comm.isDisposed) {
      return;
    }
    for (const part of parts) {
      comm.send(part.data, undefined, part.buffers);
    }
  }

  private async answer(request: Request): Promise<ReplyPart[]> {
    switch (request.method) {
      case 'list_workbenches': {
        const workbenches: JSONObject[] = [];
        const current = this.tracker.currentWidget;
        this.tracker.forEach(doc => {
          workbenches.push({
            path: doc.context.path,
            current: doc === current,
            status: doc.workbench.status,
            info: (doc.workbench.info as unknown as JSONObject) ?? null
          });
        });
        return replyParts(request.id, { workbenches });
      }
      case 'get_stack': {
        const doc = this.find(request.params.path as string | undefined);
        await waitUntilSettled(doc);
        const stack = doc.workbench.stack;
        if (!stack) {
          throw new ProtocolError(
            'failed',
            doc.workbench.error ?? `${doc.context.path}: no stack loaded`
          );
        }
        const [ne, ny, nx] = stackShape(stack);
        return replyParts(
          request.id,
          { path: doc.context.path, info: doc.workbench.info as unknown as JSONObject },
          {
            data: outArray(stack.data, [ne, ny, nx]),
            energies: outArray(stack.energies, [ne]),
            x: outArray(stack.x, [nx]),
            y: outArray(stack.y, [ny])
          }
        );
      }
    }
  }

  private find(path: string | undefined): StxmDocument {
    if (path) {
      const doc = this.tracker.find(
        d => d.context.path === path || d.context.path === path.replace(/^\/+/, '')
      );
      if (!doc) {
        throw new ProtocolError('not-found', `no STXM workbench is open for "${path}"`);
      }
      return doc;
    }
    const doc = this.tracker.currentWidget;
    if (!doc) {
      throw new ProtocolError('not-found', 'no STXM stack is open in JupyterLab');
    }
    return doc;
  }

  private readonly _registered = new Set<Kernel.IKernelConnection>();
}

/** Wait while the workbench is still loading its stack. */
function waitUntilSettled(doc: StxmDocument): Promise<void> {
  const model = doc.workbench;
  if (model.status !== 'loading') {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    const done = (): void => {
      if (model.status !== 'loading') {
        model.changed.disconnect(done);
        resolve();
      }
    };
    model.changed.connect(done);
  });
}
