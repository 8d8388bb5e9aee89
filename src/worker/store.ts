/**
 * The page side of a stack worker: one per open workbench. The worker owns
 * the workbench's cube and its optical density; the page holds their
 * description only and asks for what it draws (a frame, a spectrum, a mean
 * spectrum), a few kilobytes per answer. Requests are answered in order.
 *
 * Why a worker of its own, not the shared read worker: the read worker is
 * replaced after large HDF5 work (h5wasm's heap never shrinks), and it
 * would make hover requests wait behind other workbenches' reads. Why not
 * the run worker: a run is cancelled by terminating its worker, and the
 * hover read-out must answer while the GMVAE trains.
 *
 * A stack worker that crashes (out of memory) fails every request waiting
 * and every later one with one clear message; the workbench keeps what it
 * shows and says so.
 */
import { CancelledError } from '../core/analysis/cancel.js';
import type { CubeKind, CubeStore, HeldStack, PixelBox, PreparedMeta } from '../core/model/cube.js';
import type { ReferenceSet } from '../core/model/references.js';
import type {
  DeepPartial,
  PhaseMapResult,
  PipelineParams,
  PreprocessParams,
  ProgressEvent
} from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import {
  stackTransferables,
  type ServerRead,
  type StoreRequest,
  type StoreResponse,
  type WorkerLike
} from './protocol.js';

type StoreBody = StoreRequest extends infer R
  ? R extends StoreRequest
    ? Omit<R, 'id'>
    : never
  : never;

type Pending = {
  resolve: (r: StoreResponse) => void;
  reject: (e: Error) => void;
  /** Messages before the answer ('read-progress', 'progress'): they do not end the request. */
  onEvent?: (r: StoreResponse) => void;
};

