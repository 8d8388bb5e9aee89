#!/usr/bin/env node
/**
 * The rule behind `align: 'auto'` (docs/preprocessing.md): Pearson accuracy
 * against the simulator's truth with and without frame alignment, over a range
 * of drifts (the largest frame shift), morphologies and energy sets. The
 * evaluation places an aligned map by its reference frame's true shift, so
 * alignment is not penalised for registering to another frame than the first.
 *
 *   node bench/alignment-rule.mjs [--seeds 4]
 *
 * Needs lib/ (npm run build:lib). Writes bench/results/alignment-rule.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = p => join(ROOT, 'lib', p);
const { runPipeline } = await import(lib('core/analysis/pipeline.js'));
const { simulateSample } = await import(lib('core/simulate/sample.js'));
const { resolveEnergies } = await import(lib('core/simulate/scenarios.js'));
const { evaluateAgainstTruth } = await import(lib('core/simulate/evaluate.js'));
const { largestDrift } = await import(lib('core/preprocess/align.js'));

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '4' } } });
const seeds = Number(values.seeds);
const rows = [];
for (const drift of [0, 0.25, 0.5, 1, 1.5, 2, 3, 5]) {
  const acc = { false: { o: [0, 0], a: [0, 0], m: [0, 0] }, true: { o: [0, 0], a: [0, 0], m: [0, 0] } };
  let largest = 0;
  let n = 0;
  for (const morphology of ['grains', 'core-shell', 'particles']) {
    for (let k = 0; k < seeds; k++) {
      const energies = resolveEnergies(['hand:8', 'hand:12', 'hand:20', 'uniform:16'][k % 4], 'nvpf');
      const s = simulateSample({
        material: 'nvpf',
        morphology,
        i0: 1500,
        driftPx: drift / Math.sqrt(energies.length - 1),
        seed: 300 + k * 7 + morphology.length,
        energies,
        ...(morphology === 'particles' ? { ny: 80, nx: 80 } : {})
      });
      largest += largestDrift({ dx: s.truth.shiftX, dy: s.truth.shiftY });
      n++;
      for (const align of [false, true]) {
        // the true calibration: this study is about alignment only
        const r = await runPipeline(s.stack, s.references, { method: 'pcc', preprocess: { align, energyShift: 0 } });
        const a = evaluateAgainstTruth(r, s.truth);
        for (const [key, c] of [['o', a.overall], ['a', a.ambiguous], ['m', a.mixed]]) {
          acc[align][key][0] += c.correct;
          acc[align][key][1] += c.total;
        }
      }
    }
  }
  const pct = c => Number(((100 * c[0]) / c[1]).toFixed(1));
  const row = {
    rmsStepTimesSqrtFrames: drift,
    meanLargestShiftPx: Number((largest / n).toFixed(2)),
    stacks: n,
    notAligned: { overall: pct(acc.false.o), ambiguous: pct(acc.false.a), mixed: pct(acc.false.m) },
    aligned: { overall: pct(acc.true.o), ambiguous: pct(acc.true.a), mixed: pct(acc.true.m) }
  };
  rows.push(row);
  console.log(
    `largest shift ${row.meanLargestShiftPx} px (${n} stacks): not aligned ${row.notAligned.overall} / ${row.notAligned.ambiguous} / ${row.notAligned.mixed}, aligned ${row.aligned.overall} / ${row.aligned.ambiguous} / ${row.aligned.mixed} (overall / ambiguous / mixed %)`
  );
}
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/alignment-rule.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 1) + '\n');
