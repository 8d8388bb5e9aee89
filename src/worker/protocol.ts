/**
 * Messages between the page and the analysis Web Worker. Buffers travel as
 * transferables (moved, not copied); no SharedArrayBuffer, which a default
 * JupyterLab server cannot offer (no COOP/COEP headers).
 */
import type {
  DeepPartial,
  PhaseMapResult,
  PipelineParams,
  ProgressEvent,
  ReferenceSet,
  Stack
} from '../core/index.js';

export type WorkerRequest =
  | {
      id: number;
      kind: 'read';
      /** File name, for messages and format detection. */
      name: string;
      /** The file's bytes; transferred to the worker. */
      bytes: ArrayBuffer;
    }
  | {
      id: number;
      kind: 'simulate-demo';
      seed: number;
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
      /** A copy of the page's stack (structured clone). */
      stack: Stack;
      references: ReferenceSet;
      params: DeepPartial<PipelineParams>;
    };

export type WorkerResponse =
  | { id: number; ok: true; kind: 'stack'; stack: Stack }
  | { id: number; ok: true; kind: 'file'; bytes: ArrayBuffer }
  | { id: number; ok: true; kind: 'result'; result: PhaseMapResult }
  | { id: number; ok: true; kind: 'progress'; progress: ProgressEvent }
  | { id: number; ok: false; message: string };

/** The buffers of a stack, for `postMessage(..., transfer)`. */
export function stackTransferables(stack: Stack): ArrayBuffer[] {
  const buffers = [stack.data, stack.energies, stack.x, stack.y, stack.control]
    .filter((a): a is Float32Array | Float64Array => a !== undefined)
    .map(a => a.buffer as ArrayBuffer);
  return [...new Set(buffers)];
}
