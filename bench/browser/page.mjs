// The benchmark page's script (bundled by run.mjs with esbuild). It exposes
// `window.stxmBench`, which run.mjs drives through Playwright:
//
//   worker(task, options)      run a task of bench-worker.js in a fresh
//                              dedicated worker and resolve with its result
//   pipelineSetup(options)     fetch a stack file's bytes and its references
//                              CSV, parse the references as the workbench does
//                              (referencesFromTexts), start the read worker
//   workbenchRun(params)       the workbench's path (workbench.mjs): the
//                              model and client as a stack document uses them
//   pipelineRun(params)        the product path, timed: bytes → production
//                              worker 'read' → Stack → 'run' (a worker of its
//                              own) → PhaseMapResult, through the product's
//                              own AnalysisWorkerClient (lib/worker/client.js)
//
// Progress goes to `window.benchLog` and phase boundaries to
// `window.benchMark` (both exposed by run.mjs; fire-and-forget, so they never
// sit inside a timed span's critical path).
import { referencesFromTexts } from '../../lib/core/io/references-read.js';
import { AnalysisWorkerClient } from '../../lib/worker/client.js';
import { openAndRun } from './workbench.mjs';

const PRODUCTION_WORKER = '/worker/stxm-worker.js';
// runs and the workbenches' stack workers (no h5wasm), as the product starts them
const COMPUTE_WORKER = '/worker/stxm-compute-worker.js';
const BENCH_WORKER = '/bench/bench-worker.js';

// driven without DevTools (run.mjs --driver plain, rpc.mjs): log and marks go to the server
const RPC = new URLSearchParams(location.search).has('rpc');
const post = (path, value) =>
  fetch(path, { method: 'POST', body: JSON.stringify(value), cache: 'no-store' });
const log = message =>
  RPC ? post('/rpc/log', String(message)) : window.benchLog?.(String(message));
const mark = name => (RPC ? post('/rpc/mark', name) : window.benchMark?.(name));
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function worker(task, options) {
  return new Promise((resolve, reject) => {
    const w = new Worker(BENCH_WORKER);
    const finish = () => w.terminate();
    w.addEventListener('message', ev => {
      const msg = ev.data;
      if (msg.kind === 'progress') {
        log(msg.message);
        return;
      }
      finish();
      if (msg.kind === 'result') {
        resolve(msg.result);
      } else {
        reject(new Error(`bench worker: ${msg.message}`));
      }
    });
    w.addEventListener('error', ev => {
      finish();
      reject(
        new Error(`bench worker failed: ${ev.message || 'could not start (see the console)'}`)
      );
    });
    w.postMessage({ task, options });
  });
}

async function fetchOk(url) {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`GET ${url}: HTTP ${res.status}`);
  }
  return res;
}

/** State between pipelineSetup and pipelineRun. */
let prepared = null;

async function pipelineSetup({ stackUrl, stackName, refsUrl, refsName, lazy = false }) {
  const t0 = performance.now();
  // lazy: the workbench's read, from the server with range requests (the page fetches nothing)
  const bytes = lazy ? null : await (await fetchOk(stackUrl)).arrayBuffer();
  const t1 = performance.now();
  const refsText = await (await fetchOk(refsUrl)).text();
  const references = referencesFromTexts([{ name: refsName, text: refsText }]);
  const t2 = performance.now();
  const client = new AnalysisWorkerClient(
    () => new Worker(PRODUCTION_WORKER),
    () => new Worker(COMPUTE_WORKER)
  );
  // Start the read worker and its h5wasm runtime, as a workbench that has
  // already opened a file has them: a read of an empty file fails after both
  // are up. The run worker, one per run in the product, starts inside the
  // timed span.
  const probe = await client.readStack('warm-up.h5', new ArrayBuffer(0)).then(
    () => 'unexpectedly read an empty file',
    err => String(err.message ?? err)
  );
  const t3 = performance.now();
  prepared = {
    client,
    bytes,
    stackName,
    references,
    stackUrl: new URL(stackUrl, location.href).href
  };
  return {
    fileBytes: bytes?.byteLength ?? 0,
    fetchMs: round(t1 - t0),
    referencesParseMs: round(t2 - t1),
    references: references.spectra.map(s => s.name),
    readWorkerStartMs: round(t3 - t2),
    readWorkerProbe: probe
  };
}

