#!/usr/bin/env node
// Performance of the STXM PhaseMap pipeline in headless Chromium (issue 7).
//
//   node bench/browser/run.mjs pearson  [--pixels 1000000] [--energies 20] [--refs 5] [--repeats 5]
//   node bench/browser/run.mjs pipeline --stack FILE.h5 --refs REFS.csv [--method gmvae]
//   node bench/browser/run.mjs gmvae    [--samples 5000] [--input-dim 20] [--epochs 20]
//
// What is measured, and how:
//
// * pearson: inside a dedicated Web Worker (where the pipeline runs), the
//   compiled core's pearsonMaps + ambiguityMap (lib/core/analysis) on a random
//   float32 cube of shape (E, pixels), every pixel analysed, random references,
//   per --kernel choice (auto = what the pipeline uses: the wasm SIMD kernel
//   where it runs, else the TypeScript loop; wasm; js = the TypeScript loop);
//   and, in the same worker and repeat, a plain JS loop that sums every float32
//   of the same cube (a memory pass: the floor of any one-pass kernel) and a
//   copy of it (TypedArray.set). After --warmup untimed repeats (1). Wall
//   time by performance.now() in the worker (Chromium rounds it to 0.1 ms in a
//   page that is not cross-origin isolated); median and every repeat, in ms.
// * pipeline: the product path. The page fetches the stack file's bytes and
//   parses the references CSV as the workbench does (referencesFromTexts), and
//   starts the production worker (lib/worker/stxm-worker.js) through the
//   product's own AnalysisWorkerClient. Timed: from handing the bytes to the
//   worker ('read', bytes transferred) to the final PhaseMapResult arriving
//   from the run ('run', a fresh worker per run as in the product); plus the
//   per-stage timings the result carries (runPipeline's own performance.now
//   spans). Memory: the resident set (/proc VmRSS, RssAnon) of every Chromium
//   process, sampled every --sample-ms from this Node process; a dedicated
//   worker lives in its page's renderer process, so the renderer's figure is
//   the page + its workers (JS heaps, ArrayBuffers, tfjs and h5wasm wasm
//   memories). Baseline = page loaded, read worker started, file bytes fetched
//   into the page; peak = the highest sample while reading and while running.
// * gmvae: the core's trainGmvae (what the pipeline's latent stage calls) in
//   a dedicated worker on random clustered features, once per backend: the
//   project's wasm SIMD training kernel, tfjs's wasm backend and its cpu
//   backend; early stopping is disabled so all do every epoch. samplesPerSecond is the core's figure (training batches
//   only); wallSamplesPerSecond divides by the whole call (with the per-epoch
//   validation loss).
//
// A static server (node:http, 127.0.0.1, random port) serves the page and the
// bundles (page.mjs and bench-worker.mjs bundled here with esbuild into a
// temporary folder), lib/worker/ (production worker + tfjs wasm binaries) and
// the stack and references files. Chromium is Debian's (/usr/bin/chromium, or
// CHROMIUM_PATH), driven by the Playwright of ui-tests/node_modules, or with
// --driver plain launched alone and driven over HTTP (rpc.mjs: no DevTools
// session, whose network agent keeps the workers' response bodies in the
// renderer — the memory of reading as a user's browser has it).
// Output: progress on stderr, ONE JSON object on the last stdout line. On
// failure: a one-line reason on stderr, exit status 1. The browser, server and
// temporary folder are always closed/removed. Needs a built lib/ (npm run
// build:lib); a lib/ older than src/ is reported (stderr and JSON "libStale").
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { elapsedS, log } from './log.mjs';
import { identifyRenderer, startSampler } from './memory.mjs';
import { chromium, CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';
import { startRpc } from './rpc.mjs';
import { startServer } from './server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const esbuild = createRequire(join(ROOT, 'package.json'))('esbuild');

const loadAtStart = loadavg().map(x => Math.round(x * 100) / 100);

// The tasks read their defaults from the compiled core: without lib/, say so.
if (!existsSync(join(ROOT, 'lib/core/model/result.js'))) {
  process.stderr.write('bench/browser/run.mjs: lib/ is not built: run `npm run build:lib` first\n');
  process.exit(1);
}
const { TASKS, USAGE, UsageError, num } = await import('./tasks.mjs');

// ---------------------------------------------------------------- arguments

function parse(argv) {
  const names = [
    'pixels',
    'energies',
    'refs',
    'repeats',
    'warmup',
    'kernel',
    'threshold',
    'seed',
    'stack',
    'method',
    'epochs',
    'backend',
    'max-train-pixels',
    'samples',
    'input-dim',
    'hidden',
    'components',
    'latent-dim',
    'batch-size',
    'learning-rate',
    'backends',
    'timeout',
    'sample-ms',
    'driver',
    'transfer-limit'
  ];
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(names.map(n => [n, { type: 'string' }])),
      help: { type: 'boolean', short: 'h' }
    }
  });
  if (values.help) {
    console.error(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1 || !Object.hasOwn(TASKS, positionals[0])) {
    throw new UsageError(`name one task: ${Object.keys(TASKS).join(', ')}`);
  }
  return { task: positionals[0], values };
}

