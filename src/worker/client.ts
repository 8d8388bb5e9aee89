/**
 * The page side of the analysis worker: one request, one promise. The worker
 * is created lazily by an injected factory, so this file runs wherever a
 * `Worker`-like object exists.
 */
import { CancelledError } from '../core/analysis/cancel.js';
import type { PreparedStack } from '../core/model/prepared.js';
import type { ReferenceSet } from '../core/model/references.js';
import type {
  DeepPartial,
  PhaseMapResult,
  PipelineParams,
  PreprocessParams,
  ProgressEvent
} from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import type { DemoOptions, DemoTruth } from '../core/simulate/demo.js';
import type { SampleConfig } from '../core/simulate/sample.js';
import { WorkerCubeStore } from './store.js';
import {
  stackTransferables,
  TooLargeToMoveError,
  type ServerRead,
  type WorkerLike,
  type WorkerRequest,
  type WorkerResponse
} from './protocol.js';

export type { WorkerLike } from './protocol.js';

type Pending = {
  resolve: (r: WorkerResponse) => void;
  reject: (e: Error) => void;
  /** Progress messages of a read from the server (they do not end the request). */
  onProgress?: (done: number, total: number) => void;
};

// Distributive Omit, so each request variant keeps its own fields.
type RequestBody = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * HDF5 work on more bytes than this replaces the shared worker once it is
 * idle: h5wasm's heap grows to hold the file it reads or writes and never
 * shrinks, so a worker that has read a 160 MB stack would otherwise keep
 * ~2× that for the rest of the session. The next request starts a fresh
 * worker (about a second).
 */
export const RECYCLE_AFTER_BYTES = 32 * 2 ** 20;

