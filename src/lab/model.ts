/**
 * The workbench model: one per open stack. It holds what the user made — the
 * stack, the references, the parameters, the last good result — and every
 * view listens to its signals. A failed or cancelled run keeps the previous
 * result; a failed reload keeps the previous stack.
 */
import { Signal } from '@lumino/signaling';

import { CancelledError } from '../core/analysis/cancel.js';
import {
  applyThreshold,
  thresholdInSteps,
  type ThresholdSteps
} from '../core/analysis/threshold.js';
import { oneLine } from '../core/io/errors.js';
import { validateParams } from '../core/model/param-specs.js';
import { describeStack, type StackInfo } from '../core/model/info.js';
import { phaseColor } from '../core/model/palette.js';
import type { PreparedStack } from '../core/model/prepared.js';
import type { ReferenceSet } from '../core/model/references.js';
import {
  withDefaults,
  type DeepPartial,
  type PhaseMapResult,
  type PipelineParams,
  type PreprocessParams,
  type ProgressEvent
} from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import type { SampleRect } from '../views/shared/grid.js';
import type { ReferencesOrigin } from './commandline.js';
import { recoloured, renamed, without } from './refedit.js';
import type {
  IWorkbenchSource,
  LoadStatus,
  LossPoint,
  PrepareState,
  Roi,
  RunState
} from '../views/shared/source.js';

export type { RunState } from '../views/shared/source.js';

/** What pre-processes a stack for the OD view (the worker client in the browser). */
export type PrepareRunner = (
  stack: Stack,
  params: PreprocessParams,
  references?: ReferenceSet
) => Promise<PreparedStack>;

/** What runs the pipeline (the worker client in the browser). */
export type PipelineRunner = (
  stack: Stack,
  references: ReferenceSet,
  params: PipelineParams,
  options: { onProgress: (p: ProgressEvent) => void; signal: AbortSignal }
) => Promise<PhaseMapResult>;

