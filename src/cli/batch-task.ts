/**
 * One stack of a batch, in this process: keep the result already there when
 * its record has the task's hash; otherwise map the stack, write the result
 * (under a temporary name, renamed when complete, so a worker killed half-way
 * leaves no result that looks finished) and then its record. A stack that
 * fails gives a `failed` row naming the file; the batch goes on.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

import { oneLine } from '../core/io/errors.js';
import { validateParams } from '../core/model/param-specs.js';
import type { DeepPartial, PipelineParams } from '../core/model/params.js';
import {
  keptRecord,
  taskHash,
  taskInputs,
  type BatchRecord,
  type BatchTask
} from './batch-plan.js';
import { taskRow, type BatchRow } from './batch-table.js';
import type { CommandIO } from './io.js';
import { mapFile } from './map.js';

const SILENT: CommandIO = { out: () => undefined, err: () => undefined };

export async function runTask(
  task: Omit<BatchTask, 'done' | 'hash'>,
  params: DeepPartial<PipelineParams>,
  options: { force?: boolean; io?: CommandIO } = {}
): Promise<BatchRow> {
  const complete = validateParams(params);
  const inputs = taskInputs(task.file, task.refs);
  const hash = inputs ? taskHash(inputs, complete) : null;
  const full: BatchTask = { ...task, hash, done: false };
  const kept = options.force ? null : keptRecord(full);
  if (kept) {
    return taskRow(full, 'skipped', { summary: kept.summary });
  }
  const partial = `${task.result}.partial`;
  try {
    const { summary } = await mapFile(task.file, task.refs, params, {
      out: partial,
      quiet: options.io === undefined,
      io: options.io ?? SILENT
    });
    summary.out = task.result;
    rmSync(task.record, { force: true });
    renameSync(partial, task.result);
    if (inputs && hash) {
      const record: BatchRecord = { stxmPhasemapBatch: 1, hash, inputs, summary };
      writeFileSync(task.record, JSON.stringify(record, null, 2) + '\n');
    }
    return taskRow(full, 'mapped', { summary });
  } catch (err) {
    rmSync(partial, { force: true });
    return taskRow(full, 'failed', { error: oneLine(err) });
  }
}
