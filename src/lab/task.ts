/**
 * The workbench's task runner. `Task`: one kind of work at a time — a newer
 * attempt supersedes an older one, whose answer is then dropped; `cancel()`
 * aborts the current attempt and drops its answer too; `schedule()` starts
 * work after a quiet delay, once per distinct key. On it, `RunTask` (the
 * pipeline runs: state, progress, Cancel) and `PrepareTask` (the
 * pre-processing for display, restarted when the stack, its parameters or
 * the references change). The model owns one of each and announces what
 * they report.
 */
import { CancelledError } from '../core/analysis/cancel.js';
import { oneLine } from '../core/io/errors.js';
import type { PreparedStack } from '../core/model/prepared.js';
import type { PhaseMapResult, ProgressEvent } from '../core/model/result.js';
import type { LossPoint, PrepareState, RunState } from './model-types.js';

/** The attempt a piece of work is running as. */
export interface Attempt {
  /** Aborted when the attempt is cancelled or superseded. */
  readonly signal: AbortSignal;
  /** Still the task's current attempt (its progress and answer count). */
  readonly current: boolean;
}

export type TaskOutcome<T> =
  /** The work answered and its attempt is still the current one. */
  | { status: 'done'; value: T }
  /** The work failed while current (`error` as it was thrown). */
  | { status: 'failed'; error: unknown }
  /** A newer attempt or a cancel came first; `error` if the work failed meanwhile. */
  | { status: 'superseded' }
  | { status: 'superseded'; error: unknown };

export class Task<T> {
  /** An attempt is under way. */
  get running(): boolean {
    return this._current !== null;
  }

  /**
   * Run `work` as the current attempt, superseding (and aborting) the one
   * under way. Never rejects: the outcome says what happened.
   */
  async run(work: (attempt: Attempt) => Promise<T>): Promise<TaskOutcome<T>> {
    this._current?.abort();
    const controller = new AbortController();
    this._current = controller;
    const isCurrent = (): boolean => this._current === controller;
    const attempt: Attempt = {
      signal: controller.signal,
      get current() {
        return isCurrent();
      }
    };
    try {
      const value = await work(attempt);
      return attempt.current ? { status: 'done', value } : { status: 'superseded' };
    } catch (error) {
      return attempt.current ? { status: 'failed', error } : { status: 'superseded', error };
    } finally {
      if (attempt.current) {
        this._current = null;
      }
    }
  }

  /** Abort the current attempt and drop its answer. False when nothing was under way. */
  cancel(): boolean {
    const current = this._current;
    this._current = null;
    current?.abort();
    return current !== null;
  }

  /**
   * Call `start` once `delayMs` have passed without another call with a
   * different key; a call with the same key as the last one does nothing
   * (nothing changed that the work depends on). Keys compare item by item.
   */
  schedule(key: readonly unknown[], delayMs: number, start: () => void): void {
    const last = this._scheduledKey;
    if (last && last.length === key.length && last.every((v, i) => Object.is(v, key[i]))) {
      return;
    }
    this._scheduledKey = [...key];
    if (this._timer) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = 0;
      start();
    }, delayMs);
  }

  /** Cancel, and forget any scheduled start. */
  dispose(): void {
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = 0;
    }
    this.cancel();
  }

  private _current: AbortController | null = null;
  private _scheduledKey: unknown[] | null = null;
  private _timer: ReturnType<typeof setTimeout> | 0 = 0;
}

/**
 * The pipeline runs of a workbench: their state, the progress of the current
 * one (and its training losses), Cancel. A new run cancels the one under way.
 */
export class RunTask {
  constructor(
    private readonly _stateChanged: (state: RunState) => void,
    private readonly _progressed: (event: ProgressEvent) => void
  ) {}

  get state(): RunState {
    return this._state;
  }
  get error(): string | null {
    return this._error;
  }
  get progress(): ProgressEvent | null {
    return this._progress;
  }
  get lossHistory(): readonly LossPoint[] {
    return this._lossHistory;
  }

