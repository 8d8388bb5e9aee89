#!/usr/bin/env node
/**
 * Compiles the AssemblyScript kernel wasm/pearson.ts (SIMD) and writes it,
 * base64-encoded, into src/core/analysis/pearson-kernel.ts — so Node, the
 * Web Worker and the page load it synchronously, with no asset to serve.
 *
 *   node scripts/build-wasm.mjs           write the module
 *   node scripts/build-wasm.mjs --print   print the base64 only (the test
 *                                         that the checked-in module is current)
 */
import asc from 'assemblyscript/asc';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = 'wasm/pearson.ts';
const TARGET = join(ROOT, 'src/core/analysis/pearson-kernel.ts');
const ASC_VERSION = JSON.parse(
  readFileSync(join(ROOT, 'node_modules/assemblyscript/package.json'), 'utf8')
).version;

export async function compileKernel() {
  let binary = null;
  const { error, stderr } = await asc.main(
    [SOURCE, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--outFile', 'kernel.wasm'],
    {
      readFile: (name, base) => {
        try {
          return readFileSync(join(ROOT, base ?? '', name), 'utf8');
        } catch {
          return null;
        }
      },
      writeFile: (name, contents) => {
        if (name.endsWith('kernel.wasm')) {
          binary = contents;
        }
      },
      listFiles: () => []
    }
  );
  if (error || !binary) {
    throw new Error(`asc failed on ${SOURCE}: ${error?.message ?? 'no output'}\n${stderr}`);
  }
  return Buffer.from(binary).toString('base64');
}

const b64 = await compileKernel();
if (process.argv.includes('--print')) {
  process.stdout.write(b64);
} else {
  const lines = b64.match(/.{1,96}/g).map(l => `  '${l}'`);
  writeFileSync(
    TARGET,
    `/**
 * The Pearson kernel as WebAssembly (SIMD), built from ${SOURCE} by
 * \`npm run build:wasm\` (AssemblyScript ${ASC_VERSION}). Generated: do not edit; a
 * unit test rebuilds it and checks that this copy is current.
 */
export const PEARSON_KERNEL_WASM_BASE64 =
${lines.join(' +\n')};
`
  );
  console.log(`wrote ${TARGET} (${Buffer.from(b64, 'base64').length} bytes of wasm)`);
}