export class AnalysisWorkerClient {
  /**
   * `createWorker` starts the analysis worker (worker.ts: reads, writes,
   * simulations); `createComputeWorker` a worker for a run or a workbench's
   * cube (compute-worker.ts, without h5wasm; the analysis worker does those
   * too, and is the default).
   */
  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly createComputeWorker: () => WorkerLike = createWorker
  ) {}

  /**
   * Read a stack file's bytes in the worker, with the files it needs beside it
   * (multi-file scans). The buffers are transferred (emptied here).
   */
  async readStack(
    name: string,
    bytes: ArrayBuffer,
    companions?: { name: string; bytes: ArrayBuffer }[]
  ): Promise<Stack> {
    const size = bytes.byteLength + (companions ?? []).reduce((n, c) => n + c.bytes.byteLength, 0);
    this.recycleAfter(size);
    const res = await this.request({ kind: 'read', name, bytes, companions }, [
      bytes,
      ...(companions ?? []).map(c => c.bytes)
    ]);
    if (res.ok && res.kind === 'stack') {
      return res.stack;
    }
    throw new Error(res.ok ? 'worker answered a read with no stack' : res.message);
  }

  /**
   * Read a stack file where it is on the server (`url`: its /files/ URL): the
   * worker reads it with range requests, a slab of the cube at a time, and
   * reports the values read so far. A server that ignores ranges sends the
   * whole file, which is read as `readStack` would.
   */
  async readStackFromServer(
    name: string,
    url: string,
    options: {
      headers?: Record<string, string>;
      onProgress?: (done: number, total: number) => void;
      /** At most this many values come to the page (default and most: TRANSFER_LIMIT_VALUES). */
      transferLimit?: number;
      /** Apply the file's ring current as it is read (the stack then has no `control`). */
      applyRingCurrent?: boolean;
    } = {}
  ): Promise<{ stack: Stack; read?: ServerRead }> {
    // the worker's heap grows by a slab (up to 16 MiB) and its requests leave their
    // responses to the garbage collector: a fresh worker afterwards costs less
    this._recycleWhenIdle = true;
    const res = await this.request(
      {
        kind: 'read-url',
        name,
        url,
        headers: options.headers,
        transferLimit: options.transferLimit,
        applyRingCurrent: options.applyRingCurrent
      },
      [],
      options.onProgress
    );
    if (res.ok && res.kind === 'stack') {
      return { stack: res.stack, read: res.read };
    }
    if (!res.ok && res.tooLarge) {
      // refused before its cube was read: a workbench's stack worker may hold it instead
      throw new TooLargeToMoveError(res.message, res.tooLarge.values, res.tooLarge.limit);
    }
    throw new Error(res.ok ? 'worker answered a read with no stack' : res.message);
  }

  /** Make the built-in demo stack as NXstxm file bytes. */
  async simulateDemo(
    seed = 1,
    options?: Pick<DemoOptions, 'ny' | 'nx' | 'front'>
  ): Promise<ArrayBuffer> {
    const res = await this.request({ kind: 'simulate-demo', seed, options }, []);
    if (res.ok && res.kind === 'file') {
      return res.bytes;
    }
    throw new Error(res.ok ? 'worker answered with no file' : res.message);
  }

  /** The demo particle as arrays, simulated in the worker (a 2048² one takes seconds). */
  async simulateArrays(options: DemoOptions): Promise<{ stack: Stack; truth: DemoTruth }> {
    const res = await this.request({ kind: 'simulate-arrays', options }, []);
    if (res.ok && res.kind === 'simulation') {
      return { stack: res.stack, truth: res.truth };
    }
    throw new Error(res.ok ? 'worker answered with no simulation' : res.message);
  }

  /** Write `stack` (copied, not transferred) as NXstxm file bytes. */
  async writeStack(stack: Stack): Promise<ArrayBuffer> {
    this.recycleAfter(stack.data.byteLength);
    const res = await this.request({ kind: 'write-stack', stack }, []);
    if (res.ok && res.kind === 'file') {
      return res.bytes;
    }
    throw new Error(res.ok ? 'worker answered with no file' : res.message);
  }

  /** Simulate a sample with the engine's simulator: NXstxm bytes and its references CSV. */
  async simulateSample(
    config: Partial<SampleConfig>
  ): Promise<{ bytes: ArrayBuffer; referencesCsv: string }> {
    const res = await this.request({ kind: 'simulate-sample', config }, []);
    if (res.ok && res.kind === 'sample') {
      return { bytes: res.bytes, referencesCsv: res.referencesCsv };
    }
    throw new Error(res.ok ? 'worker answered with no sample' : res.message);
  }

  /** A result as NeXus/HDF5 file bytes (written in the worker; the result is copied). */
  async writeResult(result: PhaseMapResult, sourceFile?: string): Promise<ArrayBuffer> {
    const res = await this.request({ kind: 'write-result', result, sourceFile }, []);
    if (res.ok && res.kind === 'file') {
      return res.bytes;
    }
    throw new Error(res.ok ? 'worker answered with no file' : res.message);
  }

  /**
   * Pre-process a copy of `stack` (I0, optical density, alignment, mask) in
   * the worker, for the workbench's OD view and pre-processing read-outs.
   */
  async prepare(
    stack: Stack,
    params: PreprocessParams,
    references?: ReferenceSet
  ): Promise<PreparedStack> {
    const res = await this.request({ kind: 'prepare', stack, params, references }, []);
    if (res.ok && res.kind === 'prepared') {
      return res.prepared;
    }
    throw new Error(res.ok ? 'worker answered a prepare with no stack' : res.message);
  }

  /**
   * Run the pipeline on `stack` in a worker of its own, so that a cancel
   * (through `signal`) terminates it at once, mid-computation, and reads in
   * other workbenches never wait behind a run.
   *
   * With `transfer`, the stack's buffers move to the worker (they are emptied
   * here): no copy of the cube is made, and the worker computes the optical
   * density in them (the workbench passes a copy its stack worker made).
   * Without it the worker gets a structured clone. `prepared`: the
   * pre-processing already made with these parameters, `stack` being its OD
   * stack (transferred with it).
   */
  run(
    stack: Stack,
    references: ReferenceSet,
    params: DeepPartial<PipelineParams>,
    options: {
      onProgress?: (p: ProgressEvent) => void;
      signal?: AbortSignal;
      transfer?: boolean;
      prepared?: PreparedStack;
    } = {}
  ): Promise<PhaseMapResult> {
    const { onProgress, signal } = options;
    if (signal?.aborted) {
      return Promise.reject(new CancelledError());
    }
    const worker = this.createComputeWorker();
    this._runs.add(worker);
    return new Promise<PhaseMapResult>((resolve, reject) => {
      const finish = (): void => {
        signal?.removeEventListener('abort', onAbort);
        worker.terminate();
        this._runs.delete(worker);
      };
      const onAbort = (): void => {
        finish();
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', onAbort);
      worker.addEventListener('message', (ev: MessageEvent<WorkerResponse>) => {
        const res = ev.data;
        if (res.ok && res.kind === 'progress') {
          onProgress?.(res.progress);
          return;
        }
        finish();
        if (res.ok && res.kind === 'result') {
          resolve(res.result);
        } else {
          reject(new Error(res.ok ? 'worker answered a run with no result' : res.message));
        }
      });
      worker.addEventListener('error', (ev: ErrorEvent) => {
        finish();
        reject(new Error(`analysis worker failed: ${ev.message || 'could not start'}`));
      });
      const prepared = options.prepared;
      const buffers = options.transfer
        ? [
            ...stackTransferables(stack),
            ...(prepared
              ? [prepared.mask, prepared.i0, prepared.shifts.dx, prepared.shifts.dy].map(
                  a => a.buffer as ArrayBuffer
                )
              : [])
          ]
        : [];
      worker.postMessage({ id: ++this._nextId, kind: 'run', stack, references, params, prepared }, [
        ...new Set(buffers)
      ]);
    });
  }

  /**
   * A stack worker for one workbench (store.ts): it will own the workbench's
   * cube and optical density and answer frames and spectra. Its worker
   * starts with the first stack put into it (the compute bundle), or with
   * the first stack it reads itself (`readFromServer`: the analysis
   * worker's bundle, for stacks too large to move); `dispose()` of the
   * store ends it.
   */
  createStore(): WorkerCubeStore {
    return new WorkerCubeStore(this.createComputeWorker, this.createWorker);
  }

  dispose(): void {
    for (const w of this._runs) {
      w.terminate();
    }
    this._runs.clear();
    this._worker?.terminate();
    this._worker = undefined;
    for (const p of this._pending.values()) {
      p.reject(new Error('analysis worker stopped'));
    }
    this._pending.clear();
  }

  /** Whether the shared worker is running (it starts on the first request). */
  get hasSharedWorker(): boolean {
    return this._worker !== undefined;
  }

  private recycleAfter(bytes: number): void {
    if (bytes > RECYCLE_AFTER_BYTES) {
      this._recycleWhenIdle = true;
    }
  }

  private request(
    body: RequestBody,
    transfer: Transferable[],
    onProgress?: (done: number, total: number) => void
  ): Promise<WorkerResponse> {
    const worker = this.worker();
    const id = ++this._nextId;
    return new Promise<WorkerResponse>((resolve, reject) => {
      this._pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ ...body, id }, transfer);
    });
  }

  private worker(): WorkerLike {
    if (!this._worker) {
      const worker = this.createWorker();
      worker.addEventListener('message', (ev: MessageEvent<WorkerResponse>) => {
        const pending = this._pending.get(ev.data.id);
        if (pending && ev.data.ok && ev.data.kind === 'read-progress') {
          pending.onProgress?.(ev.data.done, ev.data.total);
          return;
        }
        if (pending) {
          this._pending.delete(ev.data.id);
          pending.resolve(ev.data);
        }
        if (this._recycleWhenIdle && this._pending.size === 0 && this._worker === worker) {
          worker.terminate();
          this._worker = undefined;
          this._recycleWhenIdle = false;
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
  private _recycleWhenIdle = false;
  private readonly _runs = new Set<WorkerLike>();
  private _nextId = 0;
  private readonly _pending = new Map<number, Pending>();
}
