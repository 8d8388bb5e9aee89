/**
 * Stacks too large to move between workers (issue 16 §4): read, held,
 * pre-processed and mapped in the workbench's stack worker. The path is
 * exercised on a small stack: the read worker's refusal is a stand-in that
 * says what a real one says (`tooLarge`), and the stack worker's reader
 * hands a copy of the stack as `readStackFromServer` would.
 */
import { describe, expect, it } from 'vitest';

import { CancelledError, runPipeline } from '../core/analysis/pipeline.js';
import { StackTooLargeError } from '../core/io/errors.js';
import { frameOf, pixelSpectrum, stackMeta } from '../core/model/cube.js';
import { withDefaults } from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import { prepareStack } from '../core/preprocess/prepare.js';
import { simulateDemo } from '../core/simulate/demo.js';
import { WorkbenchModel } from '../lab/model.js';
import { demoReferenceSet } from '../lab/references.js';
import { ChannelComputeWorker } from './channel-worker.fixtures.js';
import { storeHandler, type Post, type ServerReader } from './compute.js';
import { readWorkbenchStack } from './open.js';
import {
  failure,
  TooLargeToMoveError,
  type ServerRead,
  type StoreRequest,
  type StoreResponse
} from './protocol.js';
import { WorkerCubeStore } from './store.js';

const copy = (s: Stack): Stack => ({
  ...s,
  data: s.data.slice(),
  energies: s.energies.slice(),
  x: s.x.slice(),
  y: s.y.slice(),
  control: s.control?.slice()
});

const demo = simulateDemo({ seed: 2, ny: 14, nx: 18 }).stack;
const refs = demoReferenceSet();
const READ: ServerRead = {
  bytes: 1,
  lazy: true,
  requests: 3,
  bytesFetched: 1,
  cachePeakBytes: 1,
  ms: 1
};

/** A reader of the full bundle's stack worker: the demo stack, in two slabs of progress. */
function demoReader(calls: string[] = []): ServerReader {
  return (req, onProgress) => {
    calls.push(req.url);
    const total = demo.data.length;
    onProgress(total / 2, total);
    onProgress(total, total);
    return Promise.resolve({ stack: copy(demo), read: READ });
  };
}

/** A store whose reader workers read the demo stack; every worker it started. */
function largeStore(calls: string[] = []): {
  store: WorkerCubeStore;
  workers: { kind: 'compute' | 'reader'; worker: ChannelComputeWorker }[];
} {
  const workers: { kind: 'compute' | 'reader'; worker: ChannelComputeWorker }[] = [];
  const store = new WorkerCubeStore(
    () => {
      const worker = new ChannelComputeWorker();
      workers.push({ kind: 'compute', worker });
      return worker;
    },
    () => {
      const worker = new ChannelComputeWorker(demoReader(calls));
      workers.push({ kind: 'reader', worker });
      return worker;
    }
  );
  return { store, workers };
}

/** The read worker as readWorkbenchStack sees it: it refuses the stack for its size. */
const refusingClient = {
  readStackFromServer: (): Promise<never> =>
    Promise.reject(new TooLargeToMoveError('big.h5: … is too large here', demo.data.length, 100))
};

