// The benchmark's own Web Worker (bundled by run.mjs with esbuild, like the
// production worker: one classic script, tfjs aliased to tfjs-core + its
// gradients). It times compiled core functions (lib/) in the context the
// pipeline really runs in: a dedicated worker of a page.
//
//   { task: 'pearson', options } → pearsonMaps + ambiguityMap on a random cube
//                                  (per kernel choice), and a plain memory pass
//                                  over the same cube
//   { task: 'gmvae', options }   → trainGmvae on random clustered features,
//                                  per backend (the wasm training kernel,
//                                  tfjs wasm, tfjs cpu)
//
// Replies: { kind: 'progress', message } … then { kind: 'result', result }
// or { kind: 'error', message }.
import { ambiguityMap } from '../../lib/core/analysis/ambiguity.js';
import * as pearson from '../../lib/core/analysis/pearson.js';
import { clusteredFeatures, median, randomCube } from '../common.mjs';

const progress = message => self.postMessage({ kind: 'progress', message });

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The Pearson implementation a choice resolves to: `pearsonImplementation()`
 * tells what `auto` picks (the wasm SIMD kernel or the TypeScript loop); a
 * core that predates the choice has only the TypeScript loop.
 */
function implementationOf(choice) {
  if (typeof pearson.pearsonImplementation !== 'function') {
    return 'js (this lib/ has no kernel choice)';
  }
  return choice === 'auto' ? pearson.pearsonImplementation() : choice;
}

/**
 * Pearson maps + ambiguity on a random (E, npx) float32 cube with random
 * references, every pixel analysed (no mask), once per kernel choice
 * (`auto`, `wasm`, `js`: pearsonMaps' last argument); then a JS loop that
 * sums every float32 of the cube (the floor any one-pass kernel over it can
 * reach) and a copy of the cube into another array (`TypedArray.set`, a
 * memcpy). Each repeat times all of them, interleaved; warm-up repeats (JIT,
 * wasm tier-up, first touch of the outputs) are reported apart.
 */
async function pearsonTask({ pixels, energies, refs, repeats, warmup, threshold, seed, kernels }) {
  const npx = pixels;
  const ne = energies;
  progress(
    `pearson: filling a ${ne} × ${npx} float32 cube (${((4 * ne * npx) / 2 ** 20).toFixed(0)} MiB)`
  );
  const { cube, refs: refValues } = randomCube(ne, npx, refs, seed);
  const copy = new Float32Array(cube.length); // target of the copy pass

  const runs = [];
  for (let r = 0; r < warmup + repeats; r++) {
    const run = { warmup: r < warmup, kernels: {} };
    for (const kernel of kernels) {
      const t0 = performance.now();
      const maps = pearson.pearsonMaps(cube, ne, refValues, refs, undefined, kernel);
      const t1 = performance.now();
      const amb = ambiguityMap(maps.margin, threshold);
      const t2 = performance.now();
      let ambiguous = 0;
      for (let p = 0; p < amb.length; p++) {
        ambiguous += amb[p];
      }
      // `ambiguous` uses the output, so no engine could skip the work
      run.kernels[kernel] = { pearsonMs: t1 - t0, ambiguityMs: t2 - t1, ambiguous };
    }
    const t3 = performance.now();
    let sum = 0;
    for (let i = 0; i < cube.length; i++) {
      sum += cube[i];
    }
    const t4 = performance.now();
    copy.set(cube);
    run.memoryPassMs = t4 - t3;
    run.copyPassMs = performance.now() - t4;
    run.checksum = sum + copy[copy.length - 1];
    runs.push(run);
    const times = kernels
      .map(k => `${k} ${(run.kernels[k].pearsonMs + run.kernels[k].ambiguityMs).toFixed(0)} ms`)
      .join(', ');
    progress(
      `pearson: ${run.warmup ? 'warm-up' : `repeat ${r - warmup + 1}/${repeats}`}: ` +
        `pearson+ambiguity ${times}; memory pass ${run.memoryPassMs.toFixed(0)} ms, ` +
        `copy ${run.copyPassMs.toFixed(0)} ms`
    );
  }
  const timed = runs.filter(r => !r.warmup);
  const cubeBytes = cube.byteLength;
  const gbPerS = ms => round(cubeBytes / 1e9 / (ms / 1e3), 3);
  const stats = values => ({ medianMs: median(values), repeatsMs: values });
  const memoryPass = timed.map(r => round(r.memoryPassMs));
  const copyPass = timed.map(r => round(r.copyPassMs));
  const byKernel = {};
  for (const kernel of kernels) {
    const k = timed.map(r => r.kernels[kernel]);
    const totals = k.map(x => round(x.pearsonMs + x.ambiguityMs));
    byKernel[kernel] = {
      implementation: implementationOf(kernel),
      pearsonPlusAmbiguity: stats(totals),
      pearson: stats(k.map(x => round(x.pearsonMs))),
      ambiguity: stats(k.map(x => round(x.ambiguityMs))),
      cubeReadGBps: gbPerS(median(totals)),
      timesMemoryPass: round(median(totals) / median(memoryPass)),
      ambiguousPixels: k[0]?.ambiguous ?? null,
      warmupMs: runs
        .filter(r => r.warmup)
        .map(r => round(r.kernels[kernel].pearsonMs + r.kernels[kernel].ambiguityMs))
    };
  }
  return {
    shape: { energies: ne, pixels: npx, refs },
    cubeBytes,
    threshold,
    kernels: byKernel,
    memoryPass: { ...stats(memoryPass), cubeReadGBps: gbPerS(median(memoryPass)) },
    copyPass: { ...stats(copyPass), cubeReadGBps: gbPerS(median(copyPass)) }
  };
}

