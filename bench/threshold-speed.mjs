#!/usr/bin/env node
/**
 * Speed of moving the ambiguity threshold τ (applyThreshold) on a GMVAE
 * result: ambiguity map, phase Gaussians from the new unambiguous set,
 * Mahalanobis + neighbourhood re-assignment, flags and fractions — no
 * training, no correlations. A synthetic result (5 phases in diagonal bands,
 * 2-D latent with unit noise, margins from |N(0, 0.02)|), every pixel a
 * particle pixel: the worst case for a given image size.
 *
 *   node bench/threshold-speed.mjs [--size 512] [--repeats 20]
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { applyThreshold } = await import(join(ROOT, 'lib/core/analysis/threshold.js'));
const { withDefaults } = await import(join(ROOT, 'lib/core/model/result.js'));
const { Rng } = await import(join(ROOT, 'lib/core/simulate/rng.js'));

const { values } = parseArgs({ options: { size: { type: 'string' }, repeats: { type: 'string' } } });
const sizes = values.size ? [Number(values.size)] : [128, 256, 512];
const repeats = Number(values.repeats ?? 20);
const taus = [0.001, 0.003, 0.005, 0.01, 0.02];

for (const size of sizes) {
  const ny = size;
  const nx = size;
  const npx = ny * nx;
  const n = 5;
  const l = 2;
  const rng = new Rng(1);
  const latent = new Float32Array(npx * l);
  const initialPhase = new Int16Array(npx);
  const margin = new Float32Array(npx);
  for (let p = 0; p < npx; p++) {
    const ph = Math.min(n - 1, Math.floor(((p % nx) + Math.floor(p / nx)) / ((2 * size) / n)));
    initialPhase[p] = ph;
    margin[p] = Math.abs(rng.normal()) * 0.02;
    latent[p * l] = 3 * ph + rng.normal();
    latent[p * l + 1] = rng.normal();
  }
  const result = {
    shape: [ny, nx],
    phaseNames: ['A', 'B', 'C', 'D', 'E'],
    latent,
    latentDim: l,
    initialPhase,
    margin,
    params: withDefaults({ method: 'gmvae' }),
    counts: {}
  };
  applyThreshold(result, 0.005); // warm-up (JIT)
  const cpu = [];
  const wall = [];
  for (let r = 0; r < repeats; r++) {
    const tau = taus[r % taus.length];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    applyThreshold(result, tau);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = a => a.slice().sort((x, y) => x - y)[a.length >> 1];
  console.log(`${size} × ${size}: median ${median(wall).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU per move of τ (${repeats} moves)`);
}
