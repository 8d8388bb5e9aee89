/**
 * What a worker without h5wasm does (compute-worker.ts, and the analysis
 * worker too): run the pipeline on transferred buffers, and hold one
 * workbench's cube and optical density, answering frames and spectra
 * ('store-*' requests; the page side is store.ts).
 */
import { configureWasm } from '../core/analysis/gmvae/backend.js';
import { runPipeline } from '../core/analysis/pipeline.js';
import { preparedMeta } from '../core/model/cube.js';
import { resultTransferables } from '../core/model/result.js';
import { copyStack, LocalCubeStore } from '../core/preprocess/cube-store.js';
import {
  stackTransferables,
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
 * The handler of 'store-*' requests over one cube store (a stack worker
 * holds one; tests make several).
 */
export function storeHandler(
  store = new LocalCubeStore()
): (req: StoreRequest, post: Post) => Promise<void> {
  return (req, post) => handleStoreWith(store, req, post);
}

/** A stack worker's cube and optical density. */
export const handleStore = storeHandler();

async function handleStoreWith(
  store: LocalCubeStore,
  req: StoreRequest,
  post: Post
): Promise<void> {
  const values = (v: Float32Array | Float64Array): void =>
    post({ id: req.id, ok: true, kind: 'values', values: v }, [v.buffer as ArrayBuffer]);
  switch (req.kind) {
    case 'store-put':
      await store.put(req.stack);
      post({ id: req.id, ok: true, kind: 'stored' });
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
    case 'store-run-input': {
      // the prepared stack on screen when it fits the run, else the raw stack; copied
      const input = await store.runInput(req.params, req.references, true);
      const p = input.prepared;
      const buffers = [
        ...stackTransferables(input.stack),
        ...(p ? [p.mask.buffer, p.i0.buffer, p.shifts.dx.buffer, p.shifts.dy.buffer] : [])
      ] as ArrayBuffer[];
      post({ id: req.id, ok: true, kind: 'run-input', input }, [...new Set(buffers)]);
      return;
    }
    case 'store-copy': {
      const stack = copyStack(await store.copy());
      post({ id: req.id, ok: true, kind: 'stack', stack }, stackTransferables(stack));
      return;
    }
  }
}
