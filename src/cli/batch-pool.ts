/**
 * `--jobs N`: the tasks of a batch in N child processes of this same program
 * (`batch --task …`, the parameters on standard input), each stack in a fresh
 * process (its own heap, its own h5wasm file system). What a child prints is
 * its row; a child that dies gives a failed row with what it said last.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { DeepPartial, PipelineParams } from '../core/model/params.js';
import type { BatchTask } from './batch-plan.js';
import { taskRow, type BatchRow } from './batch-table.js';

/** Set to true by scripts/build-engine.mjs: this module is inside the engine's one-file bundle. */
declare const STXM_ENGINE_BUNDLE: boolean | undefined;

/** The script that runs this command line: the bundle itself, or lib/cli/entry.js beside this module. */
export function entryScript(): string {
  const here = fileURLToPath(import.meta.url);
  const bundled = typeof STXM_ENGINE_BUNDLE !== 'undefined' && STXM_ENGINE_BUNDLE;
  return bundled ? here : join(dirname(here), 'entry.js');
}

/** The arguments of `batch --task` for one task. */
export function taskArgs(task: BatchTask, force: boolean): string[] {
  return [
    'batch',
    '--task',
    task.file,
    '--refs',
    task.refs,
    '--out',
    dirname(task.result),
    '--name',
    task.name,
    '--params',
    '-',
    '--json',
    ...(force ? ['--force'] : [])
  ];
}

function runChild(task: BatchTask, params: string, force: boolean): Promise<BatchRow> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [entryScript(), ...taskArgs(task, force)], {
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const fail = (why: string): void =>
      resolve(taskRow(task, 'failed', { error: why.replace(/\s+/g, ' ').trim() }));
    child.on('error', err => fail(`${task.file}: could not start the engine: ${err.message}`));
    child.on('close', (code, signal) => {
      try {
        resolve(JSON.parse(stdout) as BatchRow);
      } catch {
        const last = stderr.trim().split('\n').pop() ?? '';
        fail(
          `${task.file}: the engine stopped (${signal ? `signal ${signal}` : `exit ${code}`})` +
            (last ? `: ${last.replace(/^stxm-phasemap: /, '')}` : '')
        );
      }
    });
    child.stdin.end(params);
  });
}

/**
 * Run `tasks` (those not done) in at most `jobs` processes; `onRow` hears of
 * each as it ends. Rows come back in the tasks' order.
 */
export async function runPool(
  tasks: BatchTask[],
  params: DeepPartial<PipelineParams>,
  options: { jobs: number; force: boolean; onRow?: (row: BatchRow, index: number) => void }
): Promise<BatchRow[]> {
  const rows = new Array<BatchRow>(tasks.length);
  const text = JSON.stringify(params);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      rows[i] = await runChild(tasks[i], text, options.force);
      options.onRow?.(rows[i], i);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.jobs, tasks.length)) }, worker)
  );
  return rows;
}
