/**
 * Messages between the page and the analysis Web Worker. Buffers travel as
 * transferables (moved, not copied); no SharedArrayBuffer, which a default
 * JupyterLab server cannot offer (no COOP/COEP headers).
 */
import type {
  DeepPartial,
  PhaseMapResult,
  PipelineParams,
  PreparedStack,
  PreprocessParams,
  ProgressEvent,
  ReferenceSet,
  Stack
} from '../core/index.js';
import { StackTooLargeError } from '../core/io/errors.js';
import type { CubeKind, HeldStack, PixelBox, PreparedMeta } from '../core/model/cube.js';
import { oneLine } from '../core/model/text.js';
import type { DemoOptions, DemoTruth } from '../core/simulate/demo.js';
import type { SampleConfig } from '../core/simulate/sample.js';

export type WorkerRequest =
  | {
      id: number;
      kind: 'read';
      /** File name, for messages and format detection. */
      name: string;
      /** The file's bytes; transferred to the worker. */
      bytes: ArrayBuffer;
      /**
       * Files the reader needs beside it (aXis2000 .xim data files, a TIFF's
       * energy list), by base name; transferred too.
       */
      companions?: { name: string; bytes: ArrayBuffer }[];
    }
  | {
      id: number;
      /**
       * Read a stack file where it is, on the server: the worker reads it with
       * HTTP range requests (a slab of the cube at a time), never the whole file
       * at once, and says how far it has got ('read-progress').
       */
      kind: 'read-url';
      /** File name, for messages and format detection. */
      name: string;
      /** Absolute URL of the file (the Jupyter server's /files/…). */
      url: string;
      /** Headers every request carries (the server's token). */
      headers?: Record<string, string>;
      /**
       * The most values (E × ny × nx) this read may hand to the page
       * (default TRANSFER_LIMIT_VALUES, read-url.ts); a larger stack is
       * refused before its cube is read, with `tooLarge` in the answer.
       */
      transferLimit?: number;
      /**
       * Apply the file's ring current as the cube is read (counts × mean /
       * current, `ReadOptions.applyRingCurrent`): the current is then never
       * a cube in memory.
       */
      applyRingCurrent?: boolean;
    }
  | {
      id: number;
      kind: 'simulate-demo';
      seed: number;
      /** Size and state of charge of the demo particle (defaults: the built-in demo). */
      options?: Pick<DemoOptions, 'ny' | 'nx' | 'front'>;
    }
  | {
      id: number;
      /** The demo particle as arrays (what `simulate` from Python returns). */
      kind: 'simulate-arrays';
      options: DemoOptions;
    }
  | {
      id: number;
      kind: 'simulate-sample';
      /** The engine's simulator configuration (validated there). */
      config: Partial<SampleConfig>;
    }
  | {
      id: number;
      kind: 'write-result';
      result: PhaseMapResult;
      /** The stack file the result was computed from (recorded in the file). */
      sourceFile?: string;
    }
  | {
      id: number;
      kind: 'prepare';
      /** A copy of the page's stack (structured clone). */
      stack: Stack;
      params: PreprocessParams;
      /** The references, for the automatic energy calibration (`autoEnergyShift`). */
      references?: ReferenceSet;
    }
  | {
      id: number;
      /** Write a stack as NXstxm file bytes (arrays pushed from Python). */
      kind: 'write-stack';
      stack: Stack;
    }
  | {
      id: number;
      kind: 'run';
      /** The page's stack: a structured clone, or its buffers transferred (`run(…, { transfer })`). */
      stack: Stack;
      references: ReferenceSet;
      params: DeepPartial<PipelineParams>;
      /** The pre-processing already made with these parameters (then `stack` is its OD stack). */
      prepared?: PreparedStack;
    };

/**
 * Requests to a stack worker (one per open workbench: src/worker/store.ts),
 * which owns the workbench's cube and its optical density.
 */
