/**
 * The workbench model: one per open stack. It holds what the user made — the
 * stack, the references, the parameters, the ROIs, the last good result —
 * with one signal per concern (model-types.ts), so each view listens only to
 * what it draws. Runs and pre-processing go through a task each (task.ts):
 * a newer one supersedes an older one, Cancel aborts. A failed or cancelled
 * run keeps the previous result; a failed reload keeps the previous stack.
 */
import { Signal } from '@lumino/signaling';

import { applyThreshold } from '../core/analysis/threshold.js';
import { oneLine } from '../core/io/errors.js';
import { validateParams } from '../core/model/param-specs.js';
import {
  frameOf,
  isHeldStack,
  stackMeta,
  type CubeReader,
  type HeldStack,
  type CubeStore,
  type PreparedMeta,
  type StackMeta
} from '../core/model/cube.js';
import { describeStack, type StackInfo } from '../core/model/info.js';
import { LocalCubeStore } from '../core/preprocess/cube-store.js';
import type { ReferenceSet } from '../core/model/references.js';
import {
  withDefaults,
  type DeepPartial,
  type PhaseMapResult,
  type PipelineParams,
  type ProgressEvent
} from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import type { ReferencesOrigin } from './commandline.js';
import type {
  IWorkbenchModel,
  LoadProgress,
  LoadStatus,
  LossPoint,
  PipelineRunner,
  PrepareRunner,
  PrepareState,
  Roi,
  RunState,
  SampleRect,
  StackSource
} from './model-types.js';
import { ReferencesInUse } from './references-state.js';
import { RoiList } from './rois.js';
import { PrepareTask, RunTask } from './task.js';
import { ThresholdMove } from './threshold-move.js';

export type { PipelineRunner, PrepareRunner, RunState, StackSource } from './model-types.js';

export class WorkbenchModel implements IWorkbenchModel {
  /**
   * `store` owns the cube (the workbench's stack worker in the browser); by
   * default the stack is held in this thread (Node).
   */
  constructor(
    readonly path: string,
    params: DeepPartial<PipelineParams> = {},
    store: CubeStore = new LocalCubeStore()
  ) {
    this._params = withDefaults(params);
    this._store = store;
  }

  get status(): LoadStatus {
    return this._status;
  }
  /** How far the file being loaded has been read; null before the first slab and once loaded. */
  get loadProgress(): LoadProgress | null {
    return this._status === 'loading' ? this._loadProgress : null;
  }
  get stack(): StackMeta | null {
    return this._stack;
  }
  get cube(): CubeReader {
    return this._reader;
  }
  get info(): StackInfo | null {
    return this._info;
  }
  get error(): string | null {
    return this._error;
  }
  get references(): ReferenceSet | null {
    return this._references.set;
  }
  get referencesError(): string | null {
    return this._references.error;
  }
  /** Where the references came from (their files on the server, if any), or null without references. */
  get referencesOrigin(): ReferencesOrigin | null {
    return this._references.origin;
  }
  get params(): PipelineParams {
    return this._params;
  }
  get effectiveShiftEv(): number {
    const pre = this._params.preprocess;
    if (pre.energyShift === 'auto') {
      return this.prepared ? this.prepared.energyShiftEv : 0;
    }
    return pre.energyShift;
  }
  /** The current result, complete (a τ move still in its first step is finished first). */
  get result(): PhaseMapResult | null {
    this._finishThreshold();
    return this._result;
  }
  get shownResult(): PhaseMapResult | null {
    return this._result;
  }
  get runState(): RunState {
    return this._runs.state;
  }
  get runError(): string | null {
    return this._runs.error;
  }
  get progress(): ProgressEvent | null {
    return this._runs.progress;
  }
  get lossHistory(): readonly LossPoint[] {
    return this._runs.lossHistory;
  }
  get prepared(): PreparedMeta | null {
    return this._prepares.prepared;
  }
  get prepareState(): PrepareState {
    return this._prepares.state;
  }
  get prepareError(): string | null {
    return this._prepares.error;
  }
  get rois(): readonly Roi[] {
    return this._rois.list;
  }
  get stateOfCharge(): number | null {
    return this._stateOfCharge;
  }

