/**
 * Order statistics without sorting: Hoare's quickselect (median-of-three
 * pivot), O(n) on average. The array is reordered in place.
 */

/** The k-th smallest value of a (0-based); reorders a. */
export function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) {
        i++;
      }
      while (a[j] > pivot) {
        j--;
      }
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) {
      hi = j;
    } else if (k >= i) {
      lo = i;
    } else {
      return a[k];
    }
  }
  return a[k];
}

/** Median of the values (NaN when empty); reorders a. */
export function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) {
    return Number.NaN;
  }
  const upper = selectInPlace(a, n >> 1);
  if (n % 2) {
    return upper;
  }
  // the lower middle is the largest value left of n/2
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >> 1; i++) {
    if (a[i] > lower) {
      lower = a[i];
    }
  }
  return 0.5 * (lower + upper);
}
