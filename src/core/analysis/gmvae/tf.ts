/**
 * The one place the engine gets tfjs from. tfjs-core registers kernels but
 * not gradients; `@tensorflow/tfjs` registers every gradient (and the cpu
 * backend) as a side effect. In Node that is its CommonJS bundle. The Web
 * Worker build aliases this import to tfjs-core's `register_all_gradients`
 * (package.json `build:worker`), so the worker bundle carries no layers,
 * converter or WebGL code.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
