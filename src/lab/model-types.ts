/**
 * The workbench model's interface and vocabulary (model.ts implements it):
 * what the views draw and which intents they may express. One signal per
 * concern, so that each view listens only to what it draws. Views import
 * these types (and only types) from the lab; they never import JupyterLab.
 */
import type { ISignal } from '@lumino/signaling';

import type { CubeReader, HeldStack, PreparedMeta, StackMeta } from '../core/model/cube.js';
import type { StackInfo } from '../core/model/info.js';
import type { PreparedStack } from '../core/model/prepared.js';
import type { ReferenceSet } from '../core/model/references.js';
import type {
  DeepPartial,
  PhaseMapResult,
  PipelineParams,
  PreprocessParams,
  ProgressEvent
} from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';

export type LoadStatus = 'loading' | 'ready' | 'error';
/** How far a file being loaded has been read: values of its cube. */
export interface LoadProgress {
  done: number;
  total: number;
}
export type RunState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
export type PrepareState = 'idle' | 'running' | 'done' | 'failed';

/** A rectangle on the sample in µm (inclusive of the pixel centres inside it). */
export interface SampleRect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** A region of interest drawn on the image, in µm (so it survives crops and binning). */
export interface Roi {
  id: number;
  name: string;
  color: string;
  rect: SampleRect;
}

/** One point of the training loss curve. */
export interface LossPoint {
  epoch: number;
  loss: number;
  valLoss?: number;
}

/** What pre-processes a stack for the OD view (the worker client in the browser). */
export type PrepareRunner = (
  stack: Stack,
  params: PreprocessParams,
  references?: ReferenceSet
) => Promise<PreparedStack>;

/**
 * What runs the pipeline (the worker client in the browser). `stack` is the
 * run's own (made for it by the cube store: it may be consumed); with
 * `prepared`, the pre-processing already made with these parameters and
 * references, `stack` is its optical density.
 */
/**
 * How a workbench reads its stack (`WorkbenchModel.load`): `onProgress` as
 * the cube is read; `applyRingCurrent`, whether to apply the file's ring
 * current as it is read (a reader that cannot ignores it).
 */
export type StackSource = (
  onProgress: (done: number, total: number) => void,
  options: { applyRingCurrent: boolean }
) => Promise<Stack | HeldStack>;

export type PipelineRunner = (
  stack: Stack,
  references: ReferenceSet,
  params: PipelineParams,
  options: {
    onProgress: (p: ProgressEvent) => void;
    signal: AbortSignal;
    prepared?: PreparedStack;
  }
) => Promise<PhaseMapResult>;

/**
 * One open stack: what the user made of it and what was computed. A failed
 * (re)load keeps the stack already loaded; a failed or cancelled run keeps
 * the previous result.
 */
export interface IWorkbenchModel {
  /** The file's path, shown until the stack's own description is known. */
  readonly path: string;

  // the stack: `stackChanged`
  readonly status: LoadStatus;
  /**
   * The stack's description (axes, source, metadata, shape), never its cube:
   * frames and spectra are asked of `cube`.
   */
  readonly stack: StackMeta | null;
  readonly info: StackInfo | null;
  /**
   * Frames and spectra of the stack and of its optical density, from whoever
   * owns the cube (the workbench's stack worker in the browser). An answer
   * belongs to the stack (and OD) current when it was asked for.
   */
  readonly cube: CubeReader;
  readonly error: string | null;
  readonly stackChanged: ISignal<IWorkbenchModel, void>;
  /** While the file loads: how far it has been read (`loadProgressChanged`). */
  readonly loadProgress: LoadProgress | null;
  readonly loadProgressChanged: ISignal<IWorkbenchModel, LoadProgress>;

  // the references: `referencesChanged`
  readonly references: ReferenceSet | null;
  /** Why the last attempt to load references failed (one line naming the file), or null. */
  readonly referencesError: string | null;
  readonly referencesChanged: ISignal<IWorkbenchModel, void>;

  // the parameters: `paramsChanged` (τ moves: `thresholdChanged`)
  readonly params: PipelineParams;
  /**
   * The energy shift of the references in effect: the one the automatic
   * calibration found (on the prepared stack) when it is on, else the user's.
   * Follows `paramsChanged` and `preparedChanged`.
   */
  readonly effectiveShiftEv: number;
  readonly paramsChanged: ISignal<IWorkbenchModel, void>;
  /** τ moved (the slider, a command): the result follows on `resultChanged`. */
  readonly thresholdChanged: ISignal<IWorkbenchModel, number>;

  // the pre-processed stack for display: `preparedChanged`, `prepareStateChanged`
  /**
   * The pre-processed stack for the current parameters: mask, I0, shifts,
   * provenance and the OD's description (its cube: `cube`, kind 'od').
   */
  readonly prepared: PreparedMeta | null;
  readonly prepareState: PrepareState;
  readonly prepareError: string | null;
  readonly preparedChanged: ISignal<IWorkbenchModel, PreparedMeta | null>;
  readonly prepareStateChanged: ISignal<IWorkbenchModel, PrepareState>;

  // the run: `runStateChanged`, and every progress event on `progressChanged`
  readonly runState: RunState;
  readonly runError: string | null;
  readonly progress: ProgressEvent | null;
  /** Training losses of the current (or last) run, as they arrived. */
  readonly lossHistory: readonly LossPoint[];
  readonly runStateChanged: ISignal<IWorkbenchModel, RunState>;
  readonly progressChanged: ISignal<IWorkbenchModel, ProgressEvent>;

  // the result: `resultChanged` (a run ended, τ moved, phases renamed or recoloured)
  readonly result: PhaseMapResult | null;
  /** The result as shown: during a τ move's first step, confidence and flags may lag (`result` never does). */
  readonly shownResult: PhaseMapResult | null;
  readonly resultChanged: ISignal<IWorkbenchModel, PhaseMapResult | null>;

  // the selection kept with the stack: `roisChanged` (the linked cursor and
  // the brushed pixels are the panel's: views/shared/linked.ts)
  readonly rois: readonly Roi[];
  readonly roisChanged: ISignal<IWorkbenchModel, readonly Roi[]>;

  /** A state of charge for the comparison view (user-editable): `stateOfChargeChanged`. */
  readonly stateOfCharge: number | null;
  readonly stateOfChargeChanged: ISignal<IWorkbenchModel, number | null>;

  setParams(params: DeepPartial<PipelineParams>): void;
  setThreshold(threshold: number): PhaseMapResult | null;
  /** τ in two steps: ambiguity and final maps now, `settleThreshold()` adds confidence and flags. */
  previewThreshold(threshold: number): PhaseMapResult | null;
  settleThreshold(): boolean;
  setReferences(references: ReferenceSet | null): void;
  setReferencesError(message: string | null): void;
  renameReference(index: number, name: string): void;
  setReferenceColor(index: number, color: string): void;
  removeReference(index: number): void;
  addRoi(rect: SampleRect): Roi;
  removeRoi(id: number): void;
  setStateOfCharge(value: number | null): void;
}
