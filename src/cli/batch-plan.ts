/**
 * What `stxm-phasemap batch` will do, before it does it: one task per stack
 * with its references, the name of its result (`DIR/NAME.h5`, its record
 * `DIR/NAME.json` beside it), the manifest's columns, and the hash that says
 * whether a result already there can be kept.
 *
 * The hash covers everything the maps depend on: the complete checked
 * parameters, the references' content, the stack file (name, size, modified
 * time) and the engine's version. A result is kept when both files exist and
 * the record's hash is the task's: a re-run maps only what is new or changed.
 * Python's `map_files` asks for the plan (`batch … --plan`) and sends the
 * tasks that are not done to its workers (`batch --task …`), so both doors
 * share one naming rule, one hash and one record.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';

import { validateParams } from '../core/model/param-specs.js';
import type { DeepPartial, PipelineParams } from '../core/model/params.js';
import { EXTENSION_VERSION } from '../version.js';
import type { MapSummary } from './map.js';

export interface BatchTask {
  /** The stack file (as given, or resolved against the manifest's folder). */
  file: string;
  refs: string;
  /** Base name of the result: `DIR/NAME.h5` and `DIR/NAME.json`. */
  name: string;
  result: string;
  record: string;
  /** The manifest's other columns for this stack. */
  columns: Record<string, string | number>;
  /** null when the stack or the references cannot be read (the task then fails, naming it). */
  hash: string | null;
  /** A result with this hash is already there: nothing to compute. */
  done: boolean;
}

/** The record beside each result (`NAME.json`). */
export interface BatchRecord {
  stxmPhasemapBatch: 1;
  hash: string;
  inputs: {
    stack: { file: string; size: number; modified: string };
    refs: { file: string; sha256: string };
    engine: string;
  };
  summary: MapSummary;
}

/** A name made safe as a file name: other characters than A–Z a–z 0–9 . _ - become `_`. */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'stack';
}

/** A base name for a result: the stack's name without extension, safe as a file name. */
export function baseName(file: string): string {
  return safeName(basename(file, extname(file)));
}

/** Unique names in order: a second `soc10` becomes `soc10-2` (case-insensitively). */
export function uniqueNames(wanted: string[]): string[] {
  const used = new Set<string>();
  return wanted.map(w => {
    let name = w;
    for (let k = 2; used.has(name.toLowerCase()); k++) {
      name = `${w}-${k}`;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const refsHashes = new Map<string, string | null>();

function refsHash(path: string): string | null {
  const key = resolve(path);
  if (!refsHashes.has(key)) {
    try {
      refsHashes.set(key, sha256(readFileSync(key)));
    } catch {
      refsHashes.set(key, null);
    }
  }
  return refsHashes.get(key) ?? null;
}

/** The inputs a task's hash covers, or null when the stack or references cannot be read. */
export function taskInputs(file: string, refs: string): BatchRecord['inputs'] | null {
  const refsSha = refsHash(refs);
  if (refsSha === null || !existsSync(file)) {
    return null;
  }
  const st = statSync(file);
  if (!st.isFile()) {
    return null;
  }
  return {
    stack: { file: basename(file), size: st.size, modified: new Date(st.mtimeMs).toISOString() },
    refs: { file: basename(refs), sha256: refsSha },
    engine: EXTENSION_VERSION
  };
}

/** The hash of a task: its inputs and the complete parameters. */
export function taskHash(inputs: BatchRecord['inputs'], params: PipelineParams): string {
  return sha256(JSON.stringify({ inputs, params }));
}

/** The record of a finished task, if it is there, well formed and has `hash`. */
export function keptRecord(
  task: Pick<BatchTask, 'result' | 'record' | 'hash'>
): BatchRecord | null {
  if (task.hash === null || !existsSync(task.result) || !existsSync(task.record)) {
    return null;
  }
  try {
    const rec = JSON.parse(readFileSync(task.record, 'utf8')) as Partial<BatchRecord>;
    return rec.stxmPhasemapBatch === 1 && rec.hash === task.hash && rec.summary
      ? (rec as BatchRecord)
      : null;
  } catch {
    return null;
  }
}

export interface PlanInput {
  file: string;
  refs: string;
  name?: string | null;
  columns?: Record<string, string | number>;
}

/** The tasks for `inputs`, their results in `out`. `force`: none counts as done. */
export function planTasks(
  inputs: PlanInput[],
  out: string,
  params: DeepPartial<PipelineParams>,
  force = false
): BatchTask[] {
  const complete = validateParams(params);
  const names = uniqueNames(inputs.map(i => (i.name ? safeName(i.name) : baseName(i.file))));
  return inputs.map((input, k) => {
    const name = names[k];
    const stamp = taskInputs(input.file, input.refs);
    const task: BatchTask = {
      file: input.file,
      refs: input.refs,
      name,
      result: join(out, `${name}.h5`),
      record: join(out, `${name}.json`),
      columns: input.columns ?? {},
      hash: stamp ? taskHash(stamp, complete) : null,
      done: false
    };
    task.done = !force && keptRecord(task) !== null;
    return task;
  });
}
