/**
 * `stxm-phasemap simulate --out FILE …`: the project's stack simulator.
 *
 * Without scenario options it writes the built-in demo stack (as the "Open
 * STXM Demo Stack" command does). With `--scenario NAME` or any of
 * `--material/--morphology/--energies/…` it runs the general simulator and
 * can also write the references CSV a user would have (`--refs`) and the
 * ground truth (`--truth`, NeXus/HDF5).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { describeStack, formatReferenceCsv, formatStackInfo } from '../core/index.js';
import { writeNxstxm } from '../core/io/nxstxm-write.js';
import { DEMO_SAMPLE } from '../core/simulate/demo-sample.js';
import { simulateDemo } from '../core/simulate/demo.js';
import { nvpfSpectrum } from '../core/simulate/xanes.js';
import { MATERIALS, type MaterialId } from '../core/simulate/materials.js';
import { MORPHOLOGIES, type Morphology } from '../core/simulate/morphology.js';
import { DEFAULT_SAMPLE, simulateSample, type SampleConfig } from '../core/simulate/sample.js';
import {
  SCENARIOS,
  findScenario,
  resolveEnergies,
  scenarioConfig
} from '../core/simulate/scenarios.js';
import { realisticCase } from '../core/simulate/realistic.js';
import { writeTruth } from '../core/simulate/truth-file.js';
import { UsageError, joinNegativeValues, type CommandIO } from './io.js';
import { nodeH5Runtime } from './runtime.js';

const OPTIONS = {
  out: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  scenario: { type: 'string' },
  material: { type: 'string' },
  morphology: { type: 'string' },
  size: { type: 'string' },
  'pixel-nm': { type: 'string' },
  energies: { type: 'string' },
  i0: { type: 'string' },
  drift: { type: 'string' },
  'energy-offset': { type: 'string' },
  mismatch: { type: 'string' },
  band: { type: 'string' },
  'missing-phase': { type: 'string' },
  refs: { type: 'string' },
  truth: { type: 'string' },
  soc: { type: 'string' },
  'list-scenarios': { type: 'boolean' }
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];

const GENERAL = [
  'scenario',
  'material',
  'morphology',
  'size',
  'pixel-nm',
  'energies',
  'i0',
  'drift',
  'energy-offset',
  'mismatch',
  'band',
  'missing-phase'
] as const;

export async function simulateCommand(args: string[], io: CommandIO): Promise<number> {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(args, OPTIONS),
      options: OPTIONS,
      allowPositionals: false
    }));
  } catch (err) {
    throw new UsageError(`simulate: ${(err as Error).message}`);
  }
  if (values['list-scenarios']) {
    io.out(
      [
        ...SCENARIOS.map(s => `${s.name.padEnd(28)} ${s.description}`),
        `${'realistic-N'.padEnd(28)} NVPF, 6–20 energies, drift 0.5–2 px, calibration offset 0.1–0.5 eV, drawn from seed N`
      ].join('\n')
    );
    return 0;
  }
  if (!values.out) {
    throw new UsageError('simulate: --out FILE is required');
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)) {
    throw new UsageError(`simulate: --seed must be a non-negative integer, not "${values.seed}"`);
  }
  const runtime = await nodeH5Runtime();
  const general = GENERAL.some(k => values[k] !== undefined);
  if (values.soc !== undefined) {
    return simulateSoc(values, seed, runtime, io);
  }

  let config: SampleConfig;
  try {
    // without simulator options: the built-in demo stack (DEMO_SAMPLE)
    config = general
      ? sampleConfig(values, seed)
      : { ...DEMO_SAMPLE, seed: seed ?? DEMO_SAMPLE.seed };
  } catch (err) {
    if (err instanceof RangeError) {
      throw new UsageError(
        err.message.startsWith('simulate') ? err.message : `simulate: ${err.message}`
      );
    }
    throw err;
  }
  let sample;
  try {
    sample = simulateSample(config);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new UsageError(err.message);
    }
    throw err;
  }
  writeNxstxm(runtime, resolve(values.out), sample.stack);
  if (values.refs) {
    const set = sample.references;
    writeFileSync(
      values.refs,
      `# reference spectra from the STXM PhaseMap simulator (${config.material}); exact model spectra\n` +
        formatReferenceCsv(
          set.spectra.map(r => r.name),
          set.spectra[0].energies,
          (i, e) => set.spectra[i].values[e]
        )
    );
  }
  if (values.truth) {
    writeTruth(runtime, resolve(values.truth), sample.truth, sample.stack.energies);
  }
  const info = { ...describeStack(sample.stack), file: values.out };
  if (values.json) {
    io.out(
      JSON.stringify(
        { ...info, simulation: config, refs: values.refs ?? null, truth: values.truth ?? null },
        null,
        2
      )
    );
  } else {
    io.out(formatStackInfo(info));
  }
  return 0;
}

/** Reference grid of `--soc`'s two spectra (as the Python simulate's references). */
const SOC_REF_GRID = Float64Array.from({ length: 181 }, (_, i) => 505 + 0.25 * i);

/**
 * `simulate --soc S`: the two-phase core–shell particle (Na3 core, Na1 shell) of
 * `lab.simulate(soc)` in Python, at state of charge S (the Na1 share: the front's
 * radius is √(1 − S)), for series of states of charge.
 */