export class WorkerCubeStore implements CubeStore {
  /**
   * `createWorker` starts the stack worker (the compute bundle, small);
   * `createReaderWorker` one of the full bundle, which reads files itself,
   * for stacks too large to move between workers (`readFromServer`).
   */
  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly createReaderWorker?: () => WorkerLike
  ) {}

  /** Whether this store can read a stack from the server itself (and run on it). */
  get canRead(): boolean {
    return this.createReaderWorker !== undefined;
  }

  /**
   * Read the stack at `url` into the stack worker, where it stays: a stack
   * too large to move between workers. The worker is then one of the full
   * bundle (a compute worker held before is stopped, with what it held);
   * `onProgress`: values read, of the total. Answers its description and
   * first frame.
   */
  async readFromServer(
    name: string,
    url: string,
    options: {
      headers?: Record<string, string>;
      onProgress?: (done: number, total: number) => void;
      /** Apply the file's ring current as it is read (see 'read-url'). */
      applyRingCurrent?: boolean;
    } = {}
  ): Promise<HeldStack & { read: ServerRead }> {
    if (!this.createReaderWorker) {
      throw new Error('this stack store reads no files');
    }
    if (this._worker && !this._reader) {
      this._replaceWorker('the stack was replaced');
    }
    this._reader = true;
    const res = await this._request(
      {
        kind: 'store-read-url',
        name,
        url,
        headers: options.headers,
        applyRingCurrent: options.applyRingCurrent
      },
      [],
      'held',
      ev => {
        if (ev.ok && ev.kind === 'read-progress') {
          options.onProgress?.(ev.done, ev.total);
        }
      }
    );
    return { ...res.held, read: res.read };
  }

  /**
   * Run the pipeline in the stack worker on the stack it holds (read there:
   * `readFromServer`). Cancel through `signal`: the promise rejects at once
   * with a CancelledError, and the worker stops the run at its next yield
   * (between training epochs); the stack and its OD stay.
   */
  runInPlace(
    references: ReferenceSet,
    params: DeepPartial<PipelineParams>,
    options: { signal?: AbortSignal; onProgress?: (event: ProgressEvent) => void } = {}
  ): Promise<PhaseMapResult> {
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(new CancelledError());
    }
    let runId = 0;
    const run = this._request(
      { kind: 'store-run', references, params },
      [],
      'result',
      ev => {
        if (ev.ok && ev.kind === 'progress') {
          options.onProgress?.(ev.progress);
        }
      },
      id => (runId = id)
    );
    if (!signal) {
      return run.then(r => r.result);
    }
    return new Promise<PhaseMapResult>((resolve, reject) => {
      const onAbort = (): void => {
        const p = this._pending.get(runId);
        this._pending.delete(runId);
        this._worker?.postMessage({ kind: 'store-cancel', run: runId, id: ++this._nextId }, []);
        p?.reject(new CancelledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(
        r => {
          signal.removeEventListener('abort', onAbort);
          resolve(r.result);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      );
    });
  }

  /** The stack's buffers are transferred to the worker (emptied here). */
  async put(stack: Stack): Promise<void> {
    await this._request({ kind: 'store-put', stack }, stackTransferables(stack), 'stored');
  }

  async prepare(params: PreprocessParams, references?: ReferenceSet): Promise<PreparedMeta> {
    const res = await this._request(
      { kind: 'store-prepare', params, references },
      [],
      'prepared-meta'
    );
    return res.prepared;
  }

  async frame(cube: CubeKind, index: number): Promise<Float32Array> {
    const res = await this._request({ kind: 'store-frame', cube, index }, [], 'values');
    return res.values as Float32Array;
  }

  async spectrum(cube: CubeKind, ix: number, iy: number): Promise<Float64Array> {
    const res = await this._request({ kind: 'store-spectrum', cube, ix, iy }, [], 'values');
    return res.values as Float64Array;
  }

  async meanSpectrum(cube: CubeKind, region: PixelBox | 'mask'): Promise<Float64Array> {
    const res = await this._request({ kind: 'store-mean', cube, region }, [], 'values');
    return res.values as Float64Array;
  }

  /** A copy of the raw stack made in the worker and transferred here (for a run, for Python). */
  async copy(): Promise<Stack> {
    return (await this._request({ kind: 'store-copy' }, [], 'stack')).stack;
  }

  /** Requests sent and not answered yet. */
  get pending(): number {
    return this._pending.size;
  }

  dispose(): void {
    this._fail('the stack worker was stopped');
    this._worker?.terminate();
    this._worker = undefined;
  }

  private _request<K extends (StoreResponse & { ok: true })['kind']>(
    body: StoreBody,
    transfer: Transferable[],
    kind: K,
    onEvent?: (r: StoreResponse) => void,
    sent?: (id: number) => void
  ): Promise<Extract<StoreResponse, { kind: K }>> {
    if (this._failed) {
      return Promise.reject(new Error(this._failed));
    }
    const worker = this._ensure();
    const id = ++this._nextId;
    sent?.(id);
    return new Promise<StoreResponse>((resolve, reject) => {
      this._pending.set(id, { resolve, reject, onEvent });
      worker.postMessage({ ...body, id }, transfer);
    }).then(res => {
      if (!res.ok) {
        throw new Error(res.message);
      }
      if (res.kind !== kind) {
        throw new Error(`stack worker answered ${res.kind}, not ${kind}`);
      }
      return res as Extract<StoreResponse, { kind: K }>;
    });
  }

  private _ensure(): WorkerLike {
    if (!this._worker) {
      const worker =
        this._reader && this.createReaderWorker ? this.createReaderWorker() : this.createWorker();
      worker.addEventListener('message', (ev: MessageEvent) => {
        const res = ev.data as StoreResponse;
        const p = this._pending.get(res.id);
        if (p && res.ok && (res.kind === 'read-progress' || res.kind === 'progress')) {
          p.onEvent?.(res);
          return;
        }
        if (p) {
          this._pending.delete(res.id);
          p.resolve(res);
        }
      });
      worker.addEventListener('error', (ev: ErrorEvent) => {
        if (this._worker !== worker) {
          return; // replaced already
        }
        // the cube went with it: every request fails from now on, with this reason
        this._fail(
          `the stack worker failed (${ev.message || 'out of memory?'}); close and reopen the file`
        );
        worker.terminate();
      });
      this._worker = worker;
    }
    return this._worker;
  }

  /** Stop the worker (and what it holds) and fail what waits on it; the next request starts another. */
  private _replaceWorker(message: string): void {
    for (const p of this._pending.values()) {
      p.reject(new Error(message));
    }
    this._pending.clear();
    this._worker?.terminate();
    this._worker = undefined;
  }

  private _fail(message: string): void {
    this._failed ??= message;
    for (const p of this._pending.values()) {
      p.reject(new Error(message));
    }
    this._pending.clear();
  }

  private _worker: WorkerLike | undefined;
  /** The worker is (or will be) one of the full bundle, which reads files. */
  private _reader = false;
  private _failed: string | null = null;
  private _nextId = 0;
  private readonly _pending = new Map<number, Pending>();
}
