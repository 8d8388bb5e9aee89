/**
 * The tfjs backend for training: wasm (XNNPACK, SIMD) by default, the plain
 * JavaScript cpu backend as fallback. Where the `.wasm` binaries live depends
 * on the host (node_modules in Node, beside the bundle in the Web Worker), so
 * the host says it once with `configureWasm` before the first run; the core
 * never guesses a URL.
 */
import * as tf from './tf.js';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'cpu';

export const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm'
] as const;

let wasmConfigured = false;
let wasmFailure: string | null = null;

/**
 * Where the wasm binaries are: a folder URL/path ending in `/`, or one URL
 * per file name. Call before the first run.
 */
export function configureWasm(
  prefixOrFiles: string | Partial<Record<(typeof WASM_FILES)[number], string>>
): void {
  setWasmPaths(prefixOrFiles);
  wasmConfigured = true;
}

/** Whether `configureWasm` was called. */
export function isWasmConfigured(): boolean {
  return wasmConfigured;
}

/**
 * Switch tfjs to `wanted`, falling back to cpu when wasm cannot start.
 * Threads are off: on the 2-core machines this runs on they give nothing,
 * they need SharedArrayBuffer (unavailable in a default JupyterLab page) and
 * a single thread keeps results bit-identical from run to run.
 * @returns the backend in use and, on fallback, why.
 */
export async function useBackend(
  wanted: BackendName
): Promise<{ backend: BackendName; note: string | null }> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.env().set('PROD', true); // no console chatter (e.g. the cpu backend's tfjs-node advert)
  if (wanted === 'wasm' && wasmFailure === null) {
    if (tf.getBackend() === 'wasm') {
      return { backend: 'wasm', note: null };
    }
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { backend: 'wasm', note: null };
      }
      wasmFailure = 'the wasm backend did not initialise';
    } catch (err) {
      wasmFailure = err instanceof Error ? err.message : String(err);
    }
  }
  if (tf.getBackend() !== 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  return {
    backend: 'cpu',
    note:
      wanted === 'wasm' ? `wasm backend unavailable (${wasmFailure ?? 'unknown'}): used cpu` : null
  };
}
