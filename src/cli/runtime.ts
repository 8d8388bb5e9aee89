/** h5wasm for Node: reads real paths directly (NODERAWFS). */
import type { H5Runtime } from '../core/index.js';

let runtime: Promise<H5Runtime> | undefined;

export function nodeH5Runtime(): Promise<H5Runtime> {
  runtime ??= (async () => {
    const h5wasm = (await import('h5wasm/node')).default;
    const module = await h5wasm.ready;
    return { File: h5wasm.File, FS: module.FS as unknown as H5Runtime['FS'] };
  })();
  return runtime;
}
