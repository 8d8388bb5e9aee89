// Progress on stderr, stamped with the seconds since the benchmark started
// (stdout carries only the final JSON line).
const t0 = performance.now();

export const elapsedS = () => (performance.now() - t0) / 1e3;

export const log = message => process.stderr.write(`[${elapsedS().toFixed(1)} s] ${message}\n`);

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
