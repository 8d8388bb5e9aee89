// The benchmark's tasks (see run.mjs for what each measures): the command
// line each accepts, checked before anything starts (`options`), and the
// measurement itself in the launched page (`run`). Defaults of the pipeline's
// parameters come from the compiled core, never from copies here.
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';

import {
  DEFAULT_GMVAE,
  DEFAULT_PARAMS,
  GMVAE_BACKENDS,
  RESOLUTION_METHODS
} from '../../lib/core/model/result.js';
import { log, sleep } from './log.mjs';
import { mib } from './memory.mjs';

export const USAGE = `usage: node bench/browser/run.mjs TASK [options]
  pearson  [--pixels 1000000] [--energies 20] [--refs 5] [--repeats 5] [--warmup 1]
           [--kernel auto|wasm|js[,…]] [--threshold 0.005] [--seed 1]
  pipeline --stack FILE.h5 --refs REFS.csv [--method gmvae] [--seed 0] [--threshold T]
           [--epochs N] [--backend kernel|wasm|cpu] [--max-train-pixels N]
  workbench --stack FILE.h5 --refs REFS.csv [pipeline's options] [--transfer-limit VALUES]
           (the workbench's model and worker client: open, pre-process, run)
  gmvae    [--samples 5000] [--input-dim 20] [--epochs 20] [--hidden ${DEFAULT_GMVAE.hidden}]
           [--components 5] [--latent-dim ${DEFAULT_GMVAE.latentDim}] [--batch-size ${DEFAULT_GMVAE.batchSize}]
           [--learning-rate ${DEFAULT_GMVAE.learningRate}] [--backends kernel,wasm,cpu] [--seed 0]
           [--repeats 1]
common:    [--timeout SECONDS (1800)] [--sample-ms 50]
           [--driver playwright|plain] (plain: Chromium without a DevTools client, driven over HTTP)`;

// ---------------------------------------------------------------- options

export class UsageError extends Error {}

/** A number option: integer (≥ min) or real; `fallback` when absent. */
export function num(values, name, fallback, { integer = true, min = 1 } = {}) {
  const raw = values[name];
  if (raw === undefined) {
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) {
    throw new UsageError(
      `--${name} ${raw}: expected ${integer ? 'an integer' : 'a number'} ≥ ${min}`
    );
  }
  return v;
}

function existingFile(values, name) {
  const path = values[name];
  if (!path) {
    throw new UsageError(`--${name} FILE is required`);
  }
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new UsageError(`--${name} ${path}: no such file`);
  }
  return resolve(path);
}

/**
 * Run `fn(arg)` in the page. Playwright prefixes a page's error with
 * "page.evaluate: Error: "; the reason is what follows.
 */
async function inPage(page, fn, arg) {
  try {
    return await page.evaluate(fn, arg);
  } catch (err) {
    throw new Error(String(err?.message ?? err).replace(/^page\.evaluate: (Error: )?/, ''));
  }
}

function oneOf(list, allowed, option) {
  for (const item of list) {
    if (!allowed.includes(item)) {
      throw new UsageError(`--${option}: "${item}" is not one of ${allowed.join(', ')}`);
    }
  }
  return list;
}

/**
 * Each task: `options(values)` checks the command line before anything
 * starts; `run(ctx, options)` measures, in the launched page.
 */
/**
 * Serve the stack and references, take the page-only baseline, set the page up
 * (`lazy`: the stack stays on the server, read with range requests; else its
 * bytes are fetched into the page) and take the baseline after that.
 */
async function setUp(ctx, stack, refs, lazy) {
  const { sampler, page } = ctx;
  ctx.files['/data/stack'] = stack;
  ctx.files['/data/references'] = refs;
  await sleep(500);
  const baselinePage = sampler.recent(400);
  const setup = await inPage(page, o => window.stxmBench.pipelineSetup(o), {
    stackUrl: '/data/stack',
    stackName: basename(stack),
    refsUrl: '/data/references',
    refsName: basename(refs),
    lazy
  });
  await sleep(800); // let the set-up's allocations settle before the baseline
  return { baselinePage, setup, baseline: sampler.recent(500) };
}

