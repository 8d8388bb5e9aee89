/**
 * The comm bridge: lets Python in a notebook's (or console's) kernel reach the
 * open workbenches (docs/comm-protocol.md). Every message is validated; a
 * malformed one gets an error reply, never an exception in the kernel
 * connection. Requests may span several messages (arrays in chunks of at most
 * 8 MiB); each is acknowledged as soon as its first part arrives, so that the
 * kernel can tell a live connection from a stale one (a reloaded page).
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel, KernelMessage } from '@jupyterlab/services';

import { MAX_INCOMING, PROGRESS_INTERVAL_MS, STALE_REQUEST_MS } from '../core/contract/contract.js';
import type { Progress, Refusal } from '../core/contract/generated.js';
import { oneLine } from '../core/io/errors.js';
import type { ProgressEvent } from '../core/model/result.js';
import type { MethodReply, MethodRequest, MethodContext } from './comm-methods.js';
import {
  ARRAY_METHODS,
  COMM_TARGET,
  PROTOCOL,
  ack,
  errorReply,
  hello,
  parseIncoming,
  pong,
  progressEvent,
  replyParts,
  requestIdOf,
  type Method,
  type RequestPart
} from './protocol.js';
import {
  PartAssembler,
  ProtocolError,
  bufferLimitProblem,
  type JSONObject,
  type WirePart
} from './protocol-arrays.js';
import { paramsTemplate } from './protocol-params.js';
import { jsonSafe } from './protocol-result.js';

/** What answers the requests (CommMethods in the app, a stand-in in unit tests). */
export interface MethodHandler {
  call(req: MethodRequest, ctx: MethodContext): Promise<MethodReply>;
}

export interface CommBridgeOptions {
  methods: MethodHandler;
  version: string;
  /** Absolute path of the Jupyter server's root folder (PageConfig `serverRoot`). */
  serverRoot: string | null;
}

/** A panel with a kernel session: notebooks and consoles. */
interface SessionPanel {
  sessionContext: ISessionContext;
}

export class CommBridge {
  constructor(private readonly options: CommBridgeOptions) {}

  /** Register the comm target on the kernel of every panel, now and after kernel changes. */
  watch<T extends SessionPanel>(tracker: {
    forEach(fn: (panel: T) => void): void;
    widgetAdded: { connect(fn: (sender: unknown, panel: T) => void): unknown };
  }): void {
    const watchPanel = (panel: T): void => {
      const register = (): void => {
        const kernel = panel.sessionContext.session?.kernel;
        if (kernel && !this._registered.has(kernel)) {
          this._registered.add(kernel);
          kernel.registerCommTarget(COMM_TARGET, (comm, msg) => this.open(kernel, comm, msg));
          kernel.disposed.connect(() => this._registered.delete(kernel));
        }
      };
      panel.sessionContext.kernelChanged.connect(register);
      void panel.sessionContext.ready.then(register);
      register();
    };
    tracker.forEach(watchPanel);
    tracker.widgetAdded.connect((_, panel) => watchPanel(panel));
  }

  private open(
    kernel: Kernel.IKernelConnection,
    comm: Kernel.IComm,
    msg: KernelMessage.ICommOpenMsg
  ): void {
    // A kernel shared by several panels (or pages) broadcasts its comm_open to all of
    // them: only the connection whose client ran the code answers.
    const parent = msg.parent_header as Partial<KernelMessage.IHeader> | undefined;
    if (parent?.session && parent.session !== kernel.clientId) {
      comm.dispose();
      return;
    }
    const protocol = (msg.content.data as { protocol?: unknown } | undefined)?.protocol;
    if (protocol !== PROTOCOL) {
      const refusal: Refusal = {
        type: 'error',
        error: {
          kind: 'protocol',
          message: `unsupported protocol ${JSON.stringify(protocol)}; this extension speaks ${PROTOCOL}`
        }
      };
      comm.send(refusal);
      comm.close();
      return;
    }
    const connection = new CommConnection(comm, this.options.methods);
    comm.onMsg = m => connection.handle(m.content.data, m.buffers ?? []);
    comm.onClose = () => connection.dispose();
    comm.send(
      hello({
        version: this.options.version,
        serverRoot: this.options.serverRoot,
        params: paramsTemplate()
      })
    );
  }

  private readonly _registered = new Set<Kernel.IKernelConnection>();
}

interface Incoming {
  assembler: PartAssembler;
  method?: Method;
  params?: JSONObject;
  timer: ReturnType<typeof setTimeout>;
}

/** One comm: reassembles requests, answers them, streams progress, honours cancels. */
export class CommConnection {
  constructor(
    private readonly comm: Pick<Kernel.IComm, 'send' | 'isDisposed'>,
    private readonly methods: MethodHandler
  ) {}