async function pipelineRun(params) {
  if (!prepared) {
    throw new Error('pipelineRun before pipelineSetup');
  }
  const { client, bytes, stackName, references } = prepared;
  prepared = null;
  const stages = [];
  mark('read');
  const t0 = performance.now();
  const stack = await client.readStack(stackName, bytes); // bytes are transferred (emptied here)
  const t1 = performance.now();
  mark('run');
  log(
    `read ${stack.energies.length} × ${stack.y.length} × ${stack.x.length} in ${(t1 - t0).toFixed(0)} ms`
  );
  let lastStage = null;
  const result = await client.run(stack, references, params, {
    onProgress: p => {
      if (p.stage !== lastStage) {
        lastStage = p.stage;
        stages.push({ stage: p.stage, atMs: round(performance.now() - t1) });
        log(`stage ${p.stage}`);
      } else if (p.epoch !== undefined && p.fraction < 1) {
        log(`train epoch ${p.epoch + 1}: loss ${p.loss?.toFixed(4)}`);
      }
    }
  });
  const t2 = performance.now();
  mark('done');
  client.dispose();
  const stageSum = Object.values(result.timings).reduce((a, b) => a + b, 0);
  return {
    stack: {
      energies: stack.energies.length,
      ny: stack.y.length,
      nx: stack.x.length,
      rawBytes: stack.data.byteLength,
      format: stack.source.format,
      dialect: stack.source.dialect
    },
    timingsMs: {
      fileToFinalMap: round(t2 - t0),
      read: round(t1 - t0),
      run: round(t2 - t1),
      // per stage, measured inside the run worker by runPipeline
      stages: Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, round(v)])),
      // run minus its stages: worker start, tfjs/wasm start, copying the
      // stack in (structured clone) and the result out
      runOverhead: round(t2 - t1 - stageSum)
    },
    progressStages: stages,
    result: {
      shape: result.shape,
      phaseNames: result.phaseNames,
      method: result.params.method,
      threshold: result.threshold,
      counts: result.counts,
      fractions: Array.from(result.fractions, f => round(f, 4)),
      training: result.training ?? null,
      epochsRun: result.trainingLoss.length
    },
    provenance: result.provenance
  };
}

/** The workbench's path (workbench.mjs): model + client, open, pre-process, run. */
async function workbenchRun(params, transferLimit) {
  if (!prepared) {
    throw new Error('workbenchRun before pipelineSetup');
  }
  const setup = prepared;
  const { client } = setup;
  prepared = null;
  try {
    // client, bytes, stackUrl, stackName, references: what pipelineSetup prepared
    return await openAndRun({ ...setup, params, transferLimit, mark, log });
  } finally {
    client.dispose();
  }
}

window.stxmBench = { ready: true, worker, pipelineSetup, pipelineRun, workbenchRun };

/** Without DevTools: evaluate what the server sends, one at a time, and post the answers. */
async function serveRpc() {
  await post('/rpc/ready', true);
  for (;;) {
    const cmd = await (await fetch('/rpc/next', { cache: 'no-store' })).json();
    try {
      // the bench's own functions, from its own server (run.mjs): evaluated as Playwright would
      const value = await (0, eval)(`(${cmd.source})`)(cmd.arg);
      await post('/rpc/result', { id: cmd.id, ok: true, value: value ?? null });
    } catch (err) {
      await post('/rpc/result', { id: cmd.id, ok: false, error: String(err?.message ?? err) });
    }
  }
}
if (RPC) {
  void serveRpc();
}
