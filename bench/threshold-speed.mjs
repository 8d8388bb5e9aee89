#!/usr/bin/env node
/**
 * Speed of moving the ambiguity threshold τ (applyThreshold) on a GMVAE
 * result: ambiguity map, phase Gaussians from the new unambiguous set,
 * Mahalanobis + neighbourhood re-assignment, flags and fractions — no
 * training, no correlations. A synthetic result with every pixel a particle
 * pixel (the most work an image of that size can give): 5 phases in
 * diagonal bands, a 2-D latent with the phase means 6σ apart (as trained
 * latents of the benchmark stacks are), margins from |N(0, 0.05)| (≈8 %
 * ambiguous at τ = 0.005, ≈30 % at 0.02).
 *
 *   node bench/threshold-speed.mjs [--size 512] [--repeats 20] [--json]
 *
 * --json: one JSON line at the end (medians in ms per size).
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { applyThreshold, thresholdInSteps } = await import(
  join(ROOT, 'lib/core/analysis/threshold.js')
);
const { withDefaults } = await import(join(ROOT, 'lib/core/model/result.js'));
const { Rng } = await import(join(ROOT, 'lib/core/simulate/rng.js'));

const { values } = parseArgs({
  options: { size: { type: 'string' }, repeats: { type: 'string' }, json: { type: 'boolean' } }
});
const sizes = values.size ? [Number(values.size)] : [128, 256, 512];
const repeats = Number(values.repeats ?? 20);
const taus = [0.001, 0.003, 0.005, 0.01, 0.02];
const summary = {};

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
    margin[p] = Math.abs(rng.normal()) * 0.05;
    latent[p * l] = 6 * ph + rng.normal();
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
    counts: {},
    warnings: []
  };
  applyThreshold(result, 0.005); // warm-up (JIT)
  const cpu = [];
  const wall = [];
  const preview = [];
  const finish = [];
  for (let r = 0; r < repeats; r++) {
    const tau = taus[r % taus.length];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    applyThreshold(result, tau);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    // the slider's two steps: the final map first (preview), then confidence and flags
    const t1 = performance.now();
    const steps = thresholdInSteps(result, tau);
    const t2 = performance.now();
    steps.finish();
    preview.push(t2 - t1);
    finish.push(performance.now() - t2);
  }
  const median = a => a.slice().sort((x, y) => x - y)[a.length >> 1];
  summary[size] = {
    wallMs: Math.round(median(wall) * 10) / 10,
    firstStepMs: Math.round(median(preview) * 10) / 10,
    secondStepMs: Math.round(median(finish) * 10) / 10
  };
  console.log(
    `${size} × ${size}: median ${median(wall).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU per move of τ (${repeats} moves); ` +
      `in two steps: final map ${median(preview).toFixed(1)} ms, then confidence and flags ${median(finish).toFixed(1)} ms`
  );
}

// calibration: how fast is this machine right now? (1.3 M multiply-adds in a plain loop)
{
  const n = 262144 * 5;
  const a = Float64Array.from({ length: n }, (_, i) => i % 7);
  let s = 0;
  const c0 = process.cpuUsage();
  for (let r = 0; r < 10; r++) {
    for (let i = 0; i < n; i++) {
      const d = a[i] - 1.5;
      s += d * d * 0.3 + d * 0.2;
    }
  }
  const c = process.cpuUsage(c0);
  console.log(
    `calibration: 1.3 M multiply-adds take ${((c.user + c.system) / 10000).toFixed(1)} ms CPU here (≈1–2 ms on an idle desktop core)${s > 0 ? '' : ' '}`
  );
}
if (values.json) {
  console.log(JSON.stringify({ runtime: `Node ${process.version}`, repeats, sizes: summary }));
}