export type StoreRequest =
  | { id: number; kind: 'store-put'; stack: Stack }
  | {
      id: number;
      kind: 'store-prepare';
      params: PreprocessParams;
      references?: ReferenceSet;
    }
  | { id: number; kind: 'store-frame'; cube: CubeKind; index: number }
  | { id: number; kind: 'store-spectrum'; cube: CubeKind; ix: number; iy: number }
  | { id: number; kind: 'store-mean'; cube: CubeKind; region: PixelBox | 'mask' }
  | { id: number; kind: 'store-copy' }
  | {
      id: number;
      /**
       * Read a stack file from the server into this worker (a stack worker of
       * the full bundle, with h5wasm), as 'read-url' does in the read worker;
       * the cube stays here. Answered with 'read-progress' messages, then
       * 'held' (the stack's description and its first frame).
       */
      kind: 'store-read-url';
      name: string;
      url: string;
      headers?: Record<string, string>;
      /** As 'read-url' does it. */
      applyRingCurrent?: boolean;
    }
  | {
      id: number;
      /**
       * Run the pipeline here, on the cube held (a stack too large to move):
       * on its prepared OD when it was made with these parameters and
       * references, else after pre-processing it again. 'progress' messages,
       * then 'result'. One run at a time: a later one waits for the earlier.
       */
      kind: 'store-run';
      references: ReferenceSet;
      params: DeepPartial<PipelineParams>;
    }
  /** Abort the 'store-run' of id `run` (at its next yield); not answered. */
  | { id: number; kind: 'store-cancel'; run: number };

export type StoreResponse =
  | { id: number; ok: true; kind: 'stored' }
  | { id: number; ok: true; kind: 'prepared-meta'; prepared: PreparedMeta }
  | { id: number; ok: true; kind: 'values'; values: Float32Array | Float64Array }
  | { id: number; ok: true; kind: 'stack'; stack: Stack }
  | { id: number; ok: true; kind: 'read-progress'; done: number; total: number }
  | { id: number; ok: true; kind: 'held'; held: HeldStack; read: ServerRead }
  | { id: number; ok: true; kind: 'progress'; progress: ProgressEvent }
  | { id: number; ok: true; kind: 'result'; result: PhaseMapResult }
  | Failure;

/**
 * A request that failed. `tooLarge`: the stack was refused for its size
 * before its cube was read (a StackTooLargeError: its values and the limit).
 */
export interface Failure {
  id: number;
  ok: false;
  message: string;
  tooLarge?: { values: number; limit: number };
}

/** A failure's answer for `err` (its one-line message; `tooLarge` from a StackTooLargeError). */
export function failure(id: number, err: unknown): Failure {
  const message = oneLine(err);
  return err instanceof StackTooLargeError
    ? { id, ok: false, message, tooLarge: { values: err.values, limit: err.limit } }
    : { id, ok: false, message };
}

/**
 * The page's side of a `tooLarge` failure: the stack is too large to move
 * between workers (it can still be held in one, `WorkerCubeStore.readFromServer`).
 */
export class TooLargeToMoveError extends Error {
  constructor(
    message: string,
    readonly values: number,
    readonly limit: number
  ) {
    super(message);
    this.name = 'TooLargeToMoveError';
  }
}

/** How a stack file was read from the server (`read-url`). */
export interface ServerRead {
  /** The file's size in bytes. */
  bytes: number;
  /** Read with range requests (false: the server sent the whole file, which was then read). */
  lazy: boolean;
  /** Requests made, bytes they delivered, most bytes the block cache held at once. */
  requests: number;
  bytesFetched: number;
  cachePeakBytes: number;
  /** Time from the first request to the stack, in ms. */
  ms: number;
}

export type WorkerResponse =
  | { id: number; ok: true; kind: 'stack'; stack: Stack; read?: ServerRead }
  | { id: number; ok: true; kind: 'read-progress'; done: number; total: number }
  | { id: number; ok: true; kind: 'file'; bytes: ArrayBuffer }
  | { id: number; ok: true; kind: 'result'; result: PhaseMapResult }
  | { id: number; ok: true; kind: 'progress'; progress: ProgressEvent }
  | { id: number; ok: true; kind: 'prepared'; prepared: PreparedStack }
  | { id: number; ok: true; kind: 'sample'; bytes: ArrayBuffer; referencesCsv: string }
  | { id: number; ok: true; kind: 'simulation'; stack: Stack; truth: DemoTruth }
  | Failure;

/** The part of the DOM `Worker` the client uses. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent<WorkerResponse>) => void): void;
  addEventListener(type: 'error', listener: (ev: ErrorEvent) => void): void;
  terminate(): void;
}

/** The buffers of a stack, for `postMessage(..., transfer)`. */
export function stackTransferables(stack: Stack): ArrayBuffer[] {
  const buffers = [stack.data, stack.energies, stack.x, stack.y, stack.control]
    .filter((a): a is Float32Array | Float64Array => a !== undefined)
    .map(a => a.buffer as ArrayBuffer);
  return [...new Set(buffers)];
}