  /**
   * Run `work`: the run under way is cancelled, the state is 'running' and
   * the progress starts afresh (a superseded run's progress is dropped).
   * Its result goes to `accept` (the state is 'done' by then, and announced
   * after); a failure
   * sets 'failed' ('cancelled' for a CancelledError) and rejects with it; a
   * run cancelled or superseded rejects with its error or a CancelledError,
   * its state being the newer one's.
   */
  async run(
    work: (options: {
      signal: AbortSignal;
      onProgress: (event: ProgressEvent) => void;
    }) => Promise<PhaseMapResult>,
    accept: (result: PhaseMapResult) => void
  ): Promise<PhaseMapResult> {
    this.cancel();
    this._progress = null;
    this._lossHistory = [];
    this._finish('running', null);
    const outcome = await this._task.run(attempt =>
      work({
        signal: attempt.signal,
        onProgress: event => {
          if (attempt.current) {
            this._onProgress(event);
          }
        }
      })
    );
    switch (outcome.status) {
      case 'done':
        // the state is 'done' by the time the result is announced, and said after
        this._state = 'done';
        this._error = null;
        accept(outcome.value);
        this._stateChanged('done');
        return outcome.value;
      case 'failed': {
        const cancelled = outcome.error instanceof CancelledError;
        this._finish(cancelled ? 'cancelled' : 'failed', cancelled ? null : oneLine(outcome.error));
        throw outcome.error;
      }
      case 'superseded':
        // the work's own error if it failed meanwhile, else the answer came too late
        throw 'error' in outcome ? outcome.error : new CancelledError();
    }
  }

  private _finish(state: RunState, error: string | null): void {
    this._state = state;
    this._error = error;
    this._stateChanged(state);
  }

  /** Cancel the run under way, if any. */
  cancel(): void {
    if (this._task.cancel()) {
      this._finish('cancelled', null);
    }
  }

  private _onProgress(p: ProgressEvent): void {
    this._progress = p;
    if (p.epoch !== undefined && p.loss !== undefined && Number.isFinite(p.loss)) {
      this._lossHistory = [
        ...this._lossHistory.filter(q => q.epoch !== p.epoch),
        { epoch: p.epoch, loss: p.loss, valLoss: p.valLoss }
      ];
    }
    this._progressed(p);
  }

  private _state: RunState = 'idle';
  private _error: string | null = null;
  private _progress: ProgressEvent | null = null;
  private _lossHistory: LossPoint[] = [];
  private readonly _task = new Task<PhaseMapResult>();
}

/** Quiet time before the stack is pre-processed again for display (ms). */
export const PREPARE_DELAY_MS = 150;

/**
 * The pre-processing for display: the prepared stack, its state, and the
 * debounce that starts it again when what it depends on changes. A newer one
 * supersedes an older one (the older one's answer is dropped); a failure
 * keeps the previous prepared stack and says why.
 */
export class PrepareTask {
  constructor(
    private readonly _stateChanged: (state: PrepareState) => void,
    private readonly _preparedChanged: (prepared: PreparedStack | null) => void
  ) {}

  get prepared(): PreparedStack | null {
    return this._prepared;
  }
  get state(): PrepareState {
    return this._state;
  }
  get error(): string | null {
    return this._error;
  }

  /** Run `work` as the current pre-processing; its answer, or null (failed, superseded). */
  async prepare(work: () => Promise<PreparedStack>): Promise<PreparedStack | null> {
    this._finish('running', null);
    const outcome = await this._task.run(work);
    if (outcome.status === 'failed') {
      this._finish('failed', oneLine(outcome.error));
    }
    if (outcome.status !== 'done') {
      return null;
    }
    // the state is 'done' by the time the prepared stack is announced, and said after
    this._prepared = outcome.value;
    this._state = 'done';
    this._error = null;
    this._preparedChanged(outcome.value);
    this._stateChanged('done');
    return outcome.value;
  }

  /** A new stack: no prepared stack, the one under way dropped, state 'idle'. */
  reset(): void {
    this._task.cancel();
    if (this._prepared) {
      this._prepared = null;
      this._preparedChanged(null);
    }
    this._finish('idle', null);
  }

  /** Start again after `PREPARE_DELAY_MS` unless `key` (what it depends on) is the last one. */
  schedule(key: readonly unknown[], start: () => void): void {
    this._task.schedule(key, PREPARE_DELAY_MS, start);
  }

  dispose(): void {
    this._task.dispose();
    this._prepared = null;
  }

  private _finish(state: PrepareState, error: string | null): void {
    this._state = state;
    this._error = error;
    this._stateChanged(state);
  }

  private _prepared: PreparedStack | null = null;
  private _state: PrepareState = 'idle';
  private _error: string | null = null;
  private readonly _task = new Task<PreparedStack>();
}