  readonly stackChanged = new Signal<this, void>(this);
  /** How far the file being loaded has been read (values of the cube), while it loads. */
  readonly loadProgressChanged = new Signal<this, LoadProgress>(this);
  readonly referencesChanged = new Signal<this, void>(this);
  readonly paramsChanged = new Signal<this, void>(this);
  readonly thresholdChanged = new Signal<this, number>(this);
  readonly preparedChanged = new Signal<this, PreparedMeta | null>(this);
  readonly prepareStateChanged = new Signal<this, PrepareState>(this);
  readonly runStateChanged = new Signal<this, RunState>(this);
  /** Every progress event of the current run (the training loss curve listens here). */
  readonly progressChanged = new Signal<this, ProgressEvent>(this);
  readonly resultChanged = new Signal<this, PhaseMapResult | null>(this);
  readonly roisChanged = new Signal<this, readonly Roi[]>(this);
  readonly stateOfChargeChanged = new Signal<this, number | null>(this);

  /**
   * Load the stack with `read`. On failure the model keeps any stack it had
   * and reports the error.
   *
   * `read` is told whether to apply the ring current as it reads (the
   * parameters' `preprocess.ringCurrent`): a reader that can (an HDF5 file
   * read from the server) then never holds the current as a cube, and the
   * stack comes with `ringCurrentApplied`. Turning ring-current
   * normalisation off later reads the file again with `read`, without it
   * (the result stays); a prepare or run waits for that read.
   */
  async load(read: StackSource, options: { keepResult?: boolean } = {}): Promise<void> {
    this._source = read;
    this._status = 'loading';
    this._error = null;
    this._loadProgress = null;
    this.stackChanged.emit();
    const onProgress = (done: number, total: number): void => {
      if (this._status === 'loading') {
        this._loadProgress = { done, total };
        this.loadProgressChanged.emit(this._loadProgress);
      }
    };
    try {
      const applyRingCurrent = this._params.preprocess.ringCurrent;
      const stack = await read(onProgress, { applyRingCurrent });
      if (isHeldStack(stack)) {
        this._setHeld(stack, options);
      } else {
        this._put(stack, options);
      }
    } catch (err) {
      // Any stack loaded before stays in the model (and on screen) beside the message.
      this._error = oneLine(err);
      this._status = 'error';
      this.stackChanged.emit();
    }
  }

  /**
   * Replace the stack (a load, or arrays pushed from Python). The old result
   * no longer applies. The stack goes to the store (in the browser its
   * buffers are transferred to the stack worker); the model keeps its
   * description.
   */
  setStack(stack: Stack): void {
    this._source = null; // not read from a file: nothing to read again
    this._put(stack, {});
  }

  private _put(stack: Stack, options: { keepResult?: boolean }): void {
    this._info = describeStack(stack);
    const meta = stackMeta(stack);
    this._stack = meta;
    this._held = false;
    // the first frame stays on the page until the image viewer takes it: a new stack is
    // painted at once, not after a round trip to the stack worker
    const [, ny, nx] = meta.shape;
    this._firstFrame = ny * nx > 0 ? { stack: meta, values: frameOf(stack.data, ny, nx, 0) } : null;
    this._store.put(stack).catch((err: unknown) => {
      if (this._stack === meta) {
        this._error = oneLine(err);
        this._status = 'error';
        this.stackChanged.emit();
      }
    });
    this._stackReplaced(options);
  }

  /**
   * Whether the stack is one its store read and holds (too large to move
   * between workers): it is pre-processed and mapped where it is, and no
   * copy of it comes to the page.
   */
  get held(): boolean {
    return this._stack !== null && this._held;
  }

  /** A stack the store read itself and holds: its description and first frame. */
  private _setHeld(stack: HeldStack, options: { keepResult?: boolean }): void {
    const meta = stack.held;
    this._info = describeStack(meta);
    this._stack = meta;
    this._held = true;
    const [, ny, nx] = meta.shape;
    this._firstFrame = ny * nx > 0 ? { stack: meta, values: stack.firstFrame } : null;
    this._stackReplaced(options);
  }

  /**
   * What follows a new stack: ready, the old result and prepared stack gone
   * (the result stays when the same file was read again: `keepResult`).
   */
  private _stackReplaced(options: { keepResult?: boolean } = {}): void {
    this._status = 'ready';
    this._error = null;
    if (this._result && !options.keepResult) {
      this._result = null;
      this.resultChanged.emit(null);
    }
    // nor does the prepared stack, nor a pre-processing under way
    this._prepares.reset();
    this.stackChanged.emit();
  }

  /**
   * The raw stack whole, in buffers of its own (made by the store: a
   * transferred copy in the browser), for Python or an export. Nothing of
   * it is kept here.
   */
  stackCopy(): Promise<Stack> {
    if (!this._stack) {
      return Promise.reject(new Error(`${this.path}: no stack is loaded`));
    }
    if (this._held) {
      const [ne, ny, nx] = this._stack.shape;
      const gib = ((ne * ny * nx * 4) / 2 ** 30).toFixed(1);
      return Promise.reject(
        new Error(
          `${this.path}: the stack (${gib} GiB as float32) stays in its workbench's stack ` +
            'worker, too large to copy out of it; read the file itself (h5py) instead'
        )
      );
    }
    return this._store.copy();
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
    this._references.use(references, origin);
    this.referencesChanged.emit();
  }

