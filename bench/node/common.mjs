/** Shared helpers of the Node benchmarks. */

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A seeded xorshift PRNG, uniform in [0, 1). */
export function uniform(seed = 1) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** A random (E, npx) float32 cube around 1 and N × E references. */
export function randomCube(ne, npx, nRefs, seed = 7) {
  const rnd = uniform(seed);
  const cube = new Float32Array(ne * npx);
  for (let i = 0; i < cube.length; i++) {
    cube[i] = 0.5 + rnd();
  }
  const refs = new Float64Array(nRefs * ne);
  for (let i = 0; i < refs.length; i++) {
    refs[i] = rnd();
  }
  return { cube, refs };
}

export function mib(bytes) {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}
