#!/usr/bin/env node
/**
 * How much GMVAE training does the accuracy need? The accuracy benchmark's
 * stacks (src/core/simulate/scenarios.ts), each run with the default method
 * at several training budgets (pixels trained on × epochs); pooled accuracy
 * overall and on the Pearson-ambiguous pixels, and training time. Writes
 * bench/results/training-budget.json. (npm run build:lib first.)
 *
 *   node bench/training-budget.mjs [--budgets 5000x60,2000x60,2000x60b512lr0.01] [--only NAME,…]
 *
 * A budget is PIXELSxEPOCHS, optionally followed by bBATCH and lrRATE.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = p => join(ROOT, 'lib', p);
const { runPipeline } = await import(lib('core/analysis/pipeline.js'));
const { SCENARIOS, scenarioConfig } = await import(lib('core/simulate/scenarios.js'));
const { simulateSample } = await import(lib('core/simulate/sample.js'));
const { evaluateAgainstTruth } = await import(lib('core/simulate/evaluate.js'));
const { configureWasm } = await import(lib('core/analysis/gmvae/backend.js'));
const { resolveInLatentSpace } = await import(lib('core/analysis/resolve.js'));

const { values } = parseArgs({
  options: {
    budgets: { type: 'string', default: '5000x60,2000x60,2000x30,2000x20' },
    only: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '0' }
  }
});
configureWasm(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
const budgets = values.budgets.split(',').map(b => {
  const m = /^(\d+)x(\d+)(?:b(\d+))?(?:lr([\d.e-]+))?$/.exec(b);
  if (!m) {
    throw new Error(`budget "${b}": expected PIXELSxEPOCHS[bBATCH][lrRATE]`);
  }
  const gmvae = { maxTrainPixels: Number(m[1]), epochs: Number(m[2]) };
  if (m[3]) gmvae.batchSize = Number(m[3]);
  if (m[4]) gmvae.learningRate = Number(m[4]);
  return { name: b, gmvae };
});
const scenarios = values.only
  ? SCENARIOS.filter(s => values.only.split(',').includes(s.name))
  : SCENARIOS;
const pooled = Object.fromEntries(
  budgets.map(b => [b.name, { all: [0, 0], amb: [0, 0], ambPixel: [0, 0], trainMs: 0 }])
);
const rows = [];
for (const scenario of scenarios) {
  const sample = simulateSample(scenarioConfig(scenario));
  const row = { name: scenario.name, budgets: {} };
  for (const b of budgets) {
    const r = await runPipeline(sample.stack, sample.references, {
      method: 'gmvae',
      preprocess: scenario.preprocess ?? {},
      gmvae: b.gmvae,
      seed: Number(values.seed)
    });
    const a = evaluateAgainstTruth(r, sample.truth);
    // the paper's per-pixel rule on the same latent space (β = 0), as accuracy.mjs scores it
    const perPixel = evaluateAgainstTruth(
      {
        ...r,
        ...resolveInLatentSpace({
          latent: r.latent,
          latentDim: r.latentDim,
          initialPhase: r.initialPhase,
          ambiguous: r.ambiguous,
          shape: r.shape,
          phases: r.phaseNames.length,
          neighbourWeight: 0
        })
      },
      sample.truth
    );
    row.budgets[b.name] = {
      overall: a.overall,
      ambiguous: a.ambiguous,
      ambiguousPerPixelRule: perPixel.ambiguous,
      trainMs: Math.round(r.timings.train)
    };
    const p = pooled[b.name];
    p.all[0] += a.overall.correct;
    p.all[1] += a.overall.total;
    p.amb[0] += a.ambiguous.correct;
    p.amb[1] += a.ambiguous.total;
    p.ambPixel[0] += perPixel.ambiguous.correct;
    p.ambPixel[1] += perPixel.ambiguous.total;
    p.trainMs += r.timings.train;
    process.stderr.write(
      `[${scenario.name}] ${b.name}: ${((100 * a.overall.correct) / a.overall.total).toFixed(1)} / ` +
        `${((100 * a.ambiguous.correct) / Math.max(1, a.ambiguous.total)).toFixed(1)} %, train ${Math.round(r.timings.train)} ms\n`
    );
  }
  rows.push(row);
}
const summary = Object.fromEntries(
  Object.entries(pooled).map(([k, p]) => [
    k,
    {
      overallPct: Math.round((1000 * p.all[0]) / p.all[1]) / 10,
      ambiguousPct: Math.round((1000 * p.amb[0]) / p.amb[1]) / 10,
      ambiguousPerPixelRulePct: Math.round((1000 * p.ambPixel[0]) / p.ambPixel[1]) / 10,
      trainS: Math.round(p.trainMs / 100) / 10
    }
  ])
);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  values.out ?? join(ROOT, 'bench/results/training-budget.json'),
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, summary, rows },
    null,
    1
  ) + '\n'
);
console.log(JSON.stringify(summary));