  /** Report a references file that could not be used; the references in use stay. */
  setReferencesError(message: string | null): void {
    this._references.setError(message);
    this.referencesChanged.emit();
  }

  /**
   * Rename reference `index`. The phase of the same name in the current
   * result is renamed too (names are display text). Throws on an empty or
   * duplicate name.
   */
  renameReference(index: number, name: string): void {
    const names = this._references.rename(index, name);
    if (!names) {
      return;
    }
    this._finishThreshold();
    if (this._result && this._result.phaseNames.includes(names.from)) {
      this._result = {
        ...this._result,
        phaseNames: this._result.phaseNames.map(n => (n === names.from ? names.to : n))
      };
      this.resultChanged.emit(this._result);
    }
    this.referencesChanged.emit();
  }

  /** Give reference `index` a display colour (`#rrggbb`). */
  setReferenceColor(index: number, color: string): void {
    if (!this._references.recolour(index, color)) {
      return;
    }
    this.referencesChanged.emit();
    if (this._result) {
      this.resultChanged.emit(this._result); // same result, new colours
    }
  }

  removeReference(index: number): void {
    if (this._references.remove(index)) {
      this.referencesChanged.emit();
    }
  }

  /** Add a region of interest (µm); it gets the next free name and colour. */
  addRoi(rect: SampleRect): Roi {
    const roi = this._rois.add(rect);
    this.roisChanged.emit(this._rois.list);
    return roi;
  }

  /** Put back ROIs kept from an earlier session. */
  restoreRois(rois: readonly Roi[]): void {
    this._rois.restore(rois);
    this.roisChanged.emit(this._rois.list);
  }

  removeRoi(id: number): void {
    this._rois.remove(id);
    this.roisChanged.emit(this._rois.list);
  }

  setStateOfCharge(value: number | null): void {
    this._stateOfCharge = value !== null && Number.isFinite(value) ? value : null;
    this.stateOfChargeChanged.emit(this._stateOfCharge);
  }

  /**
   * Pre-process the stack for display (optical density, mask, I0, shifts)
   * with the current parameters. A newer call supersedes an older one; a
   * failure keeps the previous prepared stack and reports the error.
   */
  async prepare(runner?: PrepareRunner): Promise<PreparedMeta | null> {
    if (this._rereading) {
      await this._rereading; // (the new stack is prepared again once read)
    }
    if (!this._stack || (this._needsReread() && this._source)) {
      return null;
    }
    const params = this._params.preprocess;
    const references = this._references.set ?? undefined;
    const store = this._store;
    if (runner && !(store instanceof LocalCubeStore)) {
      throw new Error('a prepare runner needs the stack in this thread (LocalCubeStore)');
    }
    return this._prepares.prepare(() =>
      runner && store instanceof LocalCubeStore
        ? store.prepareWith(runner, params, references)
        : store.prepare(params, references)
    );
  }

  /**
   * Keep the prepared stack in step: pre-process again (after a quiet
   * moment, task.ts) whenever the stack, the pre-processing parameters or
   * the references change. The energy shift moves the references, not the
   * optical density; the references matter only to the automatic energy
   * calibration.
   */
  prepareAutomatically(runner?: PrepareRunner): void {
    const maybe = (): void => {
      if (!this._stack) {
        return;
      }
      const key = [this._stack, JSON.stringify(this._params.preprocess), this._references.set];
      this._prepares.schedule(key, () => void this.prepare(runner));
    };
    this.stackChanged.connect(maybe);
    this.paramsChanged.connect(maybe);
    this.referencesChanged.connect(maybe);
    maybe();
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
    this._rereadIfNeeded();
    this.paramsChanged.emit();
  }

  /**
   * The stack was read with the ring current applied and the parameters
   * now say not to normalise by it: read the file again, as it is (once;
   * `rereading` resolves when done). The result stays.
   */
  private _rereadIfNeeded(): void {
    const source = this._source;
    if (!this._rereading && source && this._needsReread()) {
      const stack = this._stack;
      this._rereading = this.load(source, { keepResult: true }).finally(() => {
        this._rereading = null;
        if (this._stack === stack) {
          return; // the read failed: the stack (and the message) stay
        }
        this._rereadIfNeeded(); // (turned on and off again meanwhile: nothing to do)
      });
    }
  }

