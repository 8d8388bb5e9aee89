/**
 * What the workbench views render and which intents they may express: the
 * JupyterLab side (`src/lab/model.ts`) implements it. Views depend on this
 * interface only, never on JupyterLab.
 */
import type { ISignal } from '@lumino/signaling';

import type { StackInfo } from '../../core/model/info.js';
import type { PreparedStack } from '../../core/model/prepared.js';
import type { ReferenceSet } from '../../core/model/references.js';
import type {
  DeepPartial,
  PhaseMapResult,
  PipelineParams,
  ProgressEvent
} from '../../core/model/result.js';
import type { Stack } from '../../core/model/stack.js';
import type { SampleRect } from './grid.js';

export type LoadStatus = 'loading' | 'ready' | 'error';
export type RunState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
export type PrepareState = 'idle' | 'running' | 'done' | 'failed';

/** What the stack viewer shows. */
export interface IStackSource {
  /** The file's path, shown until the stack's own description is known. */
  readonly path: string;
  readonly status: LoadStatus;
  readonly stack: Stack | null;
  readonly info: StackInfo | null;
  readonly error: string | null;
  readonly changed: ISignal<IStackSource, void>;
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

export interface IWorkbenchSource extends IStackSource {
  readonly references: ReferenceSet | null;
  /** Why the last attempt to load references failed (one line naming the file), or null. */
  readonly referencesError: string | null;
  readonly params: PipelineParams;
  readonly result: PhaseMapResult | null;
  /** The result as shown: during a τ move's first step, confidence and flags may lag (`result` never does). */
  readonly shownResult: PhaseMapResult | null;
  readonly runState: RunState;
  readonly runError: string | null;
  readonly progress: ProgressEvent | null;
  /** Training losses of the current (or last) run, as they arrived. */
  readonly lossHistory: readonly LossPoint[];
  /** The pre-processed stack (optical density, mask, I0, shifts) for the current parameters. */
  readonly prepared: PreparedStack | null;
  readonly prepareState: PrepareState;
  readonly prepareError: string | null;
  readonly rois: readonly Roi[];
  /** A sample label and state of charge for the comparison view (user-editable). */
  readonly stateOfCharge: number | null;

  readonly progressChanged: ISignal<IWorkbenchSource, ProgressEvent>;
  readonly resultChanged: ISignal<IWorkbenchSource, PhaseMapResult | null>;
  readonly preparedChanged: ISignal<IWorkbenchSource, PreparedStack | null>;

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

/** What the views ask JupyterLab to do (commands, files, the worker). */
export interface IWorkbenchActions {
  run(): void;
  cancel(): void;
  /** Pick a references file in the Jupyter file browser (contents API). */
  loadReferencesFromServer(): void;
  /** Files chosen with the browser's file picker (upload), combined into one set. */
  loadReferencesFiles(files: File[]): void;
  /** References computed from the simulator's model spectra (demo stacks). */
  loadDemoReferences(): void;
  /** Export a view of this workbench. */
  exportView(view: ExportableViewId, format: 'png' | 'svg'): void;
  exportCsv(kind: 'fractions' | 'spectra'): void;
  exportResult(): void;
  /** Put `stxm-phasemap map …` with this workbench's stack, references and parameters on the clipboard. */
  copyCommandLine(): void;
  /** Save the complete parameters as JSON (what `--params FILE.json` reads) next to the stack. */
  saveParameters(): void;
  /** Pick a measured I0 spectrum (two-column text) for the I0 of the optical density. */
  loadI0Spectrum(): void;
}

export type ExportableViewId =
  'image' | 'spectrum' | 'preprocess' | 'maps' | 'latent' | 'training' | 'references';

/**
 * The energy shift of the references in effect: the one the automatic
 * calibration found (on the prepared stack) when it is on, else the user's.
 */
export function effectiveShiftEv(source: IWorkbenchSource): number {
  const pre = source.params.preprocess;
  if (pre.energyShift === 'auto') {
    return source.prepared ? source.prepared.energyShiftEv : 0;
  }
  return pre.energyShift;
}
