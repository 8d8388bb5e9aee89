// The workbench's data flow for the memory benchmark (`run.mjs workbench`):
// what a stack document does with its WorkbenchModel and the worker client
// (src/lab/document.ts), without JupyterLab and its views. Open = read the
// file in the worker, keep the stack in the model, pre-process it for
// display (the OD view), and read what the views put on screen (a frame, the
// spectrum under the cursor, the mean spectrum); run = the pipeline through
// the model, as the Run button does.
import { WorkbenchModel } from '../../lib/lab/model.js';
import { readWorkbenchStack } from '../../lib/worker/open.js';

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * What the views read once the stack is open: one frame, the mean spectrum,
 * and 20 pixels' spectra one after the other as the cursor moves (the
 * median time of one is the hover figure). They are asked of the stack
 * worker (model.cube).
 */
async function readOnScreen(model) {
  const stack = model.prepared?.stack ?? model.stack;
  const [ny, nx] = [stack.y.length, stack.x.length];
  const kind = model.prepared ? 'od' : 'raw';
  const frame = await model.cube.frame(kind, 0);
  await model.cube.meanSpectrum(kind, 'mask');
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await model.cube.spectrum(kind, (i * 37) % nx, (i * 53) % ny);
    times.push(performance.now() - t0);
  }
  return { spectrumMs: times.sort((a, b) => a - b)[times.length >> 1], frameLength: frame.length };
}

export async function openAndRun({
  client,
  bytes,
  stackUrl,
  stackName,
  references,
  params,
  transferLimit,
  mark,
  log
}) {
  // as src/lab/document.ts: the cube lives in the workbench's stack worker
  const store = client.createStore();
  const model = new WorkbenchModel(stackName, params, store);
  model.setReferences(references);
  mark('open');
  const t0 = performance.now();
  // bytes null: read from the server with range requests, as a workbench reads an HDF5 file
  let read = null;
  let progressEvents = 0;
  await model.load(async (onProgress, { applyRingCurrent }) => {
    if (bytes) {
      return client.readStack(stackName, bytes);
    }
    // as a workbench reads it (worker/open.ts): a stack too large to move between
    // workers is read by the stack worker itself, and stays there
    const r = await readWorkbenchStack(client, store, stackName, stackUrl, {
      transferLimit,
      applyRingCurrent,
      onProgress: (done, total) => {
        progressEvents++;
        onProgress(done, total);
      }
    });
    read = r.read;
    return r.stack;
  });
  const held = model.held;
  log(
    `read in ${(performance.now() - t0).toFixed(0)} ms${held ? ' (held by the stack worker)' : ''}`
  );
  const tRead = performance.now();
  if (!model.stack) {
    throw new Error(model.error ?? 'no stack');
  }
  mark('prepare');
  const prepared = new Promise(resolve => model.preparedChanged.connect((_, p) => p && resolve(p)));
  model.prepareAutomatically();
  await prepared;
  const t1 = performance.now();
  const onScreen = await readOnScreen(model);
  log(`open + prepare in ${(t1 - t0).toFixed(0)} ms (read ${(tRead - t0).toFixed(0)} ms)`);
  mark('run');
  let lastStage = null;
  const stages = [];
  const onStage = (_, p) => {
    if (p.stage !== lastStage) {
      lastStage = p.stage;
      stages.push({ stage: p.stage, atMs: round(performance.now() - t1, 0) });
      log(`stage ${p.stage}`);
    }
  };
  model.progressChanged.connect(onStage);
  // as the Run button: in the stack worker, on the cube and OD it holds
  await model.run();
  model.progressChanged.disconnect(onStage);
  const t2 = performance.now();
  mark('done');
  const s = model.stack;
  const holds = pageHolds(model);
  const result = { counts: model.result.counts, method: model.result.params.method };
  const resultStageMs = Object.fromEntries(
    Object.entries(model.result.timings ?? {}).map(([k, v]) => [k, round(v, 0)])
  );
  model.dispose();
  return {
    stack: { energies: s.energies.length, ny: s.y.length, nx: s.x.length },
    timingsMs: {
      read: round(tRead - t0, 0),
      openAndPrepare: round(t1 - t0, 0),
      run: round(t2 - t1, 0)
    },
    heldInStackWorker: held,
    runStages: stages,
    resultStageMs,
    serverRead: read,
    readProgressEvents: progressEvents,
    hoverSpectrumMs: round(onScreen.spectrumMs, 3),
    result,
    pageHolds: holds
  };
}

/** The bytes of typed arrays the model holds (stack, prepared stack), as the page sees them. */
function pageHolds(model) {
  let bytes = 0;
  const seen = new Set();
  const visit = (v, depth) => {
    if (!v || typeof v !== 'object' || depth > 4 || seen.has(v)) {
      return;
    }
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      bytes += v.byteLength;
      return;
    }
    for (const x of Object.values(v)) {
      visit(x, depth + 1);
    }
  };
  visit(model.stack, 0);
  visit(model.prepared, 0);
  return { typedArrayMiB: round(bytes / 2 ** 20, 1) };
}
