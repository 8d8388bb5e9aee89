#!/usr/bin/env node
/**
 * Does the sparse-energy planner choose better energies than a user would?
 * Pearson-only accuracy against ground truth on simulated NVPF stacks
 * measured at N hand-picked, planned (src/core/analysis/planner.ts) or
 * evenly spaced energies. Runs the compiled core in lib/.
 *
 *   node bench/planner.mjs
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = p => import(join(ROOT, 'lib', p));
const { runPipeline } = await lib('core/analysis/pipeline.js');
const { resolveEnergies } = await lib('core/simulate/scenarios.js');
const { simulateSample } = await lib('core/simulate/sample.js');
const { evaluateAgainstTruth } = await lib('core/simulate/evaluate.js');

const seeds = [31, 32, 33];
const rows = [];
for (const n of [5, 8, 12]) {
  const row = { n };
  for (const kind of ['hand', 'planned', 'uniform']) {
    const energies = resolveEnergies(`${kind}:${n}`, 'nvpf');
    const total = { correct: 0, total: 0, ambiguous: 0 };
    for (const morphology of ['grains', 'core-shell']) {
      for (const seed of seeds) {
        const s = simulateSample({ material: 'nvpf', morphology, i0: 1000, seed, energies });
        const r = await runPipeline(s.stack, s.references, { method: 'pcc' });
        const a = evaluateAgainstTruth(r, s.truth);
        total.correct += a.overall.correct;
        total.total += a.overall.total;
        total.ambiguous += r.counts.ambiguous;
      }
    }
    row[kind] = total;
  }
  rows.push(row);
}
const pct = t => ((100 * t.correct) / t.total).toFixed(1);
const amb = t => ((100 * t.ambiguous) / t.total).toFixed(1);
console.log('| energies | hand-picked | planned | evenly spaced |');
console.log('|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.n} | ${pct(r.hand)} % (${amb(r.hand)} % ambiguous) | ${pct(r.planned)} % (${amb(r.planned)} % ambiguous) | ${pct(r.uniform)} % (${amb(r.uniform)} % ambiguous) |`);
}
