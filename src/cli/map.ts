/**
 * `stxm-phasemap map FILE --refs REFS.csv [--out RESULT.h5] [--json]
 * [parameter options]`: the whole pipeline on a stack file. Progress and the
 * run's warnings on stderr; a summary on stdout (JSON with --json, warnings
 * and the complete parameters included). Every pipeline parameter has an
 * option (src/cli/params.ts); with none, the defaults decide alignment and
 * energy calibration from the data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

import {
  PreprocessError,
  ReferenceSetError,
  StackReadError,
  parseReferenceCsv,
  readStack,
  runPipeline,
  type PhaseMapResult,
  type PipelineParams,
  type ProgressEvent,
  type ResolutionMethod,
  type RunWarning
} from '../core/index.js';
import { resolutionMethod } from '../core/analysis/methods/index.js';
import { writeResult } from '../core/io/result-write.js';
import { validateParams } from '../core/model/param-specs.js';
import type { DeepPartial } from '../core/model/params.js';
import { UsageError, type CommandIO } from './io.js';
import { PARAMETER_OPTIONS, parametersFromOptions, parseCommandLine } from './params.js';
import { collectGarbage, nodeH5Runtime } from './runtime.js';
import { configureNodeWasm } from './tf-node.js';

const OPTIONS = {
  ...PARAMETER_OPTIONS,
  refs: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' }
} as const;

export async function mapCommand(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('map', args, OPTIONS);
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError('map: expected exactly one stack FILE');
  }
  if (!values.refs) {
    throw new UsageError('map: --refs REFS.csv is required (reference spectra, DESIGN.md §3)');
  }
  const params = await parametersFromOptions('map', values);
  const { summary } = await mapFile(positionals[0], values.refs, params, {
    out: values.out,
    quiet: values.quiet === true,
    io
  });
  io.out(values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  return 0;
}

export interface MapFileOptions {
  /** Write the result file here. */
  out?: string;
  /** No progress nor warnings on stderr. */
  quiet?: boolean;
  io: CommandIO;
}

/**
 * The whole pipeline on one stack file with checked (partial) parameters: what
 * `map` and each stack of `batch` run. Problems of the input throw a
 * `StackReadError` naming the file.
 */
export async function mapFile(
  file: string,
  refs: string,
  params: DeepPartial<PipelineParams>,
  options: MapFileOptions
): Promise<{ result: PhaseMapResult; summary: MapSummary }> {
  const { io, out } = options;
  const quiet = options.quiet === true;
  if (!existsSync(file)) {
    throw new StackReadError(file, 'no such file');
  }
  if (!existsSync(refs)) {
    throw new StackReadError(refs, 'no such file');
  }
  const references = parseOrExplain(refs);
  // read for this run only: the ring current is applied as the cube is read (never a second cube)
  const stack = readStack(await nodeH5Runtime(), resolve(file), file, {
    applyRingCurrent: validateParams(params).preprocess.ringCurrent
  });
  configureNodeWasm();

  const report = progressReporter(io, quiet);
  const t0 = performance.now();
  let result: PhaseMapResult;
  try {
    result = await runPipeline(stack, references, params, {
      onProgress: report,
      consumeInput: true, // the stack is read for this run only
      released: collectGarbage // …and let go before the result's maps are made
    });
  } catch (err) {
    throw explain(err, file, refs);
  }
  const totalMs = performance.now() - t0;
  if (!quiet) {
    for (const w of result.warnings) {
      io.err(formatWarning(w));
    }
  }
  if (out) {
    writeResult(await nodeH5Runtime(), resolve(out), result, {
      sourceFile: basename(file),
      referencesFile: basename(refs)
    });
    report({ stage: 'resolve', fraction: 1, message: `wrote ${out}` });
  }
  const summary = mapSummary(result, { file, refs, out: out ?? null, totalMs });
  return { result, summary };
}

/** One warning line for stderr: `warning: …` or, for a decision taken, `note: …`. */
export function formatWarning(w: RunWarning): string {
  return `${w.level === 'warning' ? 'warning' : 'note'}: ${w.message}`;
}

function parseOrExplain(path: string): ReturnType<typeof parseReferenceCsv> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StackReadError(path, `cannot read: ${(err as Error).message}`);
  }
  try {
    return parseReferenceCsv(text, path);
  } catch (err) {
    if (err instanceof ReferenceSetError) {
      throw new StackReadError(path, stripPrefix(err.message, path));
    }
    throw err;
  }
}

/** Problems of the input (not of the program) become one-line, exit-2 errors naming the file. */
function explain(err: unknown, file: string, refs: string): unknown {
  if (err instanceof ReferenceSetError) {
    return new StackReadError(refs, stripPrefix(err.message, refs));
  }
  if (err instanceof PreprocessError) {
    return new StackReadError(file, stripPrefix(err.message, file));
  }
  if (err instanceof RangeError && /energies|particle pixel|flat at the stack/.test(err.message)) {
    return new StackReadError(file, stripPrefix(err.message, file));
  }
  return err;
}

