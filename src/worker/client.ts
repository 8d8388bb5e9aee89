/**
 * The page side of the analysis worker: one request, one promise. The worker
 * is created lazily by an injected factory, so this file runs wherever a
 * `Worker`-like object exists.
 */
import type { Stack } from '../core/index.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/** The part of the DOM `Worker` the client uses. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent<WorkerResponse>) => void): void;
  addEventListener(type: 'error', listener: (ev: ErrorEvent) => void): void;
  terminate(): void;
}

type Pending = { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void };

// Distributive Omit, so each request variant keeps its own fields.
type RequestBody = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id'>
    : never
  : never;

export class AnalysisWorkerClient {
  constructor(private readonly createWorker: () => WorkerLike) {}

  /** Read a stack file's bytes in the worker. The buffer is transferred (emptied here). */
  async readStack(name: string, bytes: ArrayBuffer): Promise<Stack> {
    const res = await this.request({ kind: 'read', name, bytes }, [bytes]);
    if (res.ok && res.kind === 'stack') {
      return res.stack;
    }
    throw new Error(res.ok ? 'worker answered a read with no stack' : res.message);
  }

  /** Make the built-in demo stack as NXstxm file bytes. */
  async simulateDemo(seed = 1): Promise<ArrayBuffer> {
    const res = await this.request({ kind: 'simulate-demo', seed }, []);
    if (res.ok && res.kind === 'file') {
      return res.bytes;
    }
    throw new Error(res.ok ? 'worker answered with no file' : res.message);
  }

  dispose(): void {
    this._worker?.terminate();
    this._worker = undefined;
    for (const p of this._pending.values()) {
      p.reject(new Error('analysis worker stopped'));
    }
    this._pending.clear();
  }

  private request(body: RequestBody, transfer: Transferable[]): Promise<WorkerResponse> {
    const worker = this.worker();
    const id = ++this._nextId;
    return new Promise<WorkerResponse>((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id }, transfer);
    });
  }

  private worker(): WorkerLike {
    if (!this._worker) {
      const worker = this.createWorker();
      worker.addEventListener('message', (ev: MessageEvent<WorkerResponse>) => {
        const pending = this._pending.get(ev.data.id);
        if (pending) {
          this._pending.delete(ev.data.id);
          pending.resolve(ev.data);
        }
      });
      worker.addEventListener('error', (ev: ErrorEvent) => {
        // A worker that fails to start or crashes: fail every waiting request, start afresh next time.
        const message = `analysis worker failed: ${ev.message || 'could not start'}`;
        for (const p of this._pending.values()) {
          p.reject(new Error(message));
        }
        this._pending.clear();
        this._worker?.terminate();
        this._worker = undefined;
      });
      this._worker = worker;
    }
    return this._worker;
  }

  private _worker: WorkerLike | undefined;
  private _nextId = 0;
  private readonly _pending = new Map<number, Pending>();
}
