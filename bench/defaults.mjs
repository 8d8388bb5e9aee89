#!/usr/bin/env node
/**
 * Right by default (docs/preprocessing.md, docs/benchmarks.md): the command line
 * run as a user runs it — `stxm-phasemap map FILE --refs R`, no other option —
 * on realistic simulated stacks (src/core/simulate/realistic.ts: 6–20 energies,
 * drift 0.5–2 px, calibration offsets 0.1–0.5 eV), against the best options set
 * by hand (frames aligned, the true shift) and against the engine's previous
 * defaults (no alignment, no calibration), each scored on the simulator's truth.
 * Also reports how often the calibration was applied, what it found against the
 * true offsets, and where it declined.
 *
 *   node bench/defaults.mjs [--seeds 1-24] [--no-docs]
 *
 * Needs lib/ (npm run build:lib). Writes bench/results/defaults.json and the
 * section between the markers in docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { replaceMarkedSection } from './common.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = p => join(ROOT, 'lib', p);
const { runPipeline } = await import(lib('core/analysis/pipeline.js'));
const { simulateSample } = await import(lib('core/simulate/sample.js'));
const { realisticCase } = await import(lib('core/simulate/realistic.js'));
const { evaluateAgainstTruth, rate } = await import(lib('core/simulate/evaluate.js'));
const { readResult } = await import(lib('core/io/result-read.js'));
const { nodeH5Runtime } = await import(lib('cli/runtime.js'));
const { configureWasm } = await import(lib('core/analysis/gmvae/backend.js'));
const runtime = await nodeH5Runtime();
configureWasm(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '1-24' }, 'no-docs': { type: 'boolean' } }
});
const [lo, hi] = values.seeds.split('-').map(Number);
const seeds = Array.from({ length: (hi ?? lo) - lo + 1 }, (_, i) => lo + i);
const BIN = join(ROOT, 'bin/stxm-phasemap');
const work = mkdtempSync(join(tmpdir(), 'stxm-defaults-'));

/** Configurations set by hand, as `runPipeline` parameters (the CLI's options map onto them). */
const HAND = {
  'previous defaults (no alignment, no calibration)': () => ({ preprocess: { align: false, energyShift: 0 } }),
  'aligned, true shift (set by hand)': c => ({ preprocess: { align: true, energyShift: -c.energyOffsetEv } }),
  'Pearson only, aligned, true shift': c => ({ method: 'pcc', preprocess: { align: true, energyShift: -c.energyOffsetEv } })
};

const rows = [];
const t0 = performance.now();
for (const seed of seeds) {
  const c = realisticCase(seed);
  const stack = join(work, `${c.name}.h5`);
  const refs = join(work, `${c.name}-refs.csv`);
  const out = join(work, `${c.name}-result.h5`);
  execFileSync(BIN, ['simulate', '--scenario', c.name, '--out', stack, '--refs', refs]);
  const sample = simulateSample(c.config);
  // the user's run: no option but the references
  const summary = JSON.parse(
    execFileSync(BIN, ['map', stack, '--refs', refs, '--out', out, '--json', '--quiet'], { encoding: 'utf8' })
  );
  const cli = readResult(runtime, out);
  const score = r => {
    const a = evaluateAgainstTruth(r, sample.truth);
    return { overall: a.overall, ambiguous: a.ambiguous };
  };
  const row = {
    name: c.name,
    energies: c.config.energies.length,
    energySet: c.energies,
    morphology: c.config.morphology,
    driftPx: c.totalDriftPx,
    offsetEv: c.energyOffsetEv,
    decisions: summary.decisions,
    warnings: summary.warnings.map(w => w.code),
    scores: { 'map FILE --refs R (defaults)': score(cli) }
  };
  for (const [label, make] of Object.entries(HAND)) {
    row.scores[label] = score(await runPipeline(sample.stack, sample.references, make(c)));
  }
  rows.push(row);
  const pct = x => (100 * rate(x)).toFixed(1);
  process.stderr.write(
    `[${c.name}] ${c.energies} drift ${c.totalDriftPx} px offset ${c.energyOffsetEv} eV → shift ${summary.decisions.energyShift.shiftEv} (${summary.decisions.energyShift.decision}), aligned ${summary.decisions.alignment.applied}; ` +
      Object.entries(row.scores).map(([k, v]) => `${k.split(' (')[0]} ${pct(v.overall)}/${pct(v.ambiguous)}`).join(' | ') + '\n'
  );
}
const seconds = Math.round((performance.now() - t0) / 1000);