export const TASKS = {
  pearson: {
    options: values => ({
      pixels: num(values, 'pixels', 1_000_000),
      energies: num(values, 'energies', 20, { min: 3 }),
      refs: num(values, 'refs', 5),
      repeats: num(values, 'repeats', 5),
      warmup: num(values, 'warmup', 1, { min: 0 }),
      threshold: num(values, 'threshold', DEFAULT_PARAMS.threshold, { integer: false, min: 0 }),
      seed: num(values, 'seed', 1, { min: 0 }),
      kernels: oneOf((values.kernel ?? 'auto').split(','), ['auto', 'wasm', 'js'], 'kernel')
    }),
    async run(ctx, options) {
      log(
        `pearson: ${options.energies} energies × ${options.pixels} pixels, ${options.refs} references`
      );
      ctx.sampler.mark('task');
      const result = await inPage(ctx.page, o => window.stxmBench.worker('pearson', o), options);
      return { options, ...result, memory: memoryReport(ctx.sampler) };
    }
  },

  pipeline: {
    options(values) {
      const gmvae = {};
      if (values.epochs !== undefined) {
        gmvae.epochs = num(values, 'epochs');
      }
      if (values.backend !== undefined) {
        gmvae.backend = oneOf([values.backend], GMVAE_BACKENDS, 'backend')[0];
      }
      if (values['max-train-pixels'] !== undefined) {
        gmvae.maxTrainPixels = num(values, 'max-train-pixels', 0, { min: 0 });
      }
      return {
        stack: existingFile(values, 'stack'),
        refs: existingFile(values, 'refs'),
        // what the page hands to the worker's 'run' (DeepPartial<PipelineParams>)
        params: {
          method: oneOf([values.method ?? DEFAULT_PARAMS.method], RESOLUTION_METHODS, 'method')[0],
          seed: num(values, 'seed', DEFAULT_PARAMS.seed, { min: 0 }),
          threshold: num(values, 'threshold', DEFAULT_PARAMS.threshold, { integer: false, min: 0 }),
          ...(Object.keys(gmvae).length > 0 ? { gmvae } : {})
        }
      };
    },
    async run(ctx, { stack, refs, params }) {
      const { sampler, page } = ctx;
      log(`pipeline: fetching ${basename(stack)} (${mib(statSync(stack).size)} MiB) into the page`);
      const { baselinePage, setup, baseline } = await setUp(ctx, stack, refs, false);
      log(
        `pipeline: baseline renderer RSS ${baseline.rendererRssMiB} MiB; reading and running (${params.method})`
      );
      const run = await inPage(page, p => window.stxmBench.pipelineRun(p), params);
      sampler.stop();
      const { phases, samples, processTypes } = sampler.report();
      const peak = key => Math.max(phases.read?.[key] ?? NaN, phases.run?.[key] ?? NaN);
      const above = key => Math.round((peak(key) - baseline[key]) * 10) / 10;
      const rawBytes = run.stack.ny * run.stack.nx * run.stack.energies * 4;
      return {
        file: stack,
        references: refs,
        params,
        setup,
        ...run,
        memory: {
          how:
            'resident set (/proc/PID/status VmRSS, RssAnon) of the Chromium processes, sampled every ' +
            `${sampler.intervalMs} ms; renderer = the page's renderer process, which hosts the page and ` +
            'its workers; total = sum over every Chromium process (VmRSS counts shared library pages ' +
            'once per process; RssAnon does not)',
          stackRawBytes: rawBytes,
          stackRawMiB: mib(rawBytes),
          fileMiB: mib(setup.fileBytes),
          baselinePageOnly: baselinePage,
          baseline,
          peakWhileReading: phases.read ?? null,
          peakWhileRunning: phases.run ?? null,
          peakAboveBaselineMiB: {
            rendererRss: above('rendererRssMiB'),
            rendererAnon: above('rendererAnonMiB'),
            totalAnon: above('totalAnonMiB')
          },
          samples,
          chromiumProcesses: processTypes
        }
      };
    }
  },

  workbench: {
    options: values => ({
      ...TASKS.pipeline.options(values),
      transferLimit: values['transfer-limit'] ? num(values, 'transfer-limit') : undefined
    }),
    async run(ctx, { stack, refs, params, transferLimit }) {
      const { sampler, page } = ctx;
      log(
        `workbench: ${basename(stack)} (${mib(statSync(stack).size)} MiB) read from the server with range requests`
      );
      const { baselinePage, setup, baseline } = await setUp(ctx, stack, refs, true);
      log(`workbench: baseline renderer RSS ${baseline.rendererRssMiB} MiB; open, prepare, run`);
      const run = await inPage(
        page,
        a => window.stxmBench.workbenchRun(a.params, a.transferLimit),
        { params, transferLimit }
      );
      await sleep(600);
      const after = sampler.recent(400);
      sampler.stop();
      const { phases, samples } = sampler.report();
      const rawBytes = run.stack.ny * run.stack.nx * run.stack.energies * 4;
      const rawMiB = rawBytes / 2 ** 20;
      const key = 'rendererRssMiB';
      const above = (v, base = baseline) => Math.round((v - base[key]) * 10) / 10;
      const peakOpen = Math.max(phases.open?.[key] ?? NaN, phases.prepare?.[key] ?? NaN);
      const peakRun = phases.run?.[key] ?? NaN;
      const peak = Math.max(peakOpen, peakRun);
      const ratio = v => Math.round((v / rawMiB) * 100) / 100;
      const figures = {
        stackRawMiB: mib(rawBytes),
        fileMiB: mib(setup.fileBytes),
        baselinePageOnlyMiB: baselinePage[key],
        baselineReadWorkerMiB: baseline[key],
        peakOpenAboveMiB: above(peakOpen),
        peakReadAboveMiB: above(phases.open?.[key] ?? NaN),
        peakPrepareAboveMiB: above(phases.prepare?.[key] ?? NaN),
        peakRunAboveMiB: above(peakRun),
        peakAboveMiB: above(peak),
        peakAboveRaw: ratio(above(peak)),
        peakAbovePageOnlyMiB: above(peak, baselinePage),
        peakAbovePageOnlyRaw: ratio(above(peak, baselinePage)),
        afterRunAboveMiB: above(after[key]),
        rangeRequests: ctx.server.ranges.count,
        rangeBytesMiB: mib(ctx.server.ranges.bytes),
        readMiBPerS: run.serverRead
          ? Math.round(run.serverRead.bytes / 2 ** 20 / (run.timingsMs.read / 1000))
          : null
      };
      log(`workbench: ${JSON.stringify(figures)}`);
      return {
        file: stack,
        params,
        setup,
        ...run,
        memory: {
          how:
            'renderer (page + workers) VmRSS from /proc, sampled every ' +
            `${sampler.intervalMs} ms; baseline = page loaded, read worker started (the file stays on the ` +
            'server: the worker reads it with range requests); peaks over open (read, prepare, ' +
            "the views' reads) and run",
          ...figures,
          phases,
          samples
        }
      };
    }
  },

  gmvae: {
    options: values => ({
      samples: num(values, 'samples', 5000, { min: 2 }),
      inputDim: num(values, 'input-dim', 20),
      epochs: num(values, 'epochs', 20),
      hidden: num(values, 'hidden', DEFAULT_GMVAE.hidden),
      components: num(values, 'components', 5),
      latentDim: num(values, 'latent-dim', DEFAULT_GMVAE.latentDim),
      batchSize: num(values, 'batch-size', DEFAULT_GMVAE.batchSize),
      learningRate: num(values, 'learning-rate', DEFAULT_GMVAE.learningRate, {
        integer: false,
        min: Number.MIN_VALUE
      }),
      backends: oneOf(
        (values.backends ?? GMVAE_BACKENDS.join(',')).split(','),
        GMVAE_BACKENDS,
        'backends'
      ),
      seed: num(values, 'seed', 0, { min: 0 }),
      // trainings per backend but cpu: the fastest counts
      repeats: num(values, 'repeats', 1),
      // the tfjs wasm binaries: the production worker's, beside it
      wasmFolder: '/worker/'
    }),
    async run(ctx, options) {
      log(
        `gmvae: ${options.samples} samples × ${options.inputDim}, ${options.epochs} epochs, ` +
          `backends ${options.backends.join(', ')}`
      );
      ctx.sampler.mark('task');
      const result = await inPage(ctx.page, o => window.stxmBench.worker('gmvae', o), options);
      return {
        options,
        ...result,
        // which tfjs wasm binary was loaded (SIMD or not)
        wasmFilesServed: ctx.server.requests.filter(p => p.endsWith('.wasm')),
        memory: memoryReport(ctx.sampler)
      };
    }
  }
};

/** Peak memory of a worker task (no baseline protocol: indicative only). */
function memoryReport(sampler) {
  sampler.stop();
  const { phases, intervalMs } = sampler.report();
  return {
    how: `peak resident set over the task, sampled every ${intervalMs} ms`,
    peak: phases.task
  };
}
