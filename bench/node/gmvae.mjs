#!/usr/bin/env node
/**
 * GMVAE training throughput in Node: trainGmvae (the pipeline's own training
 * loop: mini-batches, Adam, validation each epoch) on clustered random
 * features, with the pipeline's default architecture and schedule, with the
 * project's wasm SIMD training kernel, on the tfjs wasm backend and on the
 * tfjs cpu backend. samples/s = training samples ×
 * epochs / training time (forward + backward + update; validation excluded),
 * as the result's provenance reports it. Prints one JSON line.
 *
 *   node bench/node/gmvae.mjs [--input-dim 20] [--samples 5000] [--epochs 20]
 *                             [--components 5] [--backends kernel,wasm,cpu] [--cpu-epochs N]
 *                             [--repeats 1]
 *
 * (--cpu-epochs: epochs of the tfjs cpu backend, 50× slower than the others; default --epochs.
 * --repeats: trainings per backend but cpu, the fastest counts; every figure is kept)
 */
import { parseArgs } from 'node:util';

import { useBackend } from '../../lib/core/analysis/gmvae/backend.js';
import { trainGmvae } from '../../lib/core/analysis/gmvae/train.js';
import { DEFAULT_GMVAE } from '../../lib/core/model/result.js';
import { configureNodeWasm } from '../../lib/cli/tf-node.js';
import { clusteredFeatures } from '../common.mjs';

const { values } = parseArgs({
  options: {
    'input-dim': { type: 'string', default: '20' },
    samples: { type: 'string', default: '5000' },
    epochs: { type: 'string', default: '20' },
    components: { type: 'string', default: '5' },
    backends: { type: 'string', default: 'kernel,wasm,cpu' },
    'cpu-epochs': { type: 'string' },
    repeats: { type: 'string', default: '1' }
  }
});
const dim = Number(values['input-dim']);
const count = Number(values.samples);
const epochs = Number(values.epochs);
const components = Number(values.components);

// the same clustered data as the Chromium bench (bench/common.mjs)
const features = clusteredFeatures(count, dim, components);

configureNodeWasm();
const out = {
  runtime: `Node ${process.version}`,
  inputDim: dim,
  hidden: DEFAULT_GMVAE.hidden,
  latentDim: DEFAULT_GMVAE.latentDim,
  components,
  batchSize: DEFAULT_GMVAE.batchSize,
  samples: count,
  epochs
};
for (const wanted of values.backends.split(',')) {
  const { backend, note } = await useBackend(wanted);
  const n = backend === 'cpu' && values['cpu-epochs'] ? Number(values['cpu-epochs']) : epochs;
  const tries = [];
  for (let r = 0; r < (backend === 'cpu' ? 1 : Math.max(1, Number(values.repeats))); r++) {
    const t0 = performance.now();
    const trained = await trainGmvae(features, count, {
      shape: {
        inputDim: dim,
        hidden: DEFAULT_GMVAE.hidden,
        components,
        latentDim: DEFAULT_GMVAE.latentDim
      },
      epochs: n,
      batchSize: DEFAULT_GMVAE.batchSize,
      learningRate: DEFAULT_GMVAE.learningRate,
      patience: n + 1, // no early stop: every epoch is timed
      maxSamples: 0,
      seed: 0,
      engine: backend === 'kernel' ? 'kernel' : 'tfjs'
    });
    tries.push({
      samplesPerSecond: Math.round(trained.samplesPerSecond),
      trainSamples: trained.trainSamples,
      epochs: trained.trainingLoss.length,
      wallMs: Math.round(performance.now() - t0)
    });
  }
  const best = tries.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  out[backend] = {
    ...best,
    samplesPerSecondAll: tries.map(t => t.samplesPerSecond),
    ...(note ? { note } : {})
  };
}
console.log(JSON.stringify(out));
