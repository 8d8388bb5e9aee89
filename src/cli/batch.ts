/**
 * `stxm-phasemap batch FILES… | --manifest M.csv --refs R --out DIR [--jobs N]
 * [--force] [--x COLUMN] [--json] [parameters]`: many stacks, one result file
 * each (`DIR/NAME.h5`, its record `DIR/NAME.json`), a summary table
 * (`DIR/summary.csv`) and a comparison figure (`DIR/summary.svg`). A stack
 * that fails gives its error row and the others go on; a re-run keeps every
 * result whose record has the same hash (batch-plan.ts). Exit 0 when every
 * stack has a result, 2 when some failed (their rows name the file and why).
 *
 * Two modes serve Python's `map_files` (and Dask workers): `--plan` prints the
 * tasks as JSON without running them; `--task FILE --name NAME` runs one task
 * in this process and prints its row.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { StackReadError } from '../core/io/errors.js';
import type { DeepPartial, PipelineParams } from '../core/model/params.js';
import { batchFigureSvg, figureAxis } from './batch-figure.js';
import { readManifest } from './batch-manifest.js';
import { keptRecord, planTasks, type BatchTask, type PlanInput } from './batch-plan.js';
import { runPool } from './batch-pool.js';
import { TAIL_COLUMNS, tableCsv, tableRows, taskRow, type BatchRow } from './batch-table.js';
import { runTask } from './batch-task.js';
import { UsageError, type CommandIO } from './io.js';
import {
  PARAMETER_OPTIONS,
  parametersFromOptions,
  parseCommandLine,
  type CommandLine
} from './params.js';

const OPTIONS = {
  ...PARAMETER_OPTIONS,
  refs: { type: 'string' },
  out: { type: 'string' },
  manifest: { type: 'string' },
  jobs: { type: 'string' },
  force: { type: 'boolean' },
  x: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  plan: { type: 'boolean' },
  task: { type: 'boolean' },
  name: { type: 'string' }
} as const;

type Values = CommandLine<typeof OPTIONS>['values'];

export async function batchCommand(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('batch', args, OPTIONS);
  const { values, positionals } = parsed;
  if (!values.out) {
    throw new UsageError('batch: --out DIR is required (one result file per stack goes there)');
  }
  const params = await parametersFromOptions('batch', values);
  if (values.task) {
    return taskMode(positionals, values, params, io);
  }
  const { inputs, columns } = batchInputs(positionals, values);
  const out = values.out;
  const tasks = planTasks(inputs, out, params, values.force === true);
  if (values.plan) {
    io.out(
      JSON.stringify(
        {
          out,
          manifestColumns: columns,
          tailColumns: TAIL_COLUMNS,
          tasks: tasks.map(t => ({ ...t, row: t.done ? doneRow(t) : null }))
        },
        null,
        2
      )
    );
    return 0;
  }
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new StackReadError(out, 'is not a folder (--out DIR takes the results)');
  }
  mkdirSync(out, { recursive: true });
  const jobs = jobsOption(values.jobs);
  const todo = tasks.filter(t => !t.done);
  const quiet = values.quiet === true;
  const t0 = performance.now();
  let finished = tasks.length - todo.length;
  if (!quiet) {
    io.err(
      `[batch] ${tasks.length} stack(s): ${finished} kept (same parameters), ${todo.length} to map with ${Math.min(jobs, Math.max(1, todo.length))} process(es)`
    );
  }
  const mapped = await runPool(todo, params, {
    jobs,
    force: values.force === true,
    onRow: row => {
      finished++;
      if (!quiet) {
        io.err(`[batch] ${finished}/${tasks.length} ${describeRow(row)}`);
      }
    }
  });
  const rows: BatchRow[] = [];
  let k = 0;
  for (const t of tasks) {
    rows.push(t.done ? doneRow(t) : mapped[k++]);
  }
  const table = tableRows(rows, tasks, columns);
  const csv = join(out, 'summary.csv');
  writeFileSync(csv, tableCsv(table.columns, table.rows));
  const figure = join(out, 'summary.svg');
  const axis = figureAxis(table.rows, columns, values.x);
  if (values.x !== undefined && axis === null) {
    io.err(`note: --x ${values.x}: not a numeric column of the manifest; stacks side by side`);
  }
  writeFileSync(
    figure,
    batchFigureSvg(table.rows, table.columns, axis, `Phase fractions of ${tasks.length} stack(s)`)
  );
  const failed = table.rows.filter(r => r.status === 'failed');
  const summary = {
    out,
    csv,
    figure,
    stacks: tasks.length,
    mapped: table.rows.filter(r => r.status === 'mapped').length,
    skipped: table.rows.filter(r => r.status === 'skipped').length,
    failed: failed.length,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    columns: table.columns,
    rows: table.rows
  };
  if (values.json) {
    io.out(JSON.stringify(summary, null, 2));
  } else {
    io.out(
      `${summary.stacks} stack(s): ${summary.mapped} mapped, ${summary.skipped} kept, ${summary.failed} failed in ${summary.seconds} s\n` +
        `table   ${csv}\nfigure  ${figure}`
    );
  }
  if (failed.length > 0) {
    io.err(
      `stxm-phasemap: batch: ${failed.length} of ${tasks.length} stack(s) failed (${failed.map(r => String(r.name)).join(', ')}): see ${csv}`
    );
    return 2;
  }
  return 0;
}

/** `--task FILE --refs R --out DIR [--name NAME]`: one stack, in this process; its row on stdout. */
async function taskMode(
  positionals: string[],
  values: Values,
  params: DeepPartial<PipelineParams>,
  io: CommandIO
): Promise<number> {
  if (positionals.length !== 1 || values.manifest) {
    throw new UsageError('batch --task: expected exactly one stack FILE (and no --manifest)');
  }
  if (!values.refs) {
    throw new UsageError('batch --task: --refs REFS.csv is required');
  }
  const [task] = planTasks(
    [{ file: positionals[0], refs: values.refs, name: values.name ?? null }],
    values.out!,
    params,
    true
  );
  mkdirSync(values.out!, { recursive: true });
  const row = await runTask(task, params, {
    force: values.force === true,
    io: values.quiet || values.json ? undefined : io
  });
  io.out(values.json ? JSON.stringify(row) : describeRow(row));
  if (row.status === 'failed') {
    io.err(`stxm-phasemap: ${String(row.error)}`);
    return 2;
  }
  return 0;
}