// ---------------------------------------------------------------- lib/ freshness

/** src/core and src/worker files whose compiled lib/ counterpart (or the worker bundle) is older. */
function staleLib() {
  const bundle = join(ROOT, 'lib/worker/stxm-worker.js');
  if (!existsSync(bundle)) {
    throw new Error('lib/worker/stxm-worker.js is missing: run `npm run build:lib` first');
  }
  const bundleTime = statSync(bundle).mtimeMs;
  const stale = [];
  for (const folder of ['src/core', 'src/worker']) {
    for (const rel of readdirSync(join(ROOT, folder), { recursive: true })) {
      if (!rel.endsWith('.ts') || rel.endsWith('.spec.ts') || rel.endsWith('.d.ts')) {
        continue;
      }
      const src = join(ROOT, folder, rel);
      const out = join(ROOT, 'lib', relative(join(ROOT, 'src'), src).replace(/\.ts$/, '.js'));
      const srcTime = statSync(src).mtimeMs;
      if (!existsSync(out) || statSync(out).mtimeMs < srcTime || bundleTime < srcTime) {
        stale.push(relative(ROOT, src));
      }
    }
  }
  return stale;
}

// ---------------------------------------------------------------- bundles

async function buildBundles(outdir) {
  const common = {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    outdir,
    logLevel: 'warning',
    // as package.json's build:worker: tfjs-core and its gradients, no layers/converter/webgl
    alias: { '@tensorflow/tfjs': '@tensorflow/tfjs-core/dist/register_all_gradients' }
  };
  await esbuild.build({ ...common, entryPoints: { page: join(HERE, 'page.mjs') }, format: 'esm' });
  await esbuild.build({
    ...common,
    entryPoints: { 'bench-worker': join(HERE, 'bench-worker.mjs') },
    format: 'iife'
  });
  await esbuild.stop(); // its service process would otherwise live on beside the browser
}

// ---------------------------------------------------------------- main

