#!/usr/bin/env node
/**
 * Compiles the AssemblyScript kernels (SIMD) and writes each, base64-encoded,
 * into a TypeScript module of src/core — so Node, the Web Worker and the page
 * load them synchronously, with no asset to serve:
 *
 *   pearson  wasm/pearson.ts        → src/core/analysis/pearson-kernel.ts
 *   gmvae    wasm/gmvae/index.ts    → src/core/analysis/gmvae/gmvae-kernel.ts
 *
 *   node scripts/build-wasm.mjs                 write every module
 *   node scripts/build-wasm.mjs --print NAME    print one kernel's base64 only (the
 *                                               tests that the checked-in modules are current)
 *   node scripts/build-wasm.mjs --wat NAME      print one kernel's text format (to read
 *                                               what the compiler made of it)
 */
import asc from 'assemblyscript/asc';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASC_VERSION = JSON.parse(
  readFileSync(join(ROOT, 'node_modules/assemblyscript/package.json'), 'utf8')
).version;

const KERNELS = {
  pearson: {
    source: 'wasm/pearson.ts',
    target: 'src/core/analysis/pearson-kernel.ts',
    constant: 'PEARSON_KERNEL_WASM_BASE64',
    title: 'The Pearson kernel'
  },
  gmvae: {
    source: 'wasm/gmvae/index.ts',
    target: 'src/core/analysis/gmvae/gmvae-kernel.ts',
    constant: 'GMVAE_KERNEL_WASM_BASE64',
    title: 'The GMVAE training kernel'
  }
};

/** The kernel's module (and text format) as compiled by asc: plain SIMD128, no other feature. */
export async function compileKernel(name) {
  const { source } = KERNELS[name];
  let binary = null;
  let text = null;
  const { error, stderr } = await asc.main(
    [
      source,
      '-O3',
      '--runtime',
      'stub',
      '--noAssert',
      '--enable',
      'simd',
      '--outFile',
      'kernel.wasm',
      '--textFile',
      'kernel.wat'
    ],
    {
      readFile: (file, base) => {
        try {
          return readFileSync(join(ROOT, base ?? '', file), 'utf8');
        } catch {
          return null;
        }
      },
      writeFile: (file, contents) => {
        if (file.endsWith('kernel.wasm')) {
          binary = contents;
        } else if (file.endsWith('kernel.wat')) {
          text = contents;
        }
      },
      listFiles: () => []
    }
  );
  if (error || !binary) {
    throw new Error(`asc failed on ${source}: ${error?.message ?? 'no output'}\n${stderr}`);
  }
  return { b64: Buffer.from(binary).toString('base64'), text };
}

function argumentOf(flag) {
  const i = process.argv.indexOf(flag);
  if (i < 0) {
    return null;
  }
  const name = process.argv[i + 1];
  if (!Object.hasOwn(KERNELS, name)) {
    console.error(`build-wasm: ${flag} needs a kernel name (${Object.keys(KERNELS).join(', ')})`);
    process.exit(2);
  }
  return name;
}

const printName = argumentOf('--print');
const watName = argumentOf('--wat');
if (printName) {
  process.stdout.write((await compileKernel(printName)).b64);
} else if (watName) {
  process.stdout.write((await compileKernel(watName)).text);
} else {
  for (const [name, { source, target, constant, title }] of Object.entries(KERNELS)) {
    const { b64 } = await compileKernel(name);
    const lines = b64.match(/.{1,96}/g).map(l => `  '${l}'`);
    writeFileSync(
      join(ROOT, target),
      `/**
 * ${title} as WebAssembly (SIMD), built from ${source} by
 * \`npm run build:wasm\` (AssemblyScript ${ASC_VERSION}). Generated: do not edit; a
 * unit test rebuilds it and checks that this copy is current.
 */
export const ${constant} =
${lines.join(' +\n')};
`
    );
    console.log(`wrote ${target} (${Buffer.from(b64, 'base64').length} bytes of wasm)`);
  }
}
