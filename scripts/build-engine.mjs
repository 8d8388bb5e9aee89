/**
 * The headless engine the Python wheel carries: the whole command line
 * (src/cli/entry.ts) as one ESM file for Node, h5wasm's wasm inlined, and
 * tfjs-backend-wasm's `.wasm` binaries beside it (needed only for
 * `--backend wasm`; src/cli/tf-node.ts finds them there).
 *
 *   node scripts/build-engine.mjs [--dev] [--outdir DIR]
 *
 * Output (default python/stxm_phasemap/_engine, gitignored; hatch_build.py runs
 * this and the wheel ships the folder): stxm-phasemap.mjs, the *.wasm files, VERSION.
 * The bundle resolves tfjs as the CLI in lib/ does under Node (each package's
 * CommonJS main), so it runs the same code as `bin/stxm-phasemap`.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dev = args.includes('--dev');
const at = args.indexOf('--outdir');
const outdir = resolve(ROOT, at >= 0 ? args[at + 1] : 'python/stxm_phasemap/_engine');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * `import '@tensorflow/tfjs-backend-cpu'` registers the cpu backend (the fallback). For Node
 * it resolves to tf-backend-cpu.node.js, which the package's `sideEffects` list leaves out,
 * so esbuild would drop the import: keep it.
 */
const cpuBackendHasSideEffects = {
  name: 'tfjs-backend-cpu-side-effects',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-backend-cpu$/ }, async a => {
      if (a.pluginData === 'inner') {
        return undefined;
      }
      const r = await b.resolve(a.path, {
        resolveDir: a.resolveDir,
        kind: a.kind,
        pluginData: 'inner'
      });
      return { ...r, sideEffects: true };
    });
  }
};

// CommonJS dependencies call require() and read __dirname (tfjs-backend-wasm's loader
// finds nothing without it and tfjs falls back to cpu): give the ESM bundle both.
const banner = [
  "import { createRequire as __stxmRequire } from 'node:module';",
  "import { fileURLToPath as __stxmPath } from 'node:url';",
  "import { dirname as __stxmDirname } from 'node:path';",
  'const require = __stxmRequire(import.meta.url);',
  'const __filename = __stxmPath(import.meta.url);',
  'const __dirname = __stxmDirname(__filename);'
].join(' ');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/cli/entry.ts'],
  outfile: join(outdir, 'stxm-phasemap.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: !dev,
  sourcemap: dev,
  legalComments: 'none',
  logLevel: 'warning',
  // batch-pool.ts: the bundle starts its child processes from itself
  define: { STXM_ENGINE_BUNDLE: 'true' },
  plugins: [cpuBackendHasSideEffects],
  banner: { js: banner }
});
const wasmDir = dirname(
  createRequire(join(ROOT, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm')
);
for (const f of readdirSync(wasmDir).filter(f => f.endsWith('.wasm'))) {
  copyFileSync(join(wasmDir, f), join(outdir, f));
}
writeFileSync(join(outdir, 'VERSION'), `${pkg.version}\n`);