/** Rejects after `ms` with a message naming what did not finish. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${ms / 1e3} s (--timeout)`)),
      ms
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const { task, values } = parse(process.argv.slice(2));
  const options = TASKS[task].options(values);
  const timeoutMs = num(values, 'timeout', 1800) * 1e3;
  const sampleMs = num(values, 'sample-ms', 50);
  const driver = values.driver ?? 'playwright';
  if (!['playwright', 'plain'].includes(driver)) {
    throw new UsageError(`--driver ${driver}: playwright or plain`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  }
  const libStale = staleLib();
  if (libStale.length > 0) {
    log(
      `warning: lib/ is older than ${libStale.join(', ')}: run \`npm run build:lib\` to measure the current source`
    );
  }

  const resources = [];
  const cleanup = async () => {
    while (resources.length > 0) {
      await resources
        .pop()()
        .catch(err => log(`cleanup: ${err.message}`));
    }
  };
  const onSignal = signal => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const bundles = mkdtempSync(join(tmpdir(), 'stxm-bench-browser-'));
    resources.push(async () => rmSync(bundles, { recursive: true, force: true }));
    log('bundling page.mjs and bench-worker.mjs (esbuild)');
    await buildBundles(bundles);

    const files = { '/': join(HERE, 'page.html') };
    const sampler = startSampler(sampleMs);
    resources.push(async () => sampler.stop());
    // --driver plain: Chromium alone, the page driven over HTTP (rpc.mjs), no DevTools session
    const rpc =
      driver === 'plain'
        ? startRpc({ onLog: message => log(message), onMark: name => sampler.mark(name) })
        : null;
    const server = await startServer({
      dirs: { '/bench/': bundles, '/worker/': join(ROOT, 'lib/worker') },
      files,
      handle: rpc?.handle
    });
    resources.push(() => server.close());

    log(`launching ${CHROMIUM}${rpc ? ' (no DevTools client)' : ''}`);
    let page;
    let version;
    // a crash or a page error ends the task at once, with the reason (Playwright only)
    let failPage;
    const pageFailed = new Promise((_, reject) => {
      failPage = reject;
    });
    pageFailed.catch(() => undefined);
    if (rpc) {
      const profile = mkdtempSync(join(tmpdir(), 'stxm-bench-profile-'));
      resources.push(async () => rmSync(profile, { recursive: true, force: true }));
      const proc = spawn(
        CHROMIUM,
        ['--headless=new', ...CHROMIUM_ARGS, `--user-data-dir=${profile}`, `${server.origin}/?rpc`],
        { stdio: 'ignore' }
      );
      resources.push(async () => {
        proc.kill('SIGKILL');
        await new Promise(resolve => setTimeout(resolve, 300));
      });
      proc.on('exit', code => failPage(new Error(`Chromium exited (${code})`)));
      page = rpc.page;
      await withTimeout(page.waitForReady(), 30_000, 'the benchmark page');
      version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' })
        .replace(/^Chromium\s*/, '')
        .trim();
    } else {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        headless: true,
        timeout: 60_000,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false
      });
      resources.push(() => browser.close());
      version = browser.version();
      page = await browser.newPage();
      page.setDefaultTimeout(timeoutMs);
      page.on('crash', () => failPage(new Error('the page crashed (renderer out of memory?)')));
      page.on('pageerror', err => log(`page error: ${err.message}`));
      page.on('console', msg => {
        if (msg.type() === 'error' || msg.type() === 'warning') {
          log(`console.${msg.type()}: ${msg.text()}`);
        }
      });
      await page.exposeFunction('benchLog', message => log(message));
      await page.exposeFunction('benchMark', name => sampler.mark(name));
      await page.goto(`${server.origin}/`, { timeout: 30_000 });
      await page.waitForFunction(() => window.stxmBench?.ready === true, null, {
        timeout: 30_000
      });
    }
    const rendererPid = await identifyRenderer(() =>
      page.evaluate(() => {
        const end = performance.now() + 400;
        while (performance.now() < end) {
          // spin: the page's renderer is the one whose CPU time grows
        }
      })
    );
    if (rendererPid === 0) {
      log(
        'warning: could not tell which renderer runs the page: "renderer" figures follow the largest one'
      );
    }
    sampler.setRenderer(rendererPid);
    const env = await page.evaluate(() => ({
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: self.crossOriginIsolated
    }));

    const ctx = { page, sampler, server, files };
    const result = await withTimeout(
      Promise.race([TASKS[task].run(ctx, options), pageFailed]),
      timeoutMs,
      `task ${task}`
    );
    const output = {
      task,
      ...result,
      env: {
        chromium: version,
        driver,
        ...env,
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
        // 1, 5, 15 min load averages: other work on the machine skews every figure
        loadAverage: { atStart: loadAtStart, atEnd: loadavg().map(x => Math.round(x * 100) / 100) },
        chromiumArgs: CHROMIUM_ARGS,
        rendererPid
      },
      libStale,
      date: new Date().toISOString(),
      elapsedS: Math.round(elapsedS() * 10) / 10
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
  } finally {
    await cleanup();
  }
}

main().catch(err => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`bench/browser/run.mjs: ${message.split('\n')[0]}\n`);
  if (err instanceof UsageError) {
    process.stderr.write(`${USAGE}\n`);
  }
  process.exitCode = 1;
});
