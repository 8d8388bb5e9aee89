/**
 * The pure TypeScript core of STXM PhaseMap: no DOM, no JupyterLab, no Lumino.
 * Shared by the command line, the Web Worker and the tests.
 */
export * from './model/stack.js';
export * from './model/info.js';
export * from './io/index.js';