function simulateSoc(
  values: Values,
  seed: number | undefined,
  runtime: Awaited<ReturnType<typeof nodeH5Runtime>>,
  io: CommandIO
): number {
  const text = values.soc ?? '';
  const soc = Number(text);
  if (text.trim() === '' || !(soc >= 0 && soc <= 1)) {
    throw new UsageError(`simulate: --soc must be a number in 0…1, not "${text}"`);
  }
  const others = GENERAL.filter(k => k !== 'size' && values[k] !== undefined);
  if (others.length > 0 || values.truth !== undefined) {
    throw new UsageError(
      `simulate: --soc takes --seed, --size and --refs only, not --${[...others, ...(values.truth !== undefined ? ['truth'] : [])].join(', --')}`
    );
  }
  let ny = 48;
  let nx = 64;
  if (values.size !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(values.size);
    if (!m || Number(m[1]) < 8 || Number(m[2]) < 8 || Number(m[1]) * Number(m[2]) > 4096 * 4096) {
      throw new UsageError(
        `simulate: --size must be ROWSxCOLUMNS of at least 8x8 (e.g. 48x64), not "${values.size}"`
      );
    }
    ny = Number(m[1]);
    nx = Number(m[2]);
  }
  const { stack, truth } = simulateDemo({ seed: seed ?? 1, ny, nx, front: Math.sqrt(1 - soc) });
  stack.metadata.title = `NVPF particle, state of charge ${soc}`;
  writeNxstxm(runtime, resolve(values.out!), stack);
  if (values.refs) {
    const valences = [3.0, 4.0];
    const spectra = valences.map(v => nvpfSpectrum(SOC_REF_GRID, v));
    writeFileSync(
      values.refs,
      '# reference spectra from the STXM PhaseMap simulator (nvpf, core–shell); exact model spectra\n' +
        formatReferenceCsv(truth.phaseNames, SOC_REF_GRID, (i, e) => spectra[i][e])
    );
  }
  const inside = truth.phase.filter(p => p >= 0);
  const na1 = inside.filter(p => p === 1).length / Math.max(1, inside.length);
  const info = { ...describeStack(stack), file: values.out! };
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          ...info,
          simulation: { soc, seed: seed ?? 1, ny, nx, truthFractions: [1 - na1, na1] },
          refs: values.refs ?? null
        },
        null,
        2
      )
    );
  } else {
    io.out(formatStackInfo(info));
  }
  return 0;
}

function sampleConfig(values: Values, seed: number | undefined): SampleConfig {
  const base: Partial<SampleConfig> = {};
  let energies: string | undefined;
  const realistic = /^realistic-(\d{1,9})$/.exec(values.scenario ?? '');
  if (realistic) {
    Object.assign(base, realisticCase(Number(realistic[1])).config);
  } else if (values.scenario) {
    const s = findScenario(values.scenario);
    Object.assign(base, scenarioConfig(s));
  }
  if (values.material !== undefined) {
    if (!(values.material in MATERIALS)) {
      throw new RangeError(
        `simulate: --material must be one of ${Object.keys(MATERIALS).join(', ')}`
      );
    }
    base.material = values.material as MaterialId;
    if (!values.scenario) {
      energies = 'hand:12';
    }
  }
  if (values.morphology !== undefined) {
    if (!MORPHOLOGIES.includes(values.morphology as Morphology)) {
      throw new RangeError(`simulate: --morphology must be one of ${MORPHOLOGIES.join(', ')}`);
    }
    base.morphology = values.morphology as Morphology;
  }
  if (values.size !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(values.size);
    if (!m) {
      throw new RangeError(
        `simulate: --size must be ROWSxCOLUMNS (e.g. 64x96), not "${values.size}"`
      );
    }
    base.ny = Number(m[1]);
    base.nx = Number(m[2]);
  }
  const num = (name: keyof Values, lo: number, hi: number): number | undefined => {
    const text = values[name];
    if (text === undefined) {
      return undefined;
    }
    const v = Number(text);
    if (typeof text !== 'string' || text.trim() === '' || !(v >= lo && v <= hi)) {
      throw new RangeError(
        `simulate: --${name} must be a number in ${lo}…${hi}, not "${String(text)}"`
      );
    }
    return v;
  };
  const pixelNm = num('pixel-nm', 1, 10000);
  if (pixelNm !== undefined) {
    base.pixelUm = pixelNm / 1000;
  }
  const assign = <K extends keyof SampleConfig>(key: K, v: SampleConfig[K] | undefined): void => {
    if (v !== undefined) {
      base[key] = v;
    }
  };
  assign('i0', num('i0', 1, 1e9));
  assign('driftPx', num('drift', 0, 10));
  assign('energyOffsetEv', num('energy-offset', -10, 10));
  assign('mismatch', num('mismatch', 0, 10));
  assign('bandPx', num('band', 0.1, 20));
  if (seed !== undefined) {
    base.seed = seed;
  }
  const material = MATERIALS[base.material ?? 'nvpf'];
  if (values.energies !== undefined) {
    energies = values.energies;
  }
  if (energies !== undefined) {
    base.energies = resolveEnergies(energies, material.id);
  }
  if (values['missing-phase'] !== undefined) {
    const i = material.phases.findIndex(p => p.name === values['missing-phase']);
    if (i < 0) {
      throw new RangeError(
        `simulate: --missing-phase must name a ${material.id} phase (${material.phases.map(p => p.name).join(', ')})`
      );
    }
    base.referencePhases = material.phases.map((_, k) => k).filter(k => k !== i);
  }
  return { ...DEFAULT_SAMPLE, ...base };
}