  /** Handle one message from the kernel. Never throws. */
  handle(data: unknown, buffers: readonly (ArrayBuffer | ArrayBufferView)[]): void {
    const tooBig = bufferLimitProblem(buffers);
    if (tooBig) {
      const id = requestIdOf(data);
      if (id !== null) {
        this.drop(id); // whatever arrived of it before
      }
      const who = id !== null ? `request "${id}": ` : '';
      this.sendParts([errorReply(id, 'invalid-request', `${who}${tooBig}`)]);
      return;
    }
    let msg;
    try {
      msg = parseIncoming(data);
    } catch (err) {
      this.sendParts([errorReply(requestIdOf(data), 'invalid-request', oneLine(err))]);
      return;
    }
    switch (msg.type) {
      case 'cancel':
        this._running.get(msg.id)?.abort();
        return;
      case 'ping':
        this.send(pong(msg.id));
        return;
      case 'error':
        console.warn(
          `stxm-phasemap: the kernel reported a bad message (${msg.error.kind}): ${msg.error.message}`
        );
        return;
      case 'request':
        this.addPart(msg, buffers);
        return;
    }
  }

  dispose(): void {
    for (const entry of this._incoming.values()) {
      clearTimeout(entry.timer);
    }
    this._incoming.clear();
  }

  private addPart(part: RequestPart, buffers: readonly (ArrayBuffer | ArrayBufferView)[]): void {
    const { id } = part;
    if (part.part === 0 && !ARRAY_METHODS.includes(part.method!)) {
      const hasArrays = part.arrays !== undefined && Object.keys(part.arrays ?? {}).length > 0;
      if (hasArrays || buffers.length > 0 || part.parts > 1) {
        this.drop(id);
        this.sendParts([
          errorReply(
            id,
            'invalid-request',
            `"${part.method}" takes no arrays (one part, no buffers)`
          )
        ]);
        return;
      }
    }
    let entry = this._incoming.get(id);
    if (!entry) {
      if (this._running.has(id)) {
        this.sendParts([errorReply(id, 'invalid-request', `request "${id}" is already running`)]);
        return;
      }
      if (this._incoming.size >= MAX_INCOMING) {
        this.sendParts([
          errorReply(id, 'invalid-request', `more than ${MAX_INCOMING} requests half-received`)
        ]);
        return;
      }
      entry = { assembler: new PartAssembler(id), timer: this.staleTimer(id) };
      this._incoming.set(id, entry);
    } else {
      clearTimeout(entry.timer);
      entry.timer = this.staleTimer(id);
    }
    try {
      entry.assembler.add(part.part, part.parts, part.arrays, part.chunks, buffers);
    } catch (err) {
      this.drop(id);
      this.sendParts([errorReply(id, 'invalid-request', oneLine(err))]);
      return;
    }
    if (part.part === 0) {
      entry.method = part.method;
      entry.params = part.params;
      this.send(ack(id));
    }
    if (entry.assembler.complete) {
      const arrays = entry.assembler.arrays();
      this.drop(id);
      void this.dispatch({ id, method: entry.method!, params: entry.params!, arrays });
    }
  }

  private staleTimer(id: string): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      if (this._incoming.has(id)) {
        this.drop(id);
        this.sendParts([
          errorReply(id, 'invalid-request', `request "${id}": its parts stopped arriving`)
        ]);
      }
    }, STALE_REQUEST_MS);
  }

  private drop(id: string): void {
    const entry = this._incoming.get(id);
    if (entry) {
      clearTimeout(entry.timer);
      this._incoming.delete(id);
    }
  }

  private async dispatch(req: MethodRequest): Promise<void> {
    const controller = new AbortController();
    this._running.set(req.id, controller);
    let lastSent = 0;
    let lastStage = '';
    const progress = (p: ProgressEvent): void => {
      const now = Date.now();
      if (p.stage !== lastStage || p.fraction >= 1 || now - lastSent >= PROGRESS_INTERVAL_MS) {
        lastSent = now;
        lastStage = p.stage;
        this.send(progressEvent(req.id, jsonSafe(p) as Progress));
      }
    };
    let parts: WirePart[];
    try {
      const reply = await this.methods.call(req, { signal: controller.signal, progress });
      parts = replyParts(req.id, reply.json, reply.arrays ?? {});
    } catch (err) {
      const kind = err instanceof ProtocolError ? err.kind : 'failed';
      parts = [errorReply(req.id, kind, oneLine(err))];
    } finally {
      this._running.delete(req.id);
    }
    await this.sendPaced(parts);
  }

  /**
   * Send a reply's parts one task apart: a reply of 100 MB is a dozen parts
   * whose serialisation would otherwise hold the page for a long moment.
   */
  private async sendPaced(parts: WirePart[]): Promise<void> {
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) {
        await new Promise(resolve => setTimeout(resolve, 0));
      }
      if (!this.sendParts([parts[i]])) {
        return;
      }
    }
  }

  private send(data: JSONObject): void {
    this.sendParts([{ data, buffers: [] }]);
  }

  /** Send parts in order; false once the comm is gone or refused one. */
  private sendParts(parts: WirePart[]): boolean {
    for (const part of parts) {
      if (this.comm.isDisposed) {
        return false; // the kernel went away (restart): the workbench keeps its data
      }
      try {
        this.comm.send(part.data, undefined, part.buffers);
      } catch (err) {
        console.warn(`stxm-phasemap: could not send to the kernel: ${oneLine(err)}`);
        return false;
      }
    }
    return true;
  }

  private readonly _incoming = new Map<string, Incoming>();
  private readonly _running = new Map<string, AbortController>();
}
