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
    };

export type WorkerResponse =
  | { id: number; ok: true; kind: 'stack'; stack: Stack }
  | { id: number; ok: true; kind: 'file'; bytes: ArrayBuffer }
  | { id: number; ok: true; kind: 'result'; result: PhaseMapResult }
  | { id: number; ok: true; kind: 'progress'; progress: ProgressEvent }
  | { id: number; ok: true; kind: 'prepared'; prepared: PreparedStack }
  | { id: number; ok: true; kind: 'sample'; bytes: ArrayBuffer; referencesCsv: string }
  | { id: number; ok: true; kind: 'simulation'; stack: Stack; truth: DemoTruth }
  | { id: number; ok: false; message: string };

/** The buffers of a stack, for `postMessage(..., transfer)`. */
export function stackTransferables(stack: Stack): ArrayBuffer[] {
  const buffers = [stack.data, stack.energies, stack.x, stack.y, stack.control]
    .filter((a): a is Float32Array | Float64Array => a !== undefined)
    .map(a => a.buffer as ArrayBuffer);
  return [...new Set(buffers)];
}
