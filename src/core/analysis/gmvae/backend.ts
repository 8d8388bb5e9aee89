/**
 * What trains the GMVAE: the project's wasm SIMD training kernel ('kernel',
 * the default; gmvae-wasm.ts), or tfjs on its wasm backend (XNNPACK, SIMD)
 * or its plain JavaScript cpu backend. The kernel falls back to tfjs wasm,
 * and tfjs wasm to cpu, with a note saying why.
 *
 * tfjs is imported only when a tfjs backend is chosen: the kernel path never
 * loads it (about a second of module evaluation in Node). Where tfjs's
 * `.wasm` binaries live depends on the host (node_modules in Node, beside
 * the bundle in the Web Worker), so the host says it once with
 * `configureWasm` before the first run; the core never guesses a URL.
 */
import type { GmvaeBackend } from '../../model/result.js';
import { gmvaeKernelUnavailable } from './gmvae-wasm.js';

export type BackendName = GmvaeBackend;

export const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm'
] as const;

type WasmPaths = string | Partial<Record<(typeof WASM_FILES)[number], string>>;

let wasmPaths: WasmPaths | null = null;
let wasmPathsApplied = false;
let wasmFailure: string | null = null;

/**
 * Where the wasm binaries are: a folder URL/path ending in `/`, or one URL
 * per file name. Call before the first run.
 */
export function configureWasm(prefixOrFiles: WasmPaths): void {
  wasmPaths = prefixOrFiles;
  wasmPathsApplied = false;
}

/** Whether `configureWasm` was called. */
export function isWasmConfigured(): boolean {
  return wasmPaths !== null;
}

/**
 * Switch to `wanted`: the kernel where WebAssembly SIMD runs, else tfjs;
 * tfjs wasm, else cpu. tfjs's threads are off: on the 2-core machines this
 * runs on they give nothing, they need SharedArrayBuffer (unavailable in a
 * default JupyterLab page) and a single thread keeps results bit-identical
 * from run to run.
 * @returns the backend in use and, on fallback, why.
 */
export async function useBackend(
  wanted: BackendName
): Promise<{ backend: BackendName; note: string | null }> {
  if (wanted === 'kernel') {
    const reason = gmvaeKernelUnavailable();
    if (reason === null) {
      return { backend: 'kernel', note: null };
    }
    const fallback = await useTfjs('wasm');
    const why = `GMVAE training kernel unavailable (${reason}): used tfjs ${fallback.backend}`;
    return {
      backend: fallback.backend,
      note: fallback.note ? `${why}; ${fallback.note}` : why
    };
  }
  return useTfjs(wanted);
}

async function useTfjs(
  wanted: 'wasm' | 'cpu'
): Promise<{ backend: 'wasm' | 'cpu'; note: string | null }> {
  const tf = await import('./tf.js');
  await import('@tensorflow/tfjs-backend-cpu');
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  if (wasmPaths !== null && !wasmPathsApplied) {
    setWasmPaths(wasmPaths);
    wasmPathsApplied = true;
  }
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
