// The workbench's encoding of a result (src/lab/protocol-result.ts `encodeResult`, what
// `wb.run()` receives) for a result file read by the engine's own reader (result-read.ts),
// as JSON on stdout: {json, arrays: {name: {dtype, shape, base64}}}. Needs lib/ (npm run build:lib).
import h5wasm from 'h5wasm/node';

const lib = new URL('../../lib/', import.meta.url);
const { createH5Runtime } = await import(new URL('core/io/h5.js', lib).href);
const { readResult } = await import(new URL('core/io/result-read.js', lib).href);
const { encodeResult } = await import(new URL('lab/protocol-result.js', lib).href);

const [file, path] = process.argv.slice(2);
const runtime = createH5Runtime(h5wasm.File, await h5wasm.ready);
const { json, arrays } = encodeResult(readResult(runtime, file, file), path);
const out = {};
for (const [name, a] of Object.entries(arrays)) {
  const v = a.values;
  out[name] = {
    dtype: a.dtype,
    shape: a.shape,
    base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
  };
}
process.stdout.write(JSON.stringify({ json, arrays: out }));