function stripPrefix(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

function progressReporter(io: CommandIO, quiet: boolean): (e: ProgressEvent) => void {
  let lastEpochLine = -Infinity;
  const started = new Map<string, number>();
  return e => {
    if (quiet) {
      return;
    }
    if (e.stage === 'train' && e.epoch !== undefined) {
      const now = performance.now();
      // the first epoch, then at most one line every 2 s
      if (e.epoch === 0 || now - lastEpochLine > 2000) {
        lastEpochLine = now;
        io.err(`[train] ${e.message ?? `epoch ${e.epoch + 1}`}`);
      }
      return;
    }
    if (e.message) {
      io.err(`[${e.stage}] ${e.message}`);
    } else if (e.fraction === 0) {
      started.set(e.stage, performance.now());
    } else if (e.fraction === 1) {
      const t0 = started.get(e.stage);
      io.err(
        `[${e.stage}] done${t0 === undefined ? '' : ` in ${Math.round(performance.now() - t0)} ms`}`
      );
    }
  };
}

export interface MapSummary {
  file: string;
  references: string;
  method: ResolutionMethod;
  methodLabel: string;
  threshold: number;
  seed: number;
  shape: [number, number];
  energies: number[];
  phases: { name: string; fraction: number; pixels: number }[];
  counts: PhaseMapResult['counts'];
  /** How far the map can be trusted (the same sentences as on stderr). */
  warnings: RunWarning[];
  /** What the automatic pre-processing decided, with its numbers. */
  decisions: {
    alignment: { applied: boolean; driftPx: number | null };
    energyShift: {
      applied: boolean;
      shiftEv: number;
      estimatedEv: number | null;
      decision: string;
    };
  };
  /** The complete parameters (`--params` takes them back). */
  parameters: PipelineParams;
  timingsMs: Record<string, number>;
  training: PhaseMapResult['training'] | null;
  out: string | null;
}

export function mapSummary(
  result: PhaseMapResult,
  where: { file: string; refs: string; out: string | null; totalMs: number }
): MapSummary {
  const pixels = new Array<number>(result.phaseNames.length).fill(0);
  for (const p of result.phase) {
    if (p >= 0) {
      pixels[p]++;
    }
  }
  const timingsMs: Record<string, number> = {};
  for (const [stage, ms] of Object.entries(result.timings)) {
    timingsMs[stage] = Math.round(ms);
  }
  timingsMs.total = Math.round(where.totalMs);
  return {
    file: where.file,
    references: where.refs,
    method: result.params.method,
    methodLabel: resolutionMethod(result.params.method).label,
    threshold: result.threshold,
    seed: result.params.seed,
    shape: result.shape,
    energies: Array.from(result.energies),
    phases: result.phaseNames.map((name, i) => ({
      name,
      fraction: Number(result.fractions[i].toFixed(6)),
      pixels: pixels[i]
    })),
    counts: result.counts,
    warnings: result.warnings,
    decisions: decisionsOf(result),
    parameters: result.params,
    timingsMs,
    training: result.training ?? null,
    out: where.out
  };
}

function decisionsOf(result: PhaseMapResult): MapSummary['decisions'] {
  const step = (name: string): Record<string, unknown> =>
    result.provenance.find(p => p.step === name)?.details ?? {};
  const a = step('alignment');
  const e = step('energy shift');
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return {
    alignment: {
      applied: a.applied === true,
      driftPx: num(a.driftPx) ?? num(a.measuredDriftPx)
    },
    energyShift: {
      applied: e.mode === 'fixed' ? e.shiftEv !== 0 : e.applied === true,
      shiftEv: num(e.shiftEv) ?? 0,
      estimatedEv: num(e.estimatedShiftEv),
      decision:
        typeof e.decision === 'string' ? e.decision : typeof e.mode === 'string' ? e.mode : 'none'
    }
  };
}

function formatSummary(s: MapSummary): string {
  const lines = [
    `file        ${s.file}`,
    `references  ${s.references}`,
    `method      ${s.method} (${s.methodLabel}), τ = ${s.threshold}, seed ${s.seed}`,
    `map         ${s.shape[0]} × ${s.shape[1]} px, ${s.energies.length} energies`,
    `particle    ${s.counts.particle} px; ambiguous ${s.counts.ambiguous}, resolved ${s.counts.resolved}, ` +
      `transition ${s.counts.transition}, false assignments ${s.counts.falseAssignment}, unassigned ${s.counts.unassigned}`,
    `calibration ${s.decisions.energyShift.applied ? `references shifted by ${s.decisions.energyShift.shiftEv} eV` : 'no energy shift'}` +
      `; ${s.decisions.alignment.applied ? 'frames aligned' : 'frames not aligned'}` +
      (s.decisions.alignment.driftPx !== null
        ? ` (drift ${s.decisions.alignment.driftPx} px)`
        : ''),
    'phases'
  ];
  for (const p of s.phases) {
    lines.push(
      `  ${p.name.padEnd(16)} ${(100 * p.fraction).toFixed(1).padStart(5)} %  (${p.pixels} px)`
    );
  }
  lines.push(
    `timings     ${Object.entries(s.timingsMs)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')}`
  );
  if (s.out) {
    lines.push(`result      ${s.out}`);
  }
  return lines.join('\n');
}
