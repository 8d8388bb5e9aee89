#!/usr/bin/env node
/**
 * Writes the parameter model's defaults (src/core/model/params.ts, compiled
 * in lib/) where other files repeat them:
 *
 *   schema/plugin.json                   the settings' defaults (and choices)
 *   python/stxm_phasemap/_defaults.json  Python's defaults when the extension's
 *                                        hello carries none
 *
 *   npm run build:defaults                    compile, then write both files
 *   node scripts/write-defaults.mjs --check   exit 1 naming the files that are not current
 *
 * src/lab/settings.spec.ts checks both files against the model too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as prettier from 'prettier';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { DEFAULT_PARAMS } = await import(join(ROOT, 'lib/core/model/params.js'));
const { parameterSpec } = await import(join(ROOT, 'lib/core/model/param-specs.js'));
const { SETTING_PARAMETERS } = await import(join(ROOT, 'lib/lab/settings.js'));

const SCHEMA = 'schema/plugin.json';
const PYTHON = 'python/stxm_phasemap/_defaults.json';

/**
 * The schema with each parameter setting's `default` (and `enum`) set from
 * the model: only those lines change, the file keeps its layout.
 */
async function schemaText() {
  let text = readFileSync(join(ROOT, SCHEMA), 'utf8');
  const schema = JSON.parse(text);
  for (const [setting, path] of Object.entries(SETTING_PARAMETERS)) {
    const spec = parameterSpec(path);
    if (!schema.properties[setting] || !spec) {
      throw new Error(`${SCHEMA}: no property "${setting}" or no parameter ${path}`);
    }
    const start = text.indexOf(`\n    ${JSON.stringify(setting)}: {`, text.indexOf('"properties": {'));
    const end = text.indexOf('\n    }', start);
    if (start < 0 || end < 0) {
      throw new Error(`${SCHEMA}: cannot find the block of property "${setting}"`);
    }
    let block = text.slice(start, end);
    const set = (key, value) => {
      const line = new RegExp(`("${key}": )[^\\n]*?(,?)$`, 'm');
      if (!line.test(block)) {
        throw new Error(`${SCHEMA}: property "${setting}" has no "${key}" line`);
      }
      block = block.replace(line, (_, head, comma) => `${head}${value}${comma}`);
    };
    set('default', JSON.stringify(spec.default));
    if (spec.schema.enum) {
      set('enum', `[${spec.schema.enum.map(v => JSON.stringify(v)).join(', ')}]`);
    }
    text = text.slice(0, start) + block + text.slice(end);
  }
  const options = (await prettier.resolveConfig(join(ROOT, SCHEMA))) ?? {};
  return prettier.format(text, { ...options, parser: 'json' });
}

function pythonText() {
  const out = {
    generated:
      'by scripts/write-defaults.mjs (npm run build:defaults) from src/core/model/params.ts: do not edit',
    defaults: DEFAULT_PARAMS
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

const files = [
  [SCHEMA, await schemaText()],
  [PYTHON, pythonText()]
];
if (process.argv.includes('--check')) {
  const stale = files.filter(([path, text]) => {
    try {
      return readFileSync(join(ROOT, path), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  for (const [path] of stale) {
    console.error(`${path} is not current: run npm run build:defaults`);
  }
  process.exit(stale.length ? 1 : 0);
}
for (const [path, text] of files) {
  writeFileSync(join(ROOT, path), text);
  console.log(`wrote ${path}`);
}