function doneRow(task: BatchTask): BatchRow {
  const rec = keptRecord(task);
  return rec
    ? taskRow(task, 'skipped', { summary: rec.summary })
    : taskRow(task, 'failed', { error: `${task.record}: the record went missing` });
}

function describeRow(row: BatchRow): string {
  if (row.status === 'failed') {
    return `${String(row.name)}: FAILED: ${String(row.error)}`;
  }
  const secs = typeof row.total_ms === 'number' ? ` in ${(row.total_ms / 1000).toFixed(1)} s` : '';
  return `${String(row.name)}: ${row.status === 'skipped' ? 'kept (same parameters)' : `mapped${secs}`}`;
}

function jobsOption(text: string | undefined): number {
  if (text === undefined) {
    return availableParallelism();
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new UsageError(`batch: --jobs must be a whole number from 1 to 1024, not "${text}"`);
  }
  return n;
}

/** The stacks: FILES with --refs, or the rows of --manifest (their refs, else --refs). */
function batchInputs(
  positionals: string[],
  values: Values
): { inputs: PlanInput[]; columns: string[] } {
  if (values.manifest && positionals.length > 0) {
    throw new UsageError('batch: give stack FILES or --manifest M.csv, not both');
  }
  if (values.name !== undefined) {
    throw new UsageError('batch: --name goes with --task (a manifest has a "name" column)');
  }
  if (values.manifest) {
    if (!existsSync(values.manifest)) {
      throw new StackReadError(values.manifest, 'no such file');
    }
    const m = readManifest(values.manifest);
    const inputs = m.rows.map(r => {
      const refs = r.refs ?? values.refs;
      if (!refs) {
        throw new UsageError(
          `batch: ${values.manifest} line ${r.line}: no refs for ${r.file} (a "refs" column or --refs R)`
        );
      }
      return { file: r.file, refs, name: r.name, columns: r.columns };
    });
    return { inputs, columns: m.columns };
  }
  if (positionals.length === 0) {
    throw new UsageError('batch: expected stack FILES or --manifest M.csv');
  }
  if (!values.refs) {
    throw new UsageError('batch: --refs REFS.csv is required (or a "refs" column in --manifest)');
  }
  const refs = values.refs;
  return { inputs: positionals.map(file => ({ file, refs })), columns: [] };
}
