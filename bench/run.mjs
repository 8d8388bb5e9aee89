#!/usr/bin/env node
/**
 * `make bench`: the performance figures of issue 7, each next to what a user
 * would otherwise run (numpy, scikit-learn, PyTorch, h5py), measured on this
 * machine in this run, one job after the other (never two at once: the
 * machine has 2 cores). Every job is a child process that prints one JSON
 * line; this script collects them, prints the table with ratios and targets,
 * writes bench/results/perf.json and rewrites the table in docs/benchmarks.md.
 *
 *   node bench/run.mjs [--only pearson,gmvae,pipeline,redraw,read] [--quick]
 *                      [--no-docs]
 *
 * Needs: lib/ built (npm run build:lib), the bench venv (.venv-bench, make
 * bench-venv) for the references, Chromium (/usr/bin/chromium or
 * CHROMIUM_PATH) and ui-tests/node_modules for the browser figures, and the
 * installed extension (make install) for the τ redraw in JupyterLab. A job
 * whose tool is missing is reported as skipped, with the reason, and the
 * run fails at the end (a benchmark that silently measured less is worse
 * than none).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { DEFAULT_GMVAE } from '../lib/core/model/result.js';
import { replaceMarkedSection } from './common.mjs';
import { buildTable, formatMarkdown, formatText } from './report.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false }
  }
});
const GROUPS = ['pearson', 'gmvae', 'pipeline', 'redraw', 'read'];
const only = values.only ? values.only.split(',') : GROUPS;
for (const g of only) {
  if (!GROUPS.includes(g)) {
    console.error(`bench: unknown group "${g}" (groups: ${GROUPS.join(', ')})`);
    process.exit(2);
  }
}
const quick = values.quick;
const PY = join(ROOT, '.venv-bench/bin/python');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'stxm-bench-'));
const started = Date.now();
const results = {};
const skipped = [];

function log(msg) {
  const s = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
  console.error(`[${s}s] ${msg}`);
}

/** Runs one job; its last stdout line is its JSON result. */
function job(key, cmd, args, { needs = [], env = {}, timeoutS = 1800 } = {}) {
  for (const [what, ok] of needs) {
    if (!ok) {
      skipped.push({ key, reason: what });
      log(`${key}: SKIPPED (${what})`);
      return null;
    }
  }
  log(`${key}: ${[cmd, ...args].join(' ').replace(ROOT + '/', '')}`);
  const t0 = Date.now();
  const run = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: timeoutS * 1000,
    maxBuffer: 64 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const lines = (run.stdout ?? '').trim().split('\n');
  let parsed = null;
  try {
    parsed = JSON.parse(lines[lines.length - 1]);
  } catch {
    parsed = null;
  }
  if (run.status !== 0 || !parsed) {
    const why = run.error ? run.error.message : `exit ${run.status}`;
    skipped.push({
      key,
      reason: `failed (${why}): ${(run.stderr ?? '').trim().split('\n').slice(-3).join(' / ')}`
    });
    log(`${key}: FAILED (${why})\n${(run.stderr ?? '').trim().split('\n').slice(-8).join('\n')}`);
    return null;
  }
  log(`${key}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  results[key] = parsed;
  return parsed;
}

const haveVenv = ['the bench venv .venv-bench is missing (make bench-venv)', existsSync(PY)];
const haveChromium = [`Chromium is missing at ${CHROMIUM}`, existsSync(CHROMIUM)];
const haveUiDeps = [
  'ui-tests/node_modules is missing (make ui-deps)',
  existsSync(join(ROOT, 'ui-tests/node_modules/@playwright/test'))
];
const node = process.execPath;

// ------------------------------------------------------------------ Pearson
if (only.includes('pearson')) {
  const pixels = quick ? '200000' : '1000000';
  for (const ne of ['20', '100']) {
    const a = ['--pixels', pixels, '--energies', ne, '--refs', '5', '--repeats', '5'];
    job(`pearson.node.${ne}`, node, ['bench/node/pearson.mjs', ...a]);
    job(`pearson.chromium.${ne}`, node, ['bench/browser/run.mjs', 'pearson', ...a], {
      needs: [haveChromium, haveUiDeps]
    });
    job(`pearson.numpy.${ne}`, PY, ['bench/reference/pearson.py', ...a], { needs: [haveVenv] });
  }
}

// ------------------------------------------------------------------ GMVAE training
if (only.includes('gmvae')) {
  // 30 epochs (135 000 samples): the kernel and PyTorch train for about a second; each
  // implementation and setting trains 3 times and its fastest run counts, so that a figure
  // says what the code does rather than what the other jobs of this shared machine did;
  // tfjs's cpu backend, 50× slower and only there for the backend choice, trains once, 3 epochs
  const a = [
    ...['--input-dim', '20', '--samples', '5000', '--epochs', quick ? '3' : '30'],
    ...['--repeats', quick ? '1' : '3']
  ];
  job('gmvae.node', node, ['bench/node/gmvae.mjs', ...a, '--cpu-epochs', quick ? '1' : '3']);
  job(
    'gmvae.chromium',
    node,
    ['bench/browser/run.mjs', 'gmvae', ...a, '--backends', 'kernel,wasm'],
    {
      needs: [haveChromium, haveUiDeps]
    }
  );
  job(
    'gmvae.torch',
    PY,
    ['bench/reference/gmvae_torch.py', ...a, '--batch', String(DEFAULT_GMVAE.batchSize)],
    {
      needs: [haveVenv]
    }
  );
}

// ------------------------------------------------------------------ whole pipeline
if (only.includes('pipeline')) {
  const sizes = quick ? [256] : [256, 1024];
  for (const size of sizes) {
    const stack = join(work, `nvpf-${size}.h5`);
    const refs = join(work, `nvpf-${size}-refs.csv`);
    const sim = spawnSync(
      node,
      [
        'bin/stxm-phasemap',
        'simulate',
        '--out',
        stack,
        '--refs',
        refs,
        '--material',
        'nvpf',
        '--morphology',
        'grains',
        '--size',
        `${size}x${size}`,
        '--energies',
        'hand:20',
        '--seed',
        '5'
      ],
      { cwd: ROOT, encoding: 'utf8' }
    );
    if (sim.status !== 0) {
      skipped.push({ key: `pipeline.${size}`, reason: `simulate failed: ${sim.stderr}` });
      continue;
    }
    job(`pipeline.node.${size}`, node, ['--expose-gc', 'bench/node/pipeline.mjs', stack, refs]);
    job(
      `pipeline.chromium.${size}`,
      node,
      ['bench/browser/run.mjs', 'pipeline', '--stack', stack, '--refs', refs],
      {
        needs: [haveChromium, haveUiDeps],
        timeoutS: 3600
      }
    );
    // the product's memory: a workbench opening the file (range reads), pre-processing it
    // and running the pipeline in its stack worker
    job(
      `workbench.chromium.${size}`,
      node,
      ['bench/browser/run.mjs', 'workbench', '--stack', stack, '--refs', refs],
      {
        needs: [haveChromium, haveUiDeps],
        timeoutS: 3600
      }
    );
    // the reference trains exactly as much as the engine's defaults say
    const budget = [
      '--epochs',
      String(DEFAULT_GMVAE.epochs),
      '--max-train-pixels',
      String(DEFAULT_GMVAE.maxTrainPixels),
      '--batch',
      String(DEFAULT_GMVAE.batchSize)
    ];
    job(`pipeline.python.${size}`, PY, ['bench/reference/pipeline.py', stack, refs, ...budget], {
      needs: [haveVenv],
      timeoutS: 3600
    });
  }
}

// ------------------------------------------------------------------ τ redraw
if (only.includes('redraw')) {
  job('redraw.node', node, ['bench/threshold-speed.mjs', '--size', '512', '--json']);
  const out = join(work, 'tau-latency.json');
  const installed = spawnSync(join(ROOT, '.venv/bin/jupyter'), ['labextension', 'list'], {
    encoding: 'utf8'
  });
  const haveLab = [
    'the extension is not installed in .venv (make install)',
    installed.status === 0 && /stxm-phasemap/.test(`${installed.stdout}${installed.stderr}`)
  ];
  job(
    'redraw.chromium',
    'bash',
    ['-c', `make --no-print-directory test-ui UI_ARGS="tests/latency.spec.ts" >&2 && cat "${out}"`],
    { needs: [haveChromium, haveUiDeps, haveLab], env: { STXM_LATENCY_JSON: out } }
  );
}

// ------------------------------------------------------------------ HDF5 read
if (only.includes('read')) {
  const file = join(work, 'read-100MB.h5');
  const dims = quick
    ? ['--ny', '512', '--nx', '512', '--ne', '25']
    : ['--ny', '1000', '--nx', '1000', '--ne', '25'];
  job('read.node', node, [
    '--expose-gc',
    'bench/read-speed.mjs',
    ...dims,
    '--keep',
    file,
    '--json'
  ]);
  job('read.h5py', PY, ['bench/reference/read_h5.py', file], { needs: [haveVenv] });
}

rmSync(work, { recursive: true, force: true });

// ------------------------------------------------------------------ report
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverageAtEnd: loadavg().map(v => Math.round(v * 100) / 100),
  node: process.version,
  chromium: spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? null,
  python: existsSync(PY)
    ? spawnSync(PY, ['-c', pyVersions()], { encoding: 'utf8' }).stdout.trim()
    : null,
  packages: jsVersions()
};
const report = {
  date: new Date().toISOString(),
  quick,
  seconds: Math.round((Date.now() - started) / 1000),
  machine,
  results,
  skipped
};
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/perf.json'), JSON.stringify(report, null, 2) + '\n');
const table = buildTable(report);
console.log(formatText(table, report));
if (!values['no-docs'] && !quick && only.length === GROUPS.length) {
  const docs = join(ROOT, 'docs/benchmarks.md');
  const text = readFileSync(docs, 'utf8');
  const section = replaceMarkedSection(
    text,
    '<!-- perf:begin (bench/run.mjs writes this part) -->',
    '<!-- perf:end -->',
    formatMarkdown(table, report).trimEnd(),
    docs
  );
  writeFileSync(docs, section);
  log('docs/benchmarks.md updated');
}
if (skipped.length) {
  console.error(
    `bench: ${skipped.length} job(s) skipped or failed: ${skipped.map(s => s.key).join(', ')}`
  );
  process.exit(1);
}

function pyVersions() {
  return [
    'import sys, numpy, h5py',
    'v = {"python": sys.version.split()[0], "numpy": numpy.__version__, "h5py": h5py.__version__}',
    'try:\n import torch; v["torch"] = torch.__version__\nexcept Exception: pass',
    'try:\n import sklearn; v["scikit-learn"] = sklearn.__version__\nexcept Exception: pass',
    'print(", ".join(f"{k} {x}" for k, x in v.items()))'
  ].join('\n');
}

function jsVersions() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const names = [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-wasm',
    'h5wasm',
    'assemblyscript'
  ];
  return Object.fromEntries(
    names.map(n => [n, pkg.dependencies?.[n] ?? pkg.devDependencies?.[n] ?? null])
  );
}
