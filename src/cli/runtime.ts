/** h5wasm for Node: reads real paths directly (NODERAWFS). */
import { createH5Runtime, type H5Runtime } from '../core/index.js';

let runtime: Promise<H5Runtime> | undefined;

export function nodeH5Runtime(): Promise<H5Runtime> {
  runtime ??= (async () => {
    const h5wasm = (await import('h5wasm/node')).default;
    return createH5Runtime(h5wasm.File, await h5wasm.ready);
  })();
  return runtime;
}
