// Extra build rules for the labextension (merged after @jupyter/builder's own).
module.exports = {
  module: {
    rules: [
      {
        // The analysis worker is a self-contained script (bundled by esbuild):
        // emit it as a file instead of bundling it into the federated chunks.
        test: /stxm-worker\.js$/,
        type: 'asset/resource',
        generator: { filename: 'stxm-worker.[contenthash].js' }
      }
    ]
  }
};
