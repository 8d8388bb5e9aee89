#!/usr/bin/env node
/**
 * Writes the files generated from the contract (src/core/contract/contract.ts,
 * which takes the pipeline parameters from the parameter model):
 *
 *   src/core/contract/contract.schema.json   the contract as JSON Schema (+ tables)
 *   src/core/contract/generated.ts           TypeScript types and validators
 *   python/stxm_phasemap/_contract.py        Python constants, TypedDicts and validators
 *   schema/plugin.json                       the settings' defaults and choices
 *
 *   npm run contract          write them
 *   npm run contract:check    exit 1 naming the files that are stale (npm run lint runs it)
 *   --root DIR                read (and write) the files under DIR instead of the checkout
 *
 * The TypeScript sources are bundled in memory by esbuild (no tsc, no lib/ needed).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as esbuild from 'esbuild';
import * as prettier from 'prettier';

const CHECKOUT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const rootAt = args.indexOf('--root');
const ROOT = rootAt >= 0 ? resolve(args[rootAt + 1]) : CHECKOUT;

const bundle = await esbuild.build({
  stdin: {
    contents: [
      "export { generateFiles } from './src/core/contract/generate.ts';",
      "export { SETTING_PARAMETERS } from './src/lab/settings.ts';"
    ].join('\n'),
    resolveDir: CHECKOUT,
    loader: 'ts'
  },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning'
});
const bundled = join(mkdtempSync(join(tmpdir(), 'stxm-contract-')), 'generate.mjs');
writeFileSync(bundled, bundle.outputFiles[0].text);
const { generateFiles, SETTING_PARAMETERS } = await import(pathToFileURL(bundled).href);
rmSync(dirname(bundled), { recursive: true });

const read = path => (existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : null);
const settingsSchema = read('schema/plugin.json');
if (settingsSchema === null) {
  console.error(`${join(ROOT, 'schema/plugin.json')}: not found`);
  process.exit(2);
}
const files = generateFiles({ settingsSchema, settingParameters: SETTING_PARAMETERS });
const options = (await prettier.resolveConfig(join(CHECKOUT, 'package.json'))) ?? {};
for (const f of files) {
  if (f.parser) {
    f.text = await prettier.format(f.text, { ...options, parser: f.parser });
  }
}

if (check) {
  const stale = files.filter(f => read(f.path) !== f.text);
  for (const f of stale) {
    console.error(`${f.path} is stale: run npm run contract (it is generated from src/core/contract/contract.ts)`);
  }
  if (!stale.length) {
    console.log(`contract: ${files.length} generated files are current`);
  }
  process.exit(stale.length ? 1 : 0);
}
for (const f of files) {
  if (read(f.path) !== f.text) {
    writeFileSync(join(ROOT, f.path), f.text);
    console.log(`wrote ${f.path}`);
  }
}