describe('a stack too large to move: read, held and mapped in its stack worker', () => {
  it('a size refusal is a typed answer, not a message to parse', () => {
    const err = new StackTooLargeError('big.h5', 'too large here', 600, 100);
    expect(failure(7, err)).toEqual({
      id: 7,
      ok: false,
      message: 'big.h5: too large here',
      tooLarge: { values: 600, limit: 100 }
    });
    expect(failure(8, new Error('other'))).toEqual({ id: 8, ok: false, message: 'other' });
  });

  it('the stack worker reads the file itself: the page gets its description, first frame and progress', async () => {
    const calls: string[] = [];
    const { store, workers } = largeStore(calls);
    const progress: number[] = [];
    const held = await store.readFromServer('big.h5', 'http://server/files/big.h5', {
      onProgress: done => progress.push(done)
    });
    expect(calls).toEqual(['http://server/files/big.h5']);
    // a worker of the full bundle (it reads files), none of the compute bundle
    expect(workers.map(w => w.kind)).toEqual(['reader']);
    expect(progress).toEqual([demo.data.length / 2, demo.data.length]);
    expect(held.read).toEqual(READ);
    expect(held.held).toEqual(stackMeta(demo));
    expect('data' in held.held).toBe(false);
    const [ne, ny, nx] = [demo.energies.length, demo.y.length, demo.x.length];
    expect(Array.from(held.firstFrame)).toEqual(Array.from(frameOf(demo.data, ny, nx, 0)));
    // the cube is the worker's: frames and spectra as from the stack itself
    expect(Array.from(await store.frame('raw', 5))).toEqual(
      Array.from(frameOf(demo.data, ny, nx, 5))
    );
    expect(Array.from(await store.spectrum('raw', 3, 9))).toEqual(
      Array.from(pixelSpectrum(demo.data, ne, ny, nx, 3, 9))
    );
    store.dispose();
  });

  it('a compute worker held before is replaced by one that reads (what it held goes with it)', async () => {
    const { store, workers } = largeStore();
    await store.put(copy(demo));
    await store.readFromServer('big.h5', 'u');
    expect(workers.map(w => w.kind)).toEqual(['compute', 'reader']);
    expect(workers[0].worker.terminated).toBe(true);
    // a small stack afterwards goes to the same worker, which holds it as a compute worker would
    await store.put(copy(demo));
    expect(workers.length).toBe(2);
    store.dispose();
  });

  it('the compute bundle reads no files, and says so', async () => {
    const handle = storeHandler();
    const answers: StoreResponse[] = [];
    const post: Post = m => answers.push(m as StoreResponse);
    await expect(
      handle({ id: 1, kind: 'store-read-url', name: 'a.h5', url: 'u' }, post)
    ).rejects.toThrow('this stack worker reads no files (the compute bundle has no h5wasm)');
  });

  it('the run goes to the stack worker, on the OD it holds: the result of a run on the stack itself, the OD untouched', async () => {
    const { store, workers } = largeStore();
    const params = withDefaults({ method: 'pcc' });
    await store.readFromServer('big.h5', 'u');
    const meta = await store.prepare(params.preprocess, refs);
    const [pe, py, px] = meta.stack.shape;
    const od = Array.from(await store.spectrum('od', 4, 5));
    const stages: string[] = [];
    const result = await store.runInPlace(refs, params, {
      onProgress: p => stages.push(p.stage)
    });
    expect(stages).toContain('pcc');
    const direct = await runPipeline(copy(demo), refs, params);
    expect(Array.from(result.phase)).toEqual(Array.from(direct.phase));
    expect(Array.from(result.pcc)).toEqual(Array.from(direct.pcc));
    expect(result.counts).toEqual(direct.counts);
    // the pipeline read the OD and wrote nothing into it
    expect(Array.from(await store.spectrum('od', 4, 5))).toEqual(od);
    const prepared = prepareStack(copy(demo), params.preprocess, refs);
    expect(Array.from(await store.frame('od', 2))).toEqual(
      Array.from(frameOf(prepared.stack.data, py, px, 2))
    );
    expect(pe).toBe(prepared.stack.energies.length);
    // nothing went to another worker
    expect(workers.length).toBe(1);
    store.dispose();
  });

  it('a run with other pre-processing prepares again in the worker first, then maps', async () => {
    const { store } = largeStore();
    const params = withDefaults({ method: 'pcc' });
    await store.readFromServer('big.h5', 'u');
    const binned = await store.prepare({ ...params.preprocess, binning: 2 }, refs);
    const [, by, bx] = binned.stack.shape;
    expect((await store.frame('od', 0)).length).toBe(by * bx);
    const result = await store.runInPlace(refs, params);
    const direct = await runPipeline(copy(demo), refs, params);
    expect(Array.from(result.phase)).toEqual(Array.from(direct.phase));
    // the store holds the run's OD now (one OD at a time), not the binned one
    const prepared = prepareStack(copy(demo), params.preprocess, refs);
    const [, py, px] = [0, prepared.stack.y.length, prepared.stack.x.length];
    expect(Array.from(await store.frame('od', 0))).toEqual(
      Array.from(frameOf(prepared.stack.data, py, px, 0))
    );
    store.dispose();
  });

  it('cancel stops the run in the worker between epochs; the stack stays and the next run maps', async () => {
    const { store, workers } = largeStore();
    const params = withDefaults({ method: 'gmvae', gmvae: { epochs: 400, patience: 400 } });
    await store.readFromServer('big.h5', 'u');
    await store.prepare(params.preprocess, refs);
    const controller = new AbortController();
    let epochs = 0;
    const run = store.runInPlace(refs, params, {
      signal: controller.signal,
      onProgress: p => {
        if (p.stage === 'train' && p.epoch !== undefined && ++epochs === 2) {
          controller.abort();
        }
      }
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    // the worker answers again once the run has stopped: the cube and its OD are there
    const [, ny, nx] = [demo.energies.length, demo.y.length, demo.x.length];
    expect(Array.from(await store.frame('raw', 1))).toEqual(
      Array.from(frameOf(demo.data, ny, nx, 1))
    );
    const worker = workers[0].worker;
    const cancel = worker.received.find(r => r.kind === 'store-cancel');
    expect(cancel).toBeDefined();
    const runId = (cancel as Extract<StoreRequest, { kind: 'store-cancel' }>).run;
    // the worker's run stopped with a CancelledError, epochs before its end
    const answers = worker.answered.filter(a => a.id === runId);
    expect(answers.at(-1)).toMatchObject({ ok: false, message: 'the run was cancelled' });
    // (how many epochs pass before the cancel is read depends on the machine's load: the
    // worker yields every 50 ms; what matters is that it stopped well before its 400 epochs,
    // each of which a whole run reports)
    const progress = answers.filter(a => a.kind === 'progress').length;
    expect(progress).toBeGreaterThanOrEqual(2);
    expect(progress).toBeLessThan(params.gmvae.epochs);
    expect((await store.frame('od', 0)).length).toBeGreaterThan(0);
    const fast = withDefaults({ method: 'pcc' });
    const result = await store.runInPlace(refs, fast);
    const direct = await runPipeline(copy(demo), refs, fast);
    expect(Array.from(result.phase)).toEqual(Array.from(direct.phase));
    store.dispose();
  }, 60_000);

  it('readWorkbenchStack: a stack the read worker refuses for its size is read by the store; other failures stay failures', async () => {
    const { store } = largeStore();
    const out = await readWorkbenchStack(refusingClient, store, 'big.h5', 'u');
    expect('held' in out.stack).toBe(true);
    expect(out.read).toEqual(READ);
    // without a store that reads, the refusal is the answer
    await expect(readWorkbenchStack(refusingClient, null, 'big.h5', 'u')).rejects.toBeInstanceOf(
      TooLargeToMoveError
    );
    const broken = {
      readStackFromServer: (): Promise<never> => Promise.reject(new Error('truncated file'))
    };
    await expect(readWorkbenchStack(broken, store, 'big.h5', 'u')).rejects.toThrow(
      'truncated file'
    );
    // a stack small enough comes from the read worker, as before
    const small = {
      readStackFromServer: () => Promise.resolve({ stack: copy(demo) })
    };
    const read: string[] = [];
    const fresh = largeStore(read);
    expect((await readWorkbenchStack(small, fresh.store, 'a.h5', 'u')).stack).toHaveProperty(
      'data'
    );
    expect(read).toEqual([]);
    store.dispose();
  });

  it('the model: a held stack is drawn, pre-processed and mapped where it is; a cancelled run keeps the previous result', async () => {
    const { store, workers } = largeStore();
    const model = new WorkbenchModel('big.h5', { method: 'pcc' }, store);
    model.setReferences(refs);
    const progress: number[] = [];
    model.loadProgressChanged.connect((_, p) => progress.push(p.done));
    await model.load(
      async onProgress =>
        (await readWorkbenchStack(refusingClient, store, 'big.h5', 'u', { onProgress })).stack
    );
    expect(model.status).toBe('ready');
    expect(model.held).toBe(true);
    expect(progress).toEqual([demo.data.length / 2, demo.data.length]);
    expect(model.stack?.shape).toEqual([demo.energies.length, demo.y.length, demo.x.length]);
    expect(model.info?.shape).toEqual(model.stack?.shape);
    const [, ny, nx] = model.stack!.shape;
    expect(Array.from(await model.cube.frame('raw', 0))).toEqual(
      Array.from(frameOf(demo.data, ny, nx, 0))
    );
    await expect(model.stackCopy()).rejects.toThrow(/stays in its workbench's stack worker/);
    await model.prepare();
    expect(model.prepared).not.toBeNull();

    const first = await model.run();
    const direct = await runPipeline(copy(demo), refs, model.runParams());
    expect(Array.from(first.phase)).toEqual(Array.from(direct.phase));
    expect(model.result).toBe(first);

    // a cancelled run: the previous result stays, and so does the stack
    model.setParams({ method: 'gmvae', gmvae: { epochs: 400, patience: 400 } });
    model.progressChanged.connect((_, p) => {
      if (p.stage === 'train' && p.epoch === 1) {
        model.cancel();
      }
    });
    await expect(model.run()).rejects.toBeInstanceOf(CancelledError);
    expect(model.runState).toBe('cancelled');
    expect(model.result).toBe(first);
    expect((await model.cube.frame('raw', 2)).length).toBe(ny * nx);
    expect(workers.length).toBe(1);
    model.dispose();
    expect(workers[0].worker.terminated).toBe(true);
  }, 60_000);
});
