/**
 * The analysis Web Worker: reads and writes stack files with h5wasm (browser
 * build, wasm inlined), simulates, pre-processes; and, like the compute
 * worker (compute-worker.ts, without h5wasm), runs the pipeline and holds a
 * workbench's cube (compute.ts). Heavy work never runs on the page.
 */
import h5wasm from 'h5wasm';

import {
  createH5Runtime,
  formatReferenceCsv,
  readStack,
  prepareStack,
  type H5Runtime
} from '../core/index.js';
import { writeNxstxm } from '../core/io/nxstxm-write.js';
import { writeResult } from '../core/io/result-write.js';
import { simulateDemo, simulateDemoFile } from '../core/simulate/demo.js';
import { simulateSample } from '../core/simulate/sample.js';
import {
  configureTfjsWasm,
  handleRun,
  isStoreRequest,
  storeHandler,
  throttledProgress
} from './compute.js';
import { readStackFromServer, transferLimit, WORKBENCH_LIMIT } from './read-url.js';
import {
  failure,
  stackTransferables,
  type StoreRequest,
  type StoreResponse,
  type WorkerRequest,
  type WorkerResponse
} from './protocol.js';

interface WorkerScope {
  postMessage(message: WorkerResponse | StoreResponse, transfer?: Transferable[]): void;
  addEventListener(
    type: 'message',
    listener: (ev: MessageEvent<WorkerRequest | StoreRequest>) => void
  ): void;
}

const scope = self as unknown as WorkerScope;

configureTfjsWasm();

let runtimePromise: Promise<H5Runtime> | undefined;

function runtime(): Promise<H5Runtime> {
  runtimePromise ??= h5wasm.ready.then(module => createH5Runtime(h5wasm.File, module));
  return runtimePromise;
}

async function handle(req: WorkerRequest): Promise<void> {
  if (req.kind === 'run') {
    return handleRun(req, post);
  }
  if (req.kind === 'simulate-arrays') {
    const { stack, truth } = simulateDemo(req.options);
    const buffers = [
      ...stackTransferables(stack),
      truth.phase.buffer as ArrayBuffer,
      truth.mix.buffer as ArrayBuffer
    ];
    scope.postMessage({ id: req.id, ok: true, kind: 'simulation', stack, truth }, buffers);
    return;
  }
  if (req.kind === 'prepare') {
    const prepared = prepareStack(req.stack, req.params, req.references);
    const buffers = [
      ...stackTransferables(prepared.stack),
      prepared.mask.buffer as ArrayBuffer,
      prepared.i0.buffer as ArrayBuffer,
      prepared.shifts.dx.buffer as ArrayBuffer,
      prepared.shifts.dy.buffer as ArrayBuffer
    ];
    scope.postMessage({ id: req.id, ok: true, kind: 'prepared', prepared }, [...new Set(buffers)]);
    return;
  }
  const rt = await runtime();
  const fs = rt.FS as unknown as {
    writeFile(path: string, data: Uint8Array, opts?: { canOwn?: boolean }): void;
    readFile(path: string): Uint8Array;
    unlink(path: string): void;
    mkdir(path: string): void;
    rmdir(path: string): void;
  };
  if (req.kind === 'read-url') {
    const progress = throttledProgress((done, total) =>
      scope.postMessage({ id: req.id, ok: true, kind: 'read-progress', done, total })
    );
    // the cube goes to the page: refused above what moves between workers (`tooLarge`)
    const limit = transferLimit(req.transferLimit);
    const { stack, read } = await readStackFromServer(rt, req, progress, limit);
    scope.postMessage(
      { id: req.id, ok: true, kind: 'stack', stack, read },
      stackTransferables(stack)
    );
    return;
  }
  const fsPath = `/stxm-${req.id}.h5`;
  if (req.kind === 'read' && req.companions?.length) {
    // a multi-file scan: every file under its own name in one folder
    const dir = `/stxm-${req.id}`;
    const base = (n: string): string => n.split('/').pop() ?? n;
    const written: string[] = [];
    fs.mkdir(dir);
    try {
      for (const f of [{ name: req.name, bytes: req.bytes }, ...req.companions]) {
        const p = `${dir}/${base(f.name)}`;
        fs.writeFile(p, new Uint8Array(f.bytes), { canOwn: true });
        written.push(p);
      }
      const stack = readStack(rt, written[0], req.name);
      scope.postMessage({ id: req.id, ok: true, kind: 'stack', stack }, stackTransferables(stack));
    } finally {
      for (const p of written) {
        fs.unlink(p);
      }
      fs.rmdir(dir);
    }
    return;
  }
  try {
    if (req.kind === 'write-result') {
      writeResult(rt, fsPath, req.result, { sourceFile: req.sourceFile });
      const bytes = fs.readFile(fsPath).slice().buffer;
      scope.postMessage({ id: req.id, ok: true, kind: 'file', bytes }, [bytes]);
    } else if (req.kind === 'simulate-sample') {
      const sample = simulateSample(req.config);
      writeNxstxm(rt, fsPath, sample.stack);
      const refs = sample.references;
      const referencesCsv = formatReferenceCsv(
        refs.spectra.map(r => r.name),
        refs.spectra[0].energies,
        (i, e) => refs.spectra[i].values[e]
      );
      const bytes = fs.readFile(fsPath).slice().buffer;
      scope.postMessage({ id: req.id, ok: true, kind: 'sample', bytes, referencesCsv }, [bytes]);
    } else if (req.kind === 'read') {
      // the file system keeps the transferred bytes themselves (no second copy of the file)
      fs.writeFile(fsPath, new Uint8Array(req.bytes), { canOwn: true });
      const stack = readStack(rt, fsPath, req.name);
      scope.postMessage({ id: req.id, ok: true, kind: 'stack', stack }, stackTransferables(stack));
    } else {
      if (req.kind === 'write-stack') {
        writeNxstxm(rt, fsPath, req.stack);
      } else {
        simulateDemoFile(rt, fsPath, { ...req.options, seed: req.seed });
      }
      const bytes = fs.readFile(fsPath).slice().buffer;
      scope.postMessage({ id: req.id, ok: true, kind: 'file', bytes }, [bytes]);
    }
  } finally {
    try {
      fs.unlink(fsPath);
    } catch {
      // not written: nothing to remove
    }
  }
}

const post = (message: WorkerResponse | StoreResponse, transfer: Transferable[] = []): void =>
  scope.postMessage(message, transfer);

/**
 * As a workbench's stack worker (a stack too large to move: the page's
 * store started this bundle for it), the cube held here is read here too,
 * up to the workbench's limit.
 */
const handleStore = storeHandler(undefined, {
  readUrl: async (req, onProgress) =>
    readStackFromServer(await runtime(), req, onProgress, WORKBENCH_LIMIT)
});

scope.addEventListener('message', ev => {
  const req = ev.data;
  (isStoreRequest(req) ? handleStore(req, post) : handle(req)).catch((err: unknown) => {
    scope.postMessage(failure(req.id, err));
  });
});