  /** Whether the stack held cannot be pre-processed with the parameters as they are (a re-read is due). */
  private _needsReread(): boolean {
    return this._stack?.ringCurrentApplied !== undefined && !this._params.preprocess.ringCurrent;
  }

  /**
   * Move τ: the ambiguity and final maps follow from the current result
   * without recomputing correlations. Returns the new result (or null).
   */
  setThreshold(threshold: number): PhaseMapResult | null {
    this._tau.drop();
    this._params = { ...this._params, threshold };
    this.thresholdChanged.emit(threshold);
    if (this._result) {
      this._result = applyThreshold(this._result, threshold);
      this.resultChanged.emit(this._result);
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
    this.thresholdChanged.emit(threshold);
    if (!this._result) {
      return null;
    }
    this._result = this._tau.preview(this._result, threshold);
    this.resultChanged.emit(this._result);
    return this._result;
  }

  /** The second step of a τ move: confidence and flags. False when there was nothing left to do. */
  settleThreshold(): boolean {
    if (this._tau.settle(this._result, r => (this._result = r))) {
      this.resultChanged.emit(this._result);
      return true;
    }
    return false;
  }

  /** Finish a pending τ step without telling anyone yet (`settleThreshold` does). */
  private _finishThreshold(): void {
    this._tau.finish(this._result, r => (this._result = r));
  }

  /**
   * Run the pipeline on the current stack and references. Resolves with the
   * new result; on failure or cancel the previous result stays and the
   * promise rejects with the reason. Where the store can (the stack worker),
   * the run is done there, on the cube and optical density it holds; a
   * stack held in this thread (Node) is run by `runner`.
   */
  async run(runner?: PipelineRunner): Promise<PhaseMapResult> {
    if (this._rereading) {
      await this._rereading; // the file read again without the ring current applied
    }
    const stack = this._stack;
    const references = this._references.set;
    if (!stack) {
      throw new Error(`${this.path}: no stack is loaded`);
    }
    if (!references) {
      throw new Error(`${this.path}: no reference spectra are set (load a references CSV first)`);
    }
    const params = this.runParams();
    return this._runs.run(
      async options => {
        const store = this._store;
        if (store.runInPlace) {
          // the stack worker runs it on the cube and optical density it holds: no copy of
          // the cube for a run worker (the run's own memory is all a run adds)
          return store.runInPlace(references, params, options);
        }
        if (runner && store instanceof LocalCubeStore && store.stack) {
          // held in this thread (Node): the stack itself, which a run does not consume
          return runner(store.stack, references, params, options);
        }
        throw new Error(`${this.path}: this stack's store cannot run the pipeline (give a runner)`);
      },
      result => {
        this._result = result;
        this.resultChanged.emit(result);
      }
    );
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
    this._runs.cancel();
  }

  dispose(): void {
    this.cancel();
    this._prepares.dispose();
    Signal.clearData(this);
    this._stack = null;
    this._firstFrame = null;
    this._result = null;
    this._store.dispose();
  }

  private _status: LoadStatus = 'loading';
  /** How the stack was read (for a re-read without the ring current applied). */
  private _source: StackSource | null = null;
  private _rereading: Promise<void> | null = null;
  private _loadProgress: LoadProgress | null = null;
  private _stack: StackMeta | null = null;
  private _held = false;
  private readonly _store: CubeStore;
  private _firstFrame: { stack: StackMeta; values: Float32Array } | null = null;
  /** The store's answers, but frame 0 of a new stack from the page (handed over once). */
  private readonly _reader: CubeReader = {
    frame: (kind, e) => {
      const first = this._firstFrame;
      if (kind === 'raw' && e === 0 && first && first.stack === this._stack) {
        this._firstFrame = null;
        return Promise.resolve(first.values);
      }
      return this._store.frame(kind, e);
    },
    spectrum: (kind, ix, iy) => this._store.spectrum(kind, ix, iy),
    meanSpectrum: (kind, region) => this._store.meanSpectrum(kind, region)
  };
  private _info: StackInfo | null = null;
  private _error: string | null = null;
  private readonly _references = new ReferencesInUse();
  private _params: PipelineParams;
  private _result: PhaseMapResult | null = null;
  private readonly _rois = new RoiList();
  private _stateOfCharge: number | null = null;
  private readonly _runs = new RunTask(
    state => this.runStateChanged.emit(state),
    event => this.progressChanged.emit(event)
  );
  private readonly _prepares = new PrepareTask(
    state => this.prepareStateChanged.emit(state),
    prepared => this.preparedChanged.emit(prepared)
  );
  private readonly _tau = new ThresholdMove();
}
