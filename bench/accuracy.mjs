#!/usr/bin/env node
/**
 * Accuracy benchmark of the phase-mapping engine against the simulator's
 * ground truth (docs/benchmarks.md). Runs the compiled core in lib/
 * (npm run build:lib first; `make bench-accuracy` does both).
 *
 *   node bench/accuracy.mjs [--only NAME[,NAME]] [--no-docs] [--no-ablation]
 *                           [--backend kernel|wasm|cpu] [--json FILE]
 *
 * For every scenario of src/core/simulate/scenarios.ts: simulate the stack,
 * run Pearson-only, the GMVAE (context and per-pixel resolution from the same
 * trained model — both methods train identically), and the baselines; score
 * each map overall and on the pixels Pearson found ambiguous. Writes
 * bench/results/accuracy.json (or --json FILE) and the tables between the
 * markers in docs/benchmarks.md. The GMVAE trains on the engine's default
 * backend unless --backend says otherwise.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { replaceMarkedSection } from './common.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = p => join(ROOT, 'lib', p);
const { runPipeline } = await import(lib('core/analysis/pipeline.js'));
const { resolveInLatentSpace } = await import(lib('core/analysis/resolve.js'));
const { latentStage } = await import(lib('core/analysis/latent-stage.js'));
const { prepareStack } = await import(lib('core/preprocess/prepare.js'));
const { withDefaults } = await import(lib('core/model/result.js'));
const { DEFAULT_NEIGHBOUR_WEIGHT } = await import(lib('core/analysis/methods/index.js'));
const { SCENARIOS, scenarioConfig } = await import(lib('core/simulate/scenarios.js'));
const { simulateSample } = await import(lib('core/simulate/sample.js'));
const { evaluateAgainstTruth, rate } = await import(lib('core/simulate/evaluate.js'));
const { configureWasm } = await import(lib('core/analysis/gmvae/backend.js'));

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'no-docs': { type: 'boolean' },
    'no-ablation': { type: 'boolean' },
    backend: { type: 'string', default: withDefaults({}).gmvae.backend },
    json: { type: 'string', default: join(ROOT, 'bench/results/accuracy.json') }
  }
});
const backend = values.backend;
configureWasm(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));

const METHODS = ['pcc', 'gmvae', 'gmvae-pixel', 'pca-kmeans', 'lsq', 'nnls'];
const ABLATIONS = ['pcc-context', 'spectra-mahalanobis', 'gmvae-neighbour-features'];
const scenarios = values.only ? SCENARIOS.filter(s => values.only.split(',').includes(s.name)) : SCENARIOS;

const score = (result, truth) => {
  const a = evaluateAgainstTruth(result, truth);
  return {
    overall: a.overall,
    ambiguous: a.ambiguous,
    pure: a.pure,
    mixed: a.mixed,
    missingPhase: a.missingPhase,
    transition: a.transition,
    falseAssignment: a.falseAssignment,
    notAnalysed: a.notAnalysed,
    falseParticle: a.falseParticle
  };
};

/** A result with the latent resolution redone on another latent / β. */
function reResolve(result, latent, latentDim, beta) {
  const out = resolveInLatentSpace({
    latent,
    latentDim,
    initialPhase: result.initialPhase,
    ambiguous: result.ambiguous,
    shape: result.shape,
    phases: result.phaseNames.length,
    neighbourWeight: beta
  });
  return { ...result, ...out };
}