export class WorkbenchModel implements IWorkbenchSource {
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
  get referencesError(): string | null {
    return this._referencesError;
  }
  /** Where the references came from (their files on the server, if any), or null without references. */
  get referencesOrigin(): ReferencesOrigin | null {
    const refs = this._references;
    return refs
      ? { files: this._referencesFiles, edited: this._referencesEdited, source: refs.source }
      : null;
  }
  get params(): PipelineParams {
    return this._params;
  }
  /** The current result, complete (a τ move still in its first step is finished first). */
  get result(): PhaseMapResult | null {
    this._finishThreshold();
    return this._result;
  }
  /**
   * The result as the views show it: during a τ move, between its two steps,
   * confidence and flags may still be those of the previous τ.
   */
  get shownResult(): PhaseMapResult | null {
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
  get lossHistory(): readonly LossPoint[] {
    return this._lossHistory;
  }
  get prepared(): PreparedStack | null {
    return this._prepared;
  }
  get prepareState(): PrepareState {
    return this._prepareState;
  }
  get prepareError(): string | null {
    return this._prepareError;
  }
  get rois(): readonly Roi[] {
    return this._rois;
  }
  get stateOfCharge(): number | null {
    return this._stateOfCharge;
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
  /** A new pre-processed stack (optical density, mask, I0, shifts), or null. */
  get preparedChanged(): Signal<this, PreparedStack | null> {
    return this._preparedChanged;
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
    if (this._prepared) {
      this._prepared = null;
      this._preparedChanged.emit(null);
    }
    this._prepareState = 'idle';
    this._changed.emit();
  }

  /**
   * Use `references`; `origin` names the server files they were read from
   * (none: uploaded, model spectra, sent from Python) and whether they were
   * edited since (a restored workbench).
   */
  setReferences(
    references: ReferenceSet | null,
    origin: { files?: readonly string[]; edited?: boolean } = {}
  ): void {
    this._references = references;
    this._referencesFiles = references ? [...(origin.files ?? [])] : [];
    this._referencesEdited = references ? (origin.edited ?? false) : false;
    this._referencesError = null;
    this._changed.emit();
  }

  /** Report a references file that could not be used; the references in use stay. */
  setReferencesError(message: string | null): void {
    this._referencesError = message;
    this._changed.emit();
  }

  /**
   * Rename reference `index`. The phase of the same name in the current
   * result is renamed too (names are display text). Throws on an empty or
   * duplicate name.
   */
  renameReference(index: number, name: string): void {
    const refs = this._references;
    const old = refs?.spectra[index];
    if (!refs || !old || name.trim() === old.name) {
      return;
    }
    this._references = renamed(refs, index, name);
    this._referencesEdited = true;
    const clean = this._references.spectra[index].name;
    this._finishThreshold();
    if (this._result && this._result.phaseNames.includes(old.name)) {
      this._result = {
        ...this._result,
        phaseNames: this._result.phaseNames.map(n => (n === old.name ? clean : n))
      };
      this._resultChanged.emit(this._result);
    }
    this._changed.emit();
  }

  /** Give reference `index` a display colour (`#rrggbb`). */
  setReferenceColor(index: number, color: string): void {
    const next = this._references ? recoloured(this._references, index, color) : null;
    if (!next) {
      return;
    }
    this._references = next;
    this._changed.emit();
    if (this._result) {
      this._resultChanged.emit(this._result); // same result, new colours
    }
  }

  removeReference(index: number): void {
    if (this._references?.spectra[index]) {
      this._references = without(this._references, index);
      this._referencesEdited = this._references !== null;
      if (!this._references) {
        this._referencesFiles = [];
      }
      this._changed.emit();
    }
  }

  /** Add a region of interest (µm); it gets the next free name and colour. */
  addRoi(rect: SampleRect): Roi {
    const id = ++this._roiId;
    const roi: Roi = { id, name: `ROI ${id}`, color: phaseColor(id + 3), rect };
    this._rois = [...this._rois, roi];
    this._changed.emit();
    return roi;
  }

  /** Put back ROIs kept from an earlier session. */
  restoreRois(rois: readonly Roi[]): void {
    this._rois = rois.map(r => ({ ...r, rect: { ...r.rect } }));
    this._roiId = Math.max(0, ...this._rois.map(r => r.id));
    this._changed.emit();
  }

  removeRoi(id: number): void {
    this._rois = this._rois.filter(r => r.id !== id);
    this._changed.emit();
  }

  setStateOfCharge(value: number | null): void {
    this._stateOfCharge = value !== null && Number.isFinite(value) ? value : null;
    this._changed.emit();
  }

  /**
   * Pre-process the stack for display (optical density, mask, I0, shifts)
   * with the current parameters. A newer call supersedes an older one; a
   * failure keeps the previous prepared stack and reports the error.
   */
  async prepare(runner: PrepareRunner): Promise<PreparedStack | null> {
    const stack = this._stack;
    if (!stack) {
      return null;
    }
    const generation = ++this._prepareGeneration;
    this._prepareState = 'running';
    this._prepareError = null;
    this._changed.emit();
    try {
      const prepared = await runner(stack, this._params.preprocess, this._references ?? undefined);
      if (generation !== this._prepareGeneration || stack !== this._stack) {
        return null; // superseded
      }
      this._prepared = prepared;
      this._prepareState = 'done';
      this._preparedChanged.emit(prepared);
      return prepared;
    } catch (err) {
      if (generation === this._prepareGeneration) {
        this._prepareState = 'failed';
        this._prepareError = oneLine(err);
      }
      return null;
    } finally {
      if (generation === this._prepareGeneration) {
        this._changed.emit();
      }
    }
  }

  /**
   * Change parameters. They are checked by the parameter model first: a value
   * out of range throws a `ParameterError` naming it, and nothing is stored.
   */
  setParams(params: DeepPartial<PipelineParams>): void {
    this._params = validateParams({
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
    this._thresholdSteps = null;
    this._params = { ...this._params, threshold };
    if (this._result) {
      this._result = applyThreshold(this._result, threshold);
      this._resultChanged.emit(this._result);
    }
    return this._result;
  }

  /**
   * Move τ in two steps (the slider): this one updates the ambiguity map, the
   * final map and the fractions at once and emits `resultChanged`;
   * `settleThreshold()` then adds confidence and flags. Anyone reading
   * `result` in between gets the complete result.
   */
  previewThreshold(threshold: number): PhaseMapResult | null {
    this._params = { ...this._params, threshold };
    if (!this._result) {
      return null;
    }
    const steps = thresholdInSteps(this._result, threshold);
    this._thresholdSteps = steps.pending ? steps : null;
    this._result = steps.preview;
    this._resultChanged.emit(this._result);
    return this._result;
  }

  /** The second step of a τ move: confidence and flags. False when there was nothing left to do. */
  settleThreshold(): boolean {
    const finished = this._finishThreshold();
    if (finished || this._thresholdUnannounced) {
      this._thresholdUnannounced = false;
      this._resultChanged.emit(this._result);
      return true;
    }
    return false;
  }

  /** Finish a pending τ step without telling anyone yet (`settleThreshold` does). */
  private _finishThreshold(): boolean {
    const steps = this._thresholdSteps;
    if (!steps) {
      return false;
    }
    this._thresholdSteps = null;
    if (this._result === steps.preview) {
      this._result = steps.finish();
      this._thresholdUnannounced = true;
    }
    return true;
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
    this._lossHistory = [];
    this._changed.emit();
    try {
      const result = await runner(this._stack, this._references, this.runParams(), {
        signal: controller.signal,
        onProgress: p => {
          if (this._abort === controller) {
            this._progress = p;
            if (p.epoch !== undefined && p.loss !== undefined && Number.isFinite(p.loss)) {
              this._lossHistory = [
                ...this._lossHistory.filter(q => q.epoch !== p.epoch),
                { epoch: p.epoch, loss: p.loss, valLoss: p.valLoss }
              ];
            }
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

  /**
   * The parameters a run gets: the workbench's own, as they are (automatic
   * alignment and calibration decide again in the run, deterministically, so
   * the run does what the pre-processing tab showed and what
   * `stxm-phasemap map` would do with the same parameters).
   */
  runParams(): PipelineParams {
    return this._params;
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
    this._prepared = null;
  }

  private _status: LoadStatus = 'loading';
  private _stack: Stack | null = null;
  private _info: StackInfo | null = null;
  private _error: string | null = null;
  private _references: ReferenceSet | null = null;
  private _referencesError: string | null = null;
  private _referencesFiles: string[] = [];
  private _referencesEdited = false;
  private _params: PipelineParams;
  private _result: PhaseMapResult | null = null;
  private _runState: RunState = 'idle';
  private _runError: string | null = null;
  private _progress: ProgressEvent | null = null;
  private _abort: AbortController | null = null;
  private _lossHistory: LossPoint[] = [];
  private _prepared: PreparedStack | null = null;
  private _prepareState: PrepareState = 'idle';
  private _prepareError: string | null = null;
  private _prepareGeneration = 0;
  private _rois: Roi[] = [];
  private _roiId = 0;
  private _stateOfCharge: number | null = null;
  private readonly _preparedChanged = new Signal<this, PreparedStack | null>(this);
  private readonly _changed = new Signal<this, void>(this);
  private readonly _progressChanged = new Signal<this, ProgressEvent>(this);
  private readonly _resultChanged = new Signal<this, PhaseMapResult | null>(this);
  private _thresholdSteps: ThresholdSteps | null = null;
  private _thresholdUnannounced = false;
}
