/**
 * What a worker without h5wasm does (compute-worker.ts, and the analysis
 * worker too): run the pipeline on transferred buffers, and hold one
 * workbench's cube and optical density, answering frames and spectra
 * ('store-*' requests; the page side is store.ts).
 */
import { configureWasm } from '../core/analysis/gmvae/backend.js';
import { runPipeline, throwIfAborted } from '../core/analysis/pipeline.js';
import { frameOf, preparedMeta, stackMeta } from '../core/model/cube.js';
import { validateParams } from '../core/model/param-specs.js';
import type { ProgressEvent } from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import { resultTransferables } from '../core/model/result.js';
import { copyStack, LocalCubeStore } from '../core/preprocess/cube-store.js';
import {
  stackTransferables,
  type ServerRead,
  type StoreRequest,
  type StoreResponse,
  type WorkerRequest,
  type WorkerResponse
} from './protocol.js';

/** `postMessage` of the worker's scope. */
export type Post = (message: WorkerResponse | StoreResponse, transfer?: Transferable[]) => void;

/**
 * tfjs-backend-wasm's binaries sit beside this script (copied by the
 * build:worker script into lib/worker/, emitted beside the worker asset by
 * webpack.config.cjs): the folder of this script's own URL.
 */
export function configureTfjsWasm(): void {
  const here = (self as unknown as { location?: { href: string } }).location?.href;
  if (here) {
    configureWasm(new URL('./', here).href);
  }
}

export const isStoreRequest = (req: { kind: string }): req is StoreRequest =>
  req.kind.startsWith('store-');

export async function handleRun(
  req: Extract<WorkerRequest, { kind: 'run' }>,
  post: Post
): Promise<void> {
  // req.stack's buffers were transferred to this worker: the pipeline may consume them
  const result = await runPipeline(req.stack, req.references, req.params, {
    consumeInput: true,
    prepared: req.prepared,
    onProgress: progress => post({ id: req.id, ok: true, kind: 'progress', progress })
  });
  post({ id: req.id, ok: true, kind: 'result', result }, resultTransferables(result));
}

/**
 * What reads a stack file from the server in a stack worker of the full
 * bundle (worker.ts: h5wasm, `readStackFromServer` at the workbench's
 * limit); the compute bundle has none.
 */
export type ServerReader = (
  req: Extract<StoreRequest, { kind: 'store-read-url' }>,
  onProgress: (done: number, total: number) => void
) => Promise<{ stack: Stack; read: ServerRead }>;

/** One stack worker's state: its cube store, and the run it is doing in place, if any. */
interface StoreState {
  store: LocalCubeStore;
  readUrl?: ServerReader;
  /** Runs in this worker ('store-run'), by request id, to cancel them. */
  runs: Map<number, AbortController>;
  /** The end of the last run asked for: runs go one at a time. */
  lastRun: Promise<unknown>;
}

/**
 * The handler of 'store-*' requests over one cube store (a stack worker
 * holds one; tests make several). `readUrl`: how it reads a file from the
 * server ('store-read-url'), in a worker that can.
 */
export function storeHandler(
  store = new LocalCubeStore(),
  options: { readUrl?: ServerReader } = {}
): (req: StoreRequest, post: Post) => Promise<void> {
  const state: StoreState = {
    store,
    readUrl: options.readUrl,
    runs: new Map(),
    lastRun: Promise.resolve()
  };
  return (req, post) => handleStoreWith(state, req, post);
}

/** A stack worker's cube and optical density (the compute bundle: no reading of files). */
export const handleStore = storeHandler();

async function handleStoreWith(state: StoreState, req: StoreRequest, post: Post): Promise<void> {
  const { store } = state;
  const values = (v: Float32Array | Float64Array): void =>
    post({ id: req.id, ok: true, kind: 'values', values: v }, [v.buffer as ArrayBuffer]);
  switch (req.kind) {
    case 'store-put':
      abortRuns(state);
      await store.put(req.stack);
      post({ id: req.id, ok: true, kind: 'stored' });
      return;
    case 'store-read-url': {
      if (!state.readUrl) {
        throw new Error('this stack worker reads no files (the compute bundle has no h5wasm)');
      }
      // what it held goes before the new cube is read (never two cubes at once)
      abortRuns(state);
      store.dispose();
      const progress = throttledProgress((done, total) =>
        post({ id: req.id, ok: true, kind: 'read-progress', done, total })
      );
      const { stack, read } = await state.readUrl(req, progress);
      await store.put(stack);
      const held = stackMeta(stack);
      const [, ny, nx] = held.shape;
      const firstFrame = frameOf(stack.data, ny, nx, 0);
      post({ id: req.id, ok: true, kind: 'held', held: { held, firstFrame }, read }, [
        firstFrame.buffer
      ]);
      return;
    }
    case 'store-run':
      return runInPlace(state, req, post);
    case 'store-cancel':
      state.runs.get(req.run)?.abort();
      return;
    case 'store-prepare': {
      await store.prepare(req.params, req.references);
      const prepared = preparedMeta(store.prepared!);
      post({ id: req.id, ok: true, kind: 'prepared-meta', prepared });
      return;
    }
    case 'store-frame':
      return values(await store.frame(req.cube, req.index));
    case 'store-spectrum':
      return values(await store.spectrum(req.cube, req.ix, req.iy));
    case 'store-mean':
      return values(await store.meanSpectrum(req.cube, req.region));
    case 'store-copy': {
      const stack = copyStack(await store.copy());
      post({ id: req.id, ok: true, kind: 'stack', stack }, stackTransferables(stack));
      return;
    }
  }
}

/** Abort every run under way in this stack worker (its stack is being replaced). */
function abortRuns(state: StoreState): void {
  for (const c of state.runs.values()) {
    c.abort();
  }
}

/**
 * 'store-run': the pipeline on the stack held, without copying it. On its
 * prepared OD when that was made with the run's parameters and references
 * (the pipeline reads it, writes nothing into it), else the store prepares
 * it again first (the OD it held goes before the new one is made). The
 * training yields to the event loop (every 50 ms), so a 'store-cancel' and
 * the views' requests are answered between epochs; the stages before it
 * run to their end first.
 */
async function runInPlace(
  state: StoreState,
  req: Extract<StoreRequest, { kind: 'store-run' }>,
  post: Post
): Promise<void> {
  const controller = new AbortController();
  state.runs.set(req.id, controller);
  const before = state.lastRun;
  const work = (async () => {
    await before.catch(() => undefined);
    throwIfAborted(controller.signal);
    const params = validateParams(req.params);
    const { store } = state;
    const onProgress = (progress: ProgressEvent): void =>
      post({ id: req.id, ok: true, kind: 'progress', progress });
    let prepared = store.preparedFor(params.preprocess, req.references);
    if (!prepared) {
      onProgress({ stage: 'prepare', fraction: 0 });
      store.dropPrepared();
      await store.prepare(params.preprocess, req.references);
      prepared = store.preparedFor(params.preprocess, req.references)!;
    }
    return runPipeline(prepared.stack, req.references, params, {
      prepared,
      signal: controller.signal,
      onProgress
    });
  })();
  state.lastRun = work;
  try {
    const result = await work;
    post({ id: req.id, ok: true, kind: 'result', result }, resultTransferables(result));
  } finally {
    state.runs.delete(req.id);
  }
}

/** Progress at most every 1 % of the cube (and at its end): a few dozen messages per read. */
export function throttledProgress(
  post: (done: number, total: number) => void
): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const step = Math.floor((100 * done) / Math.max(1, total));
    if (step > last || done === total) {
      last = step;
      post(done, total);
    }
  };
}
