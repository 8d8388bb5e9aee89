// Extra build rules for the labextension (merged after @jupyter/builder's own).
const fs = require('fs');
const path = require('path');

// tfjs-backend-wasm fetches its binaries by name from the folder the analysis
// worker was loaded from (the worker calls setWasmPaths with its own URL's
// folder): emit them, unhashed, beside the worker asset.
const TFJS_WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm'
];

class EmitTfjsWasm {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    compiler.hooks.thisCompilation.tap('EmitTfjsWasm', compilation => {
      compilation.hooks.processAssets.tap(
        { name: 'EmitTfjsWasm', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const name of TFJS_WASM_FILES) {
            const file = path.join(dist, name);
            compilation.emitAsset(name, new sources.RawSource(fs.readFileSync(file)));
          }
        }
      );
    });
  }
}

module.exports = {
  module: {
    rules: [
      {
        // The analysis worker is a self-contained script (bundled by esbuild):
        // emit it as a file instead of bundling it into the federated chunks.
        test: /stxm-worker\.js$/,
        type: 'asset/resource',
        generator: { filename: 'stxm-worker.[contenthash].js' }
      },
      {
        // the compute worker (runs, the workbenches' stack workers): the same, without h5wasm
        test: /stxm-compute-worker\.js$/,
        type: 'asset/resource',
        generator: { filename: 'stxm-compute-worker.[contenthash].js' }
      }
    ]
  },
  plugins: [new EmitTfjsWasm()]
};
