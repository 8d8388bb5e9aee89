/**
 * The workbench model: one per open stack. It holds what the user made — the
 * stack, the references, the parameters, the last good result — and every
 * view listens to its signals. A failed or cancelled run keeps the previous
 * result; a failed reload keeps the previous stack.
 */
import { Signal } from '@lumino/signaling';

import {
  CancelledError,
  applyThreshold,
  describeStack,
  oneLine,
  withDefaults,
  type DeepPartial,
  type PhaseMapResult,
  type PipelineParams,
  type ProgressEvent,
  type ReferenceSet,
  type Stack,
  type StackInfo
} from '../core/index.js';
import type { IStackSource, LoadStatus } from '../views/stackview.js';

export type RunState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/** What runs the pipeline (the worker client in the browser). */
export type PipelineRunner = (
  stack: Stack,
  references: ReferenceSet,
  params: PipelineParams,
  options: { onProgress: (p: ProgressEvent) => void; signal: AbortSignal }
) => Promise<PhaseMapResult>;

export class WorkbenchModel implements IStackSource {
  constructor(
    readonly path: string,
    params: DeepPartial<PipelineParams> = {}
  ) {
    this._params = withDefaults(params);
  }

  get status(): LoadStatus {
    return this._status;
  }
  get stack(): Stack | null {
    return this._stack;
  }
  get info(): StackInfo | null {
    return this._info;
  }
  get error(): string | null {
    return this._error;
  }
  get references(): ReferenceSet | null {
    return this._references;
  }
  get params(): PipelineParams {
    return this._params;
  }
  get result(): PhaseMapResult | null {
    return this._result;
  }
  get runState(): RunState {
    return this._runState;
  }
  get runError(): string | null {
    return this._runError;
  }
  get progress(): ProgressEvent | null {
    return this._progress;
  }

  /** Stack, references, parameters, run state or result changed. */
  get changed(): Signal<this, void> {
    return this._changed;
  }
  /** Every progress event of the current run (the training loss curve listens here). */
  get progressChanged(): Signal<this, ProgressEvent> {
    return this._progressChanged;
  }
  /** A new result (a run ended, or τ moved). */
  get resultChanged(): Signal<this, PhaseMapResult | null> {
    return this._resultChanged;
  }

  /**
   * Load the stack with `read`. On failure the model keeps any stack it had
   * and reports the error.
   */
  async load(read: () => Promise<Stack>): Promise<void> {
    this._status = 'loading';
    this._error = null;
    this._changed.emit();
    try {
      this.setStack(await read());
    } catch (err) {
      // Any stack loaded before stays in the model (and on screen) beside the message.
      this._error = oneLine(err);
      this._status = 'error';
      this._changed.emit();
    }
  }

  /** Replace the stack (a load, or arrays pushed from Python). The old result no longer applies. */
  setStack(stack: Stack): void {
    this._stack = stack;
    this._info = describeStack(stack);
    this._status = 'ready';
    this._error = null;
    if (this._result) {
      this._result = null;
      this._resultChanged.emit(null);
    }
    this._changed.emit();
  }

  setReferences(references: ReferenceSet | null): void {
    this._references = references;
    this._changed.emit();
  }

  setParams(params: DeepPartial<PipelineParams>): void {
    this._params = withDefaults({
      ...this._params,
      ...params,
      preprocess: { ...this._params.preprocess, ...params.preprocess },
      gmvae: { ...this._params.gmvae, ...params.gmvae }
    });
    this._changed.emit();
  }

  /**
   * Move τ: the ambiguity and final maps follow from the current result
   * without recomputing correlations. Returns the new result (or null).
   */
  setThreshold(threshold: number): PhaseMapResult | null {
    this._params = { ...this._params, threshold };
    if (this._result) {
      this._result = applyThreshold(this._result, threshold);
      this._resultChanged.emit(this._result);
    }
    return this._result;
  }

  /**
   * Run the pipeline on the current stack and references. Resolves with the
   * new result; on failure or cancel the previous result stays and the
   * promise rejects with the reason.
   */
  async run(runner: PipelineRunner): Promise<PhaseMapResult> {
    if (!this._stack) {
      throw new Error(`${this.path}: no stack is loaded`);
    }
    if (!this._references) {
      throw new Error(`${this.path}: no reference spectra are set (load a references CSV first)`);
    }
    this.cancel();
    const controller = new AbortController();
    this._abort = controller;
    this._runState = 'running';
    this._runError = null;
    this._progress = null;
    this._changed.emit();
    try {
      const result = await runner(this._stack, this._references, this._params, {
        signal: controller.signal,
        onProgress: p => {
          if (this._abort === controller) {
            this._progress = p;
            this._progressChanged.emit(p);
          }
        }
      });
      if (this._abort !== controller) {
        throw new CancelledError(); // superseded by a newer run
      }
      this._result = result;
      this._runState = 'done';
      this._resultChanged.emit(result);
      return result;
    } catch (err) {
      if (this._abort === controller) {
        const cancelled = err instanceof CancelledError;
        this._runState = cancelled ? 'cancelled' : 'failed';
        this._runError = cancelled ? null : oneLine(err);
      }
      throw err;
    } finally {
      if (this._abort === controller) {
        this._abort = null;
      }
      this._changed.emit();
    }
  }

  /** Cancel the run in progress, if any. */
  cancel(): void {
    const abort = this._abort;
    this._abort = null;
    if (abort) {
      this._runState = 'cancelled';
      abort.abort();
      this._changed.emit();
    }
  }

  dispose(): void {
    this.cancel();
    Signal.clearData(this);
    this._stack = null;
    this._result = null;
  }

  private _status: LoadStatus = 'loading';
  private _stack: Stack | null = null;
  private _info: StackInfo | null = null;
  private _error: string | null = null;
  private _references: ReferenceSet | null = null;
  private _params: PipelineParams;
  private _result: PhaseMapResult | null = null;
  private _runState: RunState = 'idle';
  private _runError: string | null = null;
  private _progress: ProgressEvent | null = null;
  private _abort: AbortController | null = null;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _progressChanged = new Signal<this, ProgressEvent>(this);
  private readonly _resultChanged = new Signal<this, PhaseMapResult | null>(this);
}