const rows = [];
const t00 = performance.now();
for (const scenario of scenarios) {
  const config = scenarioConfig(scenario);
  const sample = simulateSample(config);
  const row = { name: scenario.name, description: scenario.description, config, methods: {}, ablations: {}, timings: {} };
  const log = msg => process.stderr.write(`[${scenario.name}] ${msg}\n`);
  const preprocess = scenario.preprocess ?? {};
  const run = (params) =>
    runPipeline(sample.stack, sample.references, { ...params, preprocess, gmvae: { ...params.gmvae, backend } });

  const pcc = await run({ method: 'pcc' });
  row.methods.pcc = score(pcc, sample.truth);
  row.particle = pcc.counts.particle;
  row.ambiguousPixels = pcc.counts.ambiguous;
  row.energies = config.energies.length;

  let t0 = performance.now();
  const gmvae = await run({ method: 'gmvae' });
  row.timings.gmvaeMs = Math.round(performance.now() - t0);
  row.training = gmvae.training;
  row.methods.gmvae = score(gmvae, sample.truth);
  row.flags = { transition: gmvae.counts.transition, falseAssignment: gmvae.counts.falseAssignment, unassigned: gmvae.counts.unassigned };
  // the paper's per-pixel rule: same model (identical training), no neighbourhood term
  row.methods['gmvae-pixel'] = score(reResolve(gmvae, gmvae.latent, gmvae.latentDim, 0), sample.truth);
  log(`gmvae ${row.timings.gmvaeMs} ms, ${gmvae.training.epochs} epochs, ${gmvae.training.samplesPerSecond} samples/s`);

  for (const method of ['pca-kmeans', 'lsq', 'nnls']) {
    const r = await run({ method });
    row.methods[method] = score(r, sample.truth);
  }

  if (!values['no-ablation']) {
    // context without a latent model: the Pearson vector as the "latent" space
    const npx = pcc.shape[0] * pcc.shape[1];
    const n = pcc.phaseNames.length;
    const pccVec = new Float32Array(npx * n).fill(NaN);
    for (let p = 0; p < npx; p++) {
      if (pcc.mask[p]) {
        for (let k = 0; k < n; k++) pccVec[p * n + k] = pcc.pcc[k * npx + p];
      }
    }
    row.ablations['pcc-context'] = score(reResolve(pcc, pccVec, n, DEFAULT_NEIGHBOUR_WEIGHT), sample.truth);
    // Mahalanobis on the standardised spectra themselves (no learned latent space), with context
    const prepared = prepareStack(sample.stack, preprocess, sample.references);
    const ne = sample.stack.energies.length;
    const { pixelFeatures } = await import(lib('core/analysis/features.js'));
    const feats = pixelFeatures(prepared.stack.data, ne, pcc.shape, pcc.mask, false);
    const spectra = new Float32Array(npx * ne).fill(NaN);
    feats.pixels.forEach((p, k) => spectra.set(feats.values.subarray(k * ne, (k + 1) * ne), p * ne));
    row.ablations['spectra-mahalanobis'] = score(reResolve(pcc, spectra, ne, DEFAULT_NEIGHBOUR_WEIGHT), sample.truth);
    // the GMVAE fed each pixel's spectrum and its neighbours' mean spectrum
    const ctx = await latentStage(prepared.stack.data, ne, pcc.shape, pcc.mask, n, {
      gmvae: { ...withDefaults({}).gmvae, backend },
      context: true,
      seed: 0
    });
    row.ablations['gmvae-neighbour-features'] = score(reResolve(pcc, ctx.latent, ctx.latentDim, DEFAULT_NEIGHBOUR_WEIGHT), sample.truth);
  }

  if (scenario.subsample) {
    t0 = performance.now();
    const sub = await run({ method: 'gmvae', gmvae: { maxTrainPixels: scenario.subsample } });
    const subMs = Math.round(performance.now() - t0);
    t0 = performance.now();
    const all = await run({ method: 'gmvae', gmvae: { maxTrainPixels: 0 } });
    const allMs = Math.round(performance.now() - t0);
    row.subsample = {
      pixels: scenario.subsample,
      sub: { ...score(sub, sample.truth), trainMs: Math.round(sub.timings.train), totalMs: subMs, training: sub.training },
      all: { ...score(all, sample.truth), trainMs: Math.round(all.timings.train), totalMs: allMs, training: all.training }
    };
    log(`subsample ${scenario.subsample}: ${subMs} ms; all ${all.training.trainSamples + all.training.validationSamples} px: ${allMs} ms`);
  }
  rows.push(row);
  const pct = c => (100 * rate(c)).toFixed(1);
  log(METHODS.map(m => `${m} ${pct(row.methods[m].overall)}/${pct(row.methods[m].ambiguous)}`).join('  '));
}

const totalS = ((performance.now() - t00) / 1000).toFixed(0);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const machine = { node: process.version, cpus: (await import('node:os')).cpus().length, date: new Date().toISOString().slice(0, 10), totalSeconds: Number(totalS) };
writeFileSync(values.json, JSON.stringify({ machine, backend, rows }, null, 1) + '\n');

