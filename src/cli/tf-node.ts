/**
 * tfjs in Node: where the wasm backend's binaries are. In the engine bundle the
 * Python wheel carries (scripts/build-engine.mjs) they sit beside the bundle;
 * from a checkout they are in the installed @tensorflow/tfjs-backend-wasm.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { WASM_FILES, configureWasm } from '../core/analysis/gmvae/backend.js';

let configured = false;

/** The folder (ending in `/`) that holds every tfjs wasm binary, beside `moduleUrl` or in node_modules. */
export function nodeWasmFolder(moduleUrl: string = import.meta.url): string {
  const here = dirname(fileURLToPath(moduleUrl));
  if (WASM_FILES.every(f => existsSync(join(here, f)))) {
    return join(here, '/');
  }
  const main = createRequire(moduleUrl).resolve('@tensorflow/tfjs-backend-wasm');
  return join(dirname(main), '/');
}

/** Point tfjs's wasm backend at its binaries (once). */
export function configureNodeWasm(): void {
  if (configured) {
    return;
  }
  configureWasm(nodeWasmFolder());
  configured = true;
}