// ------------------------------------------------------------------ report
const labels = Object.keys(rows[0].scores);
const pooled = (label, key) => {
  const c = { correct: 0, total: 0 };
  for (const r of rows) {
    c.correct += r.scores[label][key].correct;
    c.total += r.scores[label][key].total;
  }
  return c;
};
const pct = c => (c.total > 0 ? ((100 * c.correct) / c.total).toFixed(1) : '–');
const lines = [];
lines.push(
  `${rows.length} realistic stacks (\`--scenario realistic-${lo}\` … \`realistic-${hi ?? lo}\`), ${new Date().toISOString().slice(0, 10)}, ${seconds} s. ` +
    'Accuracy (%) against the simulator\'s truth, overall / on the pixels Pearson found ambiguous.'
);
lines.push('');
lines.push(`| stack | E | drift px | offset eV | shift found eV | aligned | ${labels.join(' | ')} |`);
lines.push(`|---|---:|---:|---:|---:|---|${labels.map(() => '---:').join('|')}|`);
for (const r of rows) {
  const e = r.decisions.energyShift;
  lines.push(
    `| ${r.name} (${r.morphology}) | ${r.energies} | ${r.driftPx} | ${r.offsetEv} | ${e.applied ? e.shiftEv.toFixed(2) : `not applied (${e.decision}, est. ${e.estimatedEv?.toFixed(2)})`} | ${r.decisions.alignment.applied ? 'yes' : 'no'} | ${labels
      .map(l => `${pct(r.scores[l].overall)} / ${pct(r.scores[l].ambiguous)}`)
      .join(' | ')} |`
  );
}
lines.push(
  `| **pooled** | | | | | | ${labels.map(l => `**${pct(pooled(l, 'overall'))} / ${pct(pooled(l, 'ambiguous'))}**`).join(' | ')} |`
);
lines.push('');
const applied = rows.filter(r => r.decisions.energyShift.applied);
const errors = applied.map(r => r.decisions.energyShift.shiftEv + r.offsetEv);
const mean = a => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
const rms = Math.sqrt(mean(errors.map(e => e * e)));
lines.push(
  `Calibration applied on ${applied.length} of ${rows.length} stacks; shift found − true shift: mean ${mean(errors).toFixed(3)} eV, rms ${rms.toFixed(3)} eV, worst ${Math.max(...errors.map(Math.abs)).toFixed(3)} eV. ` +
    `Declined: ${rows.filter(r => !r.decisions.energyShift.applied).map(r => `${r.name} (${r.decisions.energyShift.decision})`).join(', ') || 'none'}. ` +
    `Frames aligned on ${rows.filter(r => r.decisions.alignment.applied).length} of ${rows.length}.`
);
const table = lines.join('\n');
process.stdout.write(table + '\n');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  join(ROOT, 'bench/results/defaults.json'),
  JSON.stringify({ date: new Date().toISOString(), seconds, rows }, null, 1) + '\n'
);
if (!values['no-docs']) {
  const docs = join(ROOT, 'docs/benchmarks.md');
  const begin = '<!-- defaults:begin (bench/defaults.mjs writes this part) -->';
  writeFileSync(docs, replaceMarkedSection(readFileSync(docs, 'utf8'), begin, '<!-- defaults:end -->', table, 'docs/benchmarks.md'));
  process.stderr.write('updated docs/benchmarks.md\n');
}