// ---------------------------------------------------------------- markdown
const pct = c => (c.total > 0 ? (100 * c.correct / c.total).toFixed(1) : '–');
const pooled = (m, key, from = 'methods') => {
  const c = { correct: 0, total: 0 };
  for (const r of rows) {
    const s = r[from][m]?.[key];
    if (s) {
      c.correct += s.correct;
      c.total += s.total;
    }
  }
  return c;
};
const LABEL = {
  pcc: 'PCC only',
  gmvae: 'PCC + GMVAE',
  'gmvae-pixel': 'PCC + GMVAE per pixel',
  'pca-kmeans': 'PCA + k-means',
  lsq: 'LSQ fit',
  nnls: 'NNLS fit',
  'pcc-context': 'PCC + context, no latent model',
  'spectra-mahalanobis': 'spectra Mahalanobis + context',
  'gmvae-neighbour-features': 'GMVAE with neighbour features + context'
};
const lines = [];
lines.push(`Accuracy (%) against ground truth: overall / on the pixels Pearson found ambiguous (τ = 0.005). ${rows.length} stacks; ${machine.date}, Node ${machine.node}, ${machine.cpus} cores, GMVAE trained by ${backend === 'kernel' ? 'the wasm training kernel' : `tfjs ${backend}`}, ${totalS} s in all.`);
lines.push('');
lines.push(`| stack | E | px | amb | ${METHODS.map(m => LABEL[m]).join(' | ')} |`);
lines.push(`|---|---:|---:|---:|${METHODS.map(() => '---:').join('|')}|`);
for (const r of rows) {
  lines.push(`| ${r.name} | ${r.energies} | ${r.particle} | ${r.ambiguousPixels} | ${METHODS.map(m => `${pct(r.methods[m].overall)} / ${pct(r.methods[m].ambiguous)}`).join(' | ')} |`);
}
lines.push(`| **all pixels pooled** | | ${rows.reduce((a, r) => a + r.particle, 0)} | ${rows.reduce((a, r) => a + r.ambiguousPixels, 0)} | ${METHODS.map(m => `**${pct(pooled(m, 'overall'))} / ${pct(pooled(m, 'ambiguous'))}**`).join(' | ')} |`);
lines.push('');
if (!values['no-ablation']) {
  lines.push('Ablations (same stacks, same τ): where the gain of PCC + GMVAE comes from.');
  lines.push('');
  lines.push(`| stack | ${['pcc', 'gmvae-pixel', ...ABLATIONS, 'gmvae'].map(m => LABEL[m]).join(' | ')} |`);
  lines.push(`|---|${['pcc', 'gmvae-pixel', ...ABLATIONS, 'gmvae'].map(() => '---:').join('|')}|`);
  const cell = (r, m) => {
    const s = r.methods[m] ?? r.ablations[m];
    return `${pct(s.overall)} / ${pct(s.ambiguous)}`;
  };
  for (const r of rows) {
    lines.push(`| ${r.name} | ${['pcc', 'gmvae-pixel', ...ABLATIONS, 'gmvae'].map(m => cell(r, m)).join(' | ')} |`);
  }
  const pooledAny = (m, key) => (ABLATIONS.includes(m) ? pooled(m, key, 'ablations') : pooled(m, key));
  lines.push(`| **pooled** | ${['pcc', 'gmvae-pixel', ...ABLATIONS, 'gmvae'].map(m => `**${pct(pooledAny(m, 'overall'))} / ${pct(pooledAny(m, 'ambiguous'))}**`).join(' | ')} |`);
  lines.push('');
}
lines.push('Pure and mixed pixels (PCC only → PCC + GMVAE), flags of PCC + GMVAE, training:');
lines.push('');
lines.push('| stack | pure | mixed (band) | transition flags (of which mixed) / mixed px | false assignments (Pearson indeed wrong) | unassigned | missing-phase px flagged unassigned | epochs | train s | samples/s |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const g = r.methods.gmvae;
  const p = r.methods.pcc;
  const miss = g.missingPhase.total > 0 ? `${g.missingPhase.flaggedUnassigned} / ${g.missingPhase.total}` : '–';
  lines.push(`| ${r.name} | ${pct(p.pure)} → ${pct(g.pure)} | ${pct(p.mixed)} → ${pct(g.mixed)} | ${g.transition.flagged} (${g.transition.flaggedMixed}) / ${g.transition.mixed} | ${g.falseAssignment.flagged} (${g.falseAssignment.pearsonWrong}) | ${r.flags.unassigned} | ${miss} | ${r.training.epochs} | ${(r.timings.gmvaeMs / 1000).toFixed(1)} | ${r.training.samplesPerSecond} |`);
}
lines.push('');
const subs = rows.filter(r => r.subsample);
if (subs.length) {
  lines.push('Training on a subsample vs all particle pixels (PCC + GMVAE):');
  lines.push('');
  lines.push('| stack | training pixels | accuracy overall / ambiguous | train s | samples/s |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const r of subs) {
    for (const [label, s] of [[`subsample ${r.subsample.pixels}`, r.subsample.sub], ['all', r.subsample.all]]) {
      lines.push(`| ${r.name} | ${label} (${s.training.trainSamples} + ${s.training.validationSamples} held out) | ${pct(s.overall)} / ${pct(s.ambiguous)} | ${(s.trainMs / 1000).toFixed(1)} | ${s.training.samplesPerSecond} |`);
    }
  }
  lines.push('');
}
const table = lines.join('\n');
process.stdout.write(table + '\n');
if (!values['no-docs'] && !values.only) {
  const docs = join(ROOT, 'docs/benchmarks.md');
  const text = readFileSync(docs, 'utf8');
  const begin = '<!-- accuracy:begin (bench/accuracy.mjs writes this part) -->';
  writeFileSync(docs, replaceMarkedSection(text, begin, '<!-- accuracy:end -->', table, 'docs/benchmarks.md'));
  process.stderr.write('updated docs/benchmarks.md\n');
}
