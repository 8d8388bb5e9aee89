/** h5wasm for Node: reads real paths directly (NODERAWFS); a garbage collection on demand. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { createH5Runtime, type H5Runtime } from '../core/index.js';

let runtime: Promise<H5Runtime> | undefined;

export function nodeH5Runtime(): Promise<H5Runtime> {
  runtime ??= (async () => {
    const h5wasm = (await import('h5wasm/node')).default;
    return createH5Runtime(h5wasm.File, await h5wasm.ready);
  })();
  return runtime;
}

let gc: (() => void) | undefined;

/**
 * A full garbage collection, now: what a run calls once it let its consumed
 * cube go (`PipelineHooks.released`). V8 collects large array buffers only
 * when its own heap asks for it, so a released cube would otherwise stay
 * beside the result's maps until the process ends (at 1024² × 20, 80 MiB of
 * `map`'s peak). The function is V8's own (`--expose-gc`), enabled for this
 * process and taken from a fresh context (the flag applies to contexts made
 * after it is set); its cost is one pass over a JS heap of a few tens of MiB.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
