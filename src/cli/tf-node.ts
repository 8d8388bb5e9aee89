/** tfjs in Node: the wasm binaries are in the installed @tensorflow/tfjs-backend-wasm. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { configureWasm } from '../core/analysis/gmvae/backend.js';

let configured = false;

/** Point tfjs's wasm backend at node_modules/@tensorflow/tfjs-backend-wasm/dist/. */
export function configureNodeWasm(): void {
  if (configured) {
    return;
  }
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  configureWasm(join(dirname(main), '/'));
  configured = true;
}
