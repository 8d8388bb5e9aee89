/**
 * A small seeded random number generator (mulberry32) with the draws the
 * simulator needs. Same seed → same sequence, on every platform.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // kept as an int32 (the same bits as the uint32 of mulberry32): V8 then never
    // boxes it, which makes the training loop's noise draws ~20 % faster
    this.state = seed | 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = this.uniform();
    while (u === 0) {
      u = this.uniform();
    }
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Poisson count with mean `lambda` (Knuth below 30, normal approximation above). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) {
      return 0;
    }
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.uniform();
      while (p > limit) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }
}

/** Uniform in [lo, hi). */
export function uniformIn(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.uniform();
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng.uniform() * n));
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(
  rng: Rng,
  a: T
): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
