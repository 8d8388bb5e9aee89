/** `stxm-phasemap map`, `simulate` (general) and `plan`, run as a user runs them. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { readResult } from '../core/io/result-read.js';
import { HAVE_SHARED, REAL_STACK, nodeRuntime, tempDir } from '../test-setup/fixtures.js';
import { expectSameMaps, runCli } from '../test-setup/cli.js';
import type { MapSummary } from './map.js';

const CARBON_REFS = new URL('../../examples/references/carbon_C-K.csv', import.meta.url).pathname;

const dir = tempDir('stxm-map-');
const stack = join(dir, 'grains.h5');
const refs = join(dir, 'refs.csv');
const truth = join(dir, 'truth.h5');

beforeAll(async () => {
  const sim = await runCli(
    'simulate',
    '--out',
    stack,
    '--material',
    'nvpf',
    '--morphology',
    'grains',
    '--size',
    '32x40',
    '--i0',
    '1000',
    '--seed',
    '3',
    '--refs',
    refs,
    '--truth',
    truth
  );
  expect(sim.code, sim.stderr).toBe(0);
});

describe('map', () => {
  it('runs the whole pipeline: progress on stderr, a JSON summary on stdout, the result file', async () => {
    const out = join(dir, 'r1.h5');
    const { code, stdout, stderr } = await runCli(
      'map',
      stack,
      '--refs',
      refs,
      '--seed',
      '5',
      '--epochs',
      '4',
      '--out',
      out,
      '--json'
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/\[pcc\] done in \d+ ms/);
    expect(stderr).toMatch(/\[train\] epoch 1: loss/);
    const summary = JSON.parse(stdout) as MapSummary;
    expect(summary.method).toBe('gmvae');
    expect(summary.seed).toBe(5);
    expect(summary.threshold).toBe(0.005);
    expect(summary.shape).toEqual([32, 40]);
    expect(summary.phases.map(p => p.name)).toEqual(['Na3', 'Na2.4', 'Na2', 'Na1', 'Na1-y']);
    expect(summary.phases.reduce((s, p) => s + p.fraction, 0)).toBeCloseTo(1, 5);
    expect(summary.phases.reduce((s, p) => s + p.pixels, 0)).toBe(summary.counts.particle);
    expect(summary.counts.resolved).toBe(summary.counts.ambiguous);
    expect(Object.keys(summary.timingsMs)).toEqual(
      expect.arrayContaining(['prepare', 'pcc', 'train', 'resolve', 'total'])
    );
    expect(summary.training?.epochs).toBe(4);
    expect(summary.training?.backend).toBe('kernel'); // the default: the wasm training kernel
    expect(summary.out).toBe(out);
    const result = readResult(await nodeRuntime(), out);
    expect(result.counts).toEqual(summary.counts);
  });

  it('--backend wasm trains with tfjs instead of the kernel', async () => {
    const { code, stdout, stderr } = await runCli(
      'map',
      stack,
      '--refs',
      refs,
      '--epochs',
      '2',
      '--backend',
      'wasm',
      '--json',
      '--quiet'
    );
    expect(code, stderr).toBe(0);
    expect((JSON.parse(stdout) as MapSummary).training?.backend).toBe('wasm');
  });

  it('same seed → the same result file maps', async () => {
    const a = join(dir, 'same-a.h5');
    const b = join(dir, 'same-b.h5');
    for (const out of [a, b]) {
      const r = await runCli(
        'map',
        stack,
        '--refs',
        refs,
        '--seed',
        '11',
        '--epochs',
        '3',
        '--out',
        out,
        '--quiet'
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
    const rt = await nodeRuntime();
    const ra = readResult(rt, a);
    const rb = readResult(rt, b);
    expect(Buffer.from(ra.phase.buffer).equals(Buffer.from(rb.phase.buffer))).toBe(true);
    expect(Buffer.from(ra.latent.buffer).equals(Buffer.from(rb.latent.buffer))).toBe(true);
  });

  it('maps the demo stack with the references simulate writes for it', async () => {
    const demo = join(dir, 'demo.h5');
    const demoRefs = join(dir, 'demo.csv');
    expect((await runCli('simulate', '--out', demo, '--refs', demoRefs)).code).toBe(0);
    const { code, stdout } = await runCli(
      'map',
      demo,
      '--refs',
      demoRefs,
      '--method',
      'pcc',
      '--json'
    );
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as MapSummary;
    // the built-in demo: four phases at fronts and grain boundaries, drift and a 0.2 eV offset
    expect(summary.phases.map(p => p.name)).toEqual(['Na3', 'Na2.4', 'Na2', 'Na1']);
    for (const p of summary.phases) {
      expect(p.fraction, p.name).toBeGreaterThan(0.04);
    }
    expect(summary.decisions.alignment.applied).toBe(true);
    expect(summary.decisions.energyShift.applied).toBe(true);
    expect(summary.decisions.energyShift.shiftEv).toBeCloseTo(-0.2, 1);
  });

  it('runs a baseline and prints a human summary', async () => {
    const { code, stdout } = await runCli('map', stack, '--refs', refs, '--method', 'nnls');
    expect(code).toBe(0);
    expect(stdout).toContain('method      nnls (non-negative least-squares fit)');
    expect(stdout).toMatch(/Na2\.4\s+\d+\.\d %/);
  });

  it('exits 2 with one line naming the file for inputs it cannot use', async () => {
    const twoEnergies = join(dir, 'two.h5');
    const sim = await runCli(
      'simulate',
      '--out',
      twoEnergies,
      '--energies',
      '517,530',
      '--size',
      '16x16'
    );
    expect(sim.code, sim.stderr).toBe(0);
    const lfpRefs = join(dir, 'lfp.csv');
    writeFileSync(lfpRefs, 'energy_eV,LiFePO4,FePO4\n700,1,2\n730,2,1\n');
    const cases: [string[], RegExp][] = [
      [['map', stack], /--refs REFS\.csv is required/],
      [['map', stack, '--refs', join(dir, 'nope.csv')], /nope\.csv: no such file/],
      [
        ['map', stack, '--refs', lfpRefs],
        /lfp\.csv: the references cover 700–730 eV, where 0 of the 12 energies of .* lie \(512–545 eV\)/
      ],
      [
        ['map', stack, '--refs', refs, '--method', 'magic'],
        /--method: parameter method must be one of gmvae/
      ],
      [
        ['map', stack, '--refs', refs, '--threshold=-1'],
        /--threshold: parameter threshold must be a number in 0…1, not "-1"/
      ],
      [
        ['map', stack, '--refs', refs, '--backend', 'webgpu'],
        /--backend: parameter gmvae.backend must be one of kernel, wasm, cpu/
      ],
      [['map', join(dir, 'missing.h5'), '--refs', refs], /missing\.h5: no such file/],
      [
        ['map', twoEnergies, '--refs', refs],
        /two\.h5: 2 energies; Pearson correlation needs at least 3 energies/
      ]
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli(...args);
      expect(code, args.join(' ')).toBe(2);
      const errors = stderr.split('\n').filter(l => l.startsWith('stxm-phasemap:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
    }
  });

  it.skipIf(!HAVE_SHARED)(
    'runs on the real SLS C K-edge stack (4 energies) with the carbon references',
    async () => {
      const out = join(dir, 'ck.h5');
      const { code, stdout, stderr } = await runCli(
        'map',
        REAL_STACK,
        '--refs',
        CARBON_REFS,
        '--epochs',
        '3',
        '--json',
        '--out',
        out
      );
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/warning: 4 energies: correlations from so few points/);
      const summary = JSON.parse(stdout) as MapSummary;
      expect(summary.energies).toEqual([280, 284.5, 285, 320]);
      expect(summary.phases.map(p => p.name)).toEqual(['carbon black', 'polystyrene', 'PVDF']);
      expect(summary.counts.particle).toBeGreaterThan(500);
      expect(existsSync(out)).toBe(true);
    }
  );
});

describe('map with no options on a drifting stack whose references are offset', () => {
  const drifting = join(dir, 'drifting.h5');
  const driftRefs = join(dir, 'drifting-refs.csv');
  const driftTruth = join(dir, 'drifting-truth.h5');
  beforeAll(async () => {
    const sim = await runCli(
      'simulate',
      ...['--out', drifting, '--material', 'nvpf', '--morphology', 'grains', '--size', '48x48'],
      ...['--drift', '0.3', '--energy-offset', '0.3', '--seed', '9'],
      ...['--refs', driftRefs, '--truth', driftTruth]
    );
    expect(sim.code, sim.stderr).toBe(0);
  });

  it('aligns and calibrates by itself, and says so on stderr and in --json', async () => {
    const out = join(dir, 'drifting-a.h5');
    const r = await runCli(
      'map',
      drifting,
      '--refs',
      driftRefs,
      '--method',
      'pcc',
      '--out',
      out,
      '--json'
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as MapSummary;
    expect(summary.decisions.alignment.applied).toBe(true);
    expect(summary.decisions.energyShift.applied).toBe(true);
    // the simulator's labels are 0.3 eV below the photon energy: the references move down
    expect(summary.decisions.energyShift.shiftEv).toBeLessThan(-0.15);
    expect(summary.decisions.energyShift.shiftEv).toBeGreaterThan(-0.45);
    expect(r.stderr).toMatch(
      /note: references fit best 0\.\d\d eV lower: applied \(mean correlation/
    );
    expect(r.stderr).toMatch(/note: drift up to \d\.\d px: frames aligned, \d+ px cropped/);
    expect(summary.warnings.map(w => w.code)).toEqual(
      expect.arrayContaining(['energy-shift-applied', 'drift'])
    );
    expect(summary.parameters.preprocess.energyShift).toBe('auto');
    expect(summary.parameters.preprocess.align).toBe('auto');
    // the result file keeps the warnings and the complete parameters
    const result = readResult(await nodeRuntime(), out);
    expect(result.warnings).toEqual(summary.warnings);
    expect(result.params).toEqual(summary.parameters);
  });

  it('--params-from RESULT.h5 reproduces that result bit for bit', async () => {
    const first = join(dir, 'repro-a.h5');
    const again = join(dir, 'repro-b.h5');
    const r1 = await runCli(
      'map',
      ...[drifting, '--refs', driftRefs, '--seed', '4', '--epochs', '5', '--latent-dim', '3'],
      ...['--neighbour-weight', '1', '--out', first, '--quiet']
    );
    expect(r1.code, r1.stderr).toBe(0);
    const r2 = await runCli(
      'map',
      ...[drifting, '--refs', driftRefs, '--params-from', first, '--out', again, '--quiet']
    );
    expect(r2.code, r2.stderr).toBe(0);
    const rt = await nodeRuntime();
    const a = readResult(rt, first);
    const b = readResult(rt, again);
    expect(b.params).toEqual(a.params);
    expect(b.params.gmvae.latentDim).toBe(3);
    expectSameMaps(b, a);
    expect(b.warnings).toEqual(a.warnings);
    // an option given with --params-from overrides what the file recorded
    const r3 = await runCli(
      'map',
      ...[
        drifting,
        '--refs',
        driftRefs,
        '--params-from',
        first,
        '--method',
        'pcc',
        '--json',
        '--quiet'
      ]
    );
    expect((JSON.parse(r3.stdout) as MapSummary).parameters.method).toBe('pcc');
  });
});

describe('simulate (general) and plan', () => {
  it('writes the references CSV and the ground truth beside the stack', () => {
    expect(readFileSync(refs, 'utf8')).toMatch(
      /^# reference spectra from the STXM PhaseMap simulator/
    );
    expect(existsSync(truth)).toBe(true);
  });

  it('lists the benchmark scenarios and writes one by name', async () => {
    const list = await runCli('simulate', '--list-scenarios');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('lfp-core-shell-8e');
    const out = join(dir, 'lfp.h5');
    const sim = await runCli('simulate', '--scenario', 'lfp-core-shell-8e', '--out', out, '--json');
    expect(sim.code, sim.stderr).toBe(0);
    const info = JSON.parse(sim.stdout) as { shape: number[]; simulation: { material: string } };
    expect(info.shape).toEqual([8, 64, 64]);
    expect(info.simulation.material).toBe('lfp');
  });

  it('rejects bad simulator options with exit 2', async () => {
    for (const args of [
      ['--material', 'gold'],
      ['--morphology', 'cube'],
      ['--size', '10'],
      ['--energies', 'planned:1'],
      ['--scenario', 'nope'],
      ['--missing-phase', 'Na7']
    ]) {
      const r = await runCli('simulate', '--out', join(dir, 'bad.h5'), ...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });

  it('plan chooses N energies from a references CSV', async () => {
    const { code, stdout } = await runCli('plan', '--refs', refs, '-n', '6', '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { energies: number[]; pairs: unknown[] };
    expect(plan.energies).toHaveLength(6);
    expect(plan.pairs).toHaveLength(10);
    expect((await runCli('plan', '--refs', refs, '-n', '2')).code).toBe(2);
  });
});