/**
 * GMVAE training throughput per backend: the core's `trainGmvae` (the
 * function the pipeline's latent stage calls) with early stopping disabled
 * (patience = epochs), so every backend does the same number of epochs.
 * 'kernel' is the project's wasm SIMD training kernel; 'wasm' and 'cpu' are
 * tfjs's backends.
 */
async function gmvaeTask(options) {
  const { samples, inputDim, epochs, hidden, components, latentDim, batchSize, learningRate } =
    options;
  // tfjs is imported on first use, as the pipeline's latent stage does
  const { configureWasm, useBackend } = await import('../../lib/core/analysis/gmvae/backend.js');
  const { trainGmvae } = await import('../../lib/core/analysis/gmvae/train.js');
  configureWasm(new URL(options.wasmFolder, self.location.href).href);
  const features = clusteredFeatures(samples, inputDim, components, options.seed);
  const shape = { inputDim, hidden, components, latentDim };
  const backends = {};
  for (const wanted of options.backends) {
    const tInit = performance.now();
    const { backend, note } = await useBackend(wanted);
    const initMs = performance.now() - tInit;
    progress(`gmvae: ${wanted} backend ready (${backend}) in ${initMs.toFixed(0)} ms`);
    const tries = [];
    for (let r = 0; r < (backend === 'cpu' ? 1 : options.repeats); r++) {
      const t0 = performance.now();
      const trained = await trainGmvae(features, samples, {
        shape,
        epochs,
        batchSize,
        learningRate,
        patience: epochs,
        maxSamples: 0,
        seed: options.seed,
        engine: backend === 'kernel' ? 'kernel' : 'tfjs',
        onEpoch: (epoch, loss) =>
          progress(`gmvae[${backend}]: epoch ${epoch + 1}/${epochs}, loss ${loss.toFixed(4)}`)
      });
      tries.push({ trained, wallMs: performance.now() - t0 });
    }
    const { trained, wallMs } = tries.reduce((a, b) =>
      b.trained.samplesPerSecond > a.trained.samplesPerSecond ? b : a
    );
    const epochsRun = trained.trainingLoss.length;
    backends[wanted] = {
      backend,
      ...(note ? { note } : {}),
      backendInitMs: round(initMs),
      epochs: epochsRun,
      trainSamples: trained.trainSamples,
      validationSamples: trained.validationSamples,
      // the core's own figure: training batches only (forward + backward + Adam); the
      // fastest of the repeats, all of them beside it
      samplesPerSecond: Math.round(trained.samplesPerSecond),
      samplesPerSecondAll: tries.map(t => Math.round(t.trained.samplesPerSecond)),
      // whole call: batches, per-epoch validation loss, weight snapshots
      wallMs: round(wallMs),
      wallSamplesPerSecond: Math.round((trained.trainSamples * epochsRun) / (wallMs / 1e3)),
      firstLoss: round(trained.trainingLoss[0], 4),
      lastLoss: round(trained.trainingLoss[epochsRun - 1], 4)
    };
  }
  return { shape, samples, epochs, batchSize, learningRate, backends };
}

const TASKS = { pearson: pearsonTask, gmvae: gmvaeTask };

self.addEventListener('message', ev => {
  const { task, options } = ev.data;
  Promise.resolve()
    .then(() => {
      if (!Object.hasOwn(TASKS, task)) {
        throw new Error(`unknown worker task "${task}"`);
      }
      return TASKS[task](options);
    })
    .then(
      result => self.postMessage({ kind: 'result', result }),
      err =>
        self.postMessage({
          kind: 'error',
          message: err instanceof Error ? (err.stack ?? err.message) : String(err)
        })
    );
});
