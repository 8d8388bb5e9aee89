/**
 * The compute worker: the pipeline's runs and the workbenches' stack workers
 * (compute.ts), in a bundle without h5wasm (lib/worker/stxm-compute-worker.js):
 * such a worker starts with a few MiB, not the analysis worker's h5wasm
 * module and heap. Reads and writes of files go to the analysis worker.
 */
import { configureTfjsWasm, handleRun, handleStore, isStoreRequest, type Post } from './compute.js';
import { failure, type StoreRequest, type WorkerRequest } from './protocol.js';

interface WorkerScope {
  postMessage: Post;
  addEventListener(
    type: 'message',
    listener: (ev: MessageEvent<WorkerRequest | StoreRequest>) => void
  ): void;
}

const scope = self as unknown as WorkerScope;
configureTfjsWasm();
const post: Post = (message, transfer = []) => scope.postMessage(message, transfer);

async function handle(req: WorkerRequest | StoreRequest): Promise<void> {
  if (isStoreRequest(req)) {
    return handleStore(req, post);
  }
  if (req.kind === 'run') {
    return handleRun(req, post);
  }
  throw new Error(`the compute worker does not do '${req.kind}' (the analysis worker does)`);
}

scope.addEventListener('message', ev => {
  const req = ev.data;
  handle(req).catch((err: unknown) => {
    post(failure(req.id, err));
  });
});
