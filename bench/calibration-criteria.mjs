#!/usr/bin/env node
/**
 * How the automatic energy calibration's criterion was chosen (docs/preprocessing.md).
 * On simulated NVPF stacks made to be hard — single-phase particles, particles
 * lacking phases, references lacking a phase, offsets 0…1 eV of either sign,
 * 5–20 energies (including sets that sample the V L3 edge only), mismatch
 * 0.5–1.5 — the estimate of every stack is recorded with its Pearson accuracy
 * with no shift, with the estimate, and with the true shift; candidate criteria
 * (least gain, largest spread between the particle's quarters) are then scored
 * by the accuracy of the maps they lead to, on a tuning half and a test half.
 *
 *   node bench/calibration-criteria.mjs [--stacks 300]
 *
 * Needs lib/. Writes bench/results/calibration-criteria.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = p => join(ROOT, 'lib', p);
const { prepareStack } = await import(lib('core/preprocess/prepare.js'));
const { estimateEnergyShift } = await import(lib('core/preprocess/energy-shift.js'));
const { simulateSample } = await import(lib('core/simulate/sample.js'));
const { resolveEnergies } = await import(lib('core/simulate/scenarios.js'));
const { runPipeline } = await import(lib('core/analysis/pipeline.js'));
const { evaluateAgainstTruth, rate } = await import(lib('core/simulate/evaluate.js'));
const { Rng } = await import(lib('core/simulate/rng.js'));

const { values } = parseArgs({ options: { stacks: { type: 'string', default: '300' } } });
const N = Number(values.stacks);

async function cases(base) {
  const out = [];
  for (let i = 0; i < N; i++) {
    const rng = new Rng(base + i);
    const pick = a => a[Math.floor(rng.uniform() * a.length)];
    const energies = pick(['hand:5', 'hand:8', 'hand:12', 'hand:20', 'planned:8', 'planned:12', 'uniform:10', 'uniform:16']);
    const samplePhases = pick([[0], [1], [2], [3], [4], [0, 1], [1, 2], [2, 3], [3, 4], [0, 3], [0, 2, 4], [1, 3], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4]]);
    const offset = pick([0, 0, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0.5, -0.5, 0.05, -0.05, 0.8, -1.0]);
    const missingRef = rng.uniform() < 0.2 ? Math.floor(rng.uniform() * 5) : -1;
    const morphology = samplePhases.length === 1 ? pick(['core-shell', 'particles']) : pick(['grains', 'core-shell', 'particles']);
    const config = {
      material: 'nvpf', morphology, samplePhases, energyOffsetEv: offset,
      referencePhases: [0, 1, 2, 3, 4].filter(k => k !== missingRef),
      mismatch: pick([0.5, 1, 1, 1.5]), i0: Math.round(300 + 3000 * rng.uniform()), seed: base + i,
      energies: resolveEnergies(energies, 'nvpf')
    };
    let s;
    try {
      s = simulateSample(config);
    } catch {
      continue;
    }
    const prep = prepareStack(s.stack, { align: false, energyShift: 0 });
    const est = estimateEnergyShift(prep.stack.data, prep.stack.energies, prep.mask, s.references, { width: 64 });
    const accAt = async shift => {
      const r = await runPipeline(s.stack, s.references, { method: 'pcc', preprocess: { align: false, energyShift: shift } });
      return rate(evaluateAgainstTruth(r, s.truth).overall);
    };
    const row = {
      energies, phases: samplePhases.join(''), missingRef, offset, estimate: est.shiftEv, gain: est.gain,
      atEdge: est.atEdge, sectorSpreadEv: est.sectorSpreadEv,
      accNone: await accAt(0), accEstimate: await accAt(est.shiftEv), accTrue: await accAt(-offset)
    };
    if (Number.isFinite(row.accNone) && Number.isFinite(row.accEstimate)) {
      out.push(row);
    }
  }
  return out;
}

const tune = await cases(1000);
const test = await cases(5000);
const mean = a => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
const accuracyWith = (rows, minGain, maxSpread) =>
  100 * mean(rows.map(r => (r.gain >= minGain && !r.atEdge && r.sectorSpreadEv <= maxSpread ? r.accEstimate : r.accNone)));
const subsets = rows => ({
  all: rows,
  'several phases, offset 0.1–0.5 eV': rows.filter(r => r.phases.length > 1 && Math.abs(r.offset) >= 0.1 && Math.abs(r.offset) <= 0.5),
  'no offset': rows.filter(r => r.offset === 0),
  'single phase': rows.filter(r => r.phases.length === 1)
});
const table = [];
for (const minGain of [0, 0.0005, 0.001, 0.002]) {
  for (const maxSpread of [0.15, 0.25, Infinity]) {
    const entry = { minGain, maxSectorSpreadEv: maxSpread };
    for (const [half, rows] of [['tune', tune], ['test', test]]) {
      entry[half] = Object.fromEntries(Object.entries(subsets(rows)).map(([k, v]) => [k, Number(accuracyWith(v, minGain, maxSpread).toFixed(1))]));
    }
    table.push(entry);
    console.log(`minGain ${minGain} spread ≤ ${maxSpread}: tune ${JSON.stringify(entry.tune)} test ${JSON.stringify(entry.test)}`);
  }
}
const reference = Object.fromEntries(
  [['tune', tune], ['test', test]].map(([half, rows]) => [
    half,
    Object.fromEntries(Object.entries(subsets(rows)).map(([k, v]) => [k, {
      stacks: v.length,
      noShift: Number((100 * mean(v.map(r => r.accNone))).toFixed(1)),
      alwaysTheEstimate: Number((100 * mean(v.map(r => r.accEstimate))).toFixed(1)),
      trueShift: Number((100 * mean(v.map(r => r.accTrue))).toFixed(1))
    }]))
  ])
);
console.log('references:', JSON.stringify(reference));
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/calibration-criteria.json'), JSON.stringify({ date: new Date().toISOString(), reference, table }, null, 1) + '\n');
