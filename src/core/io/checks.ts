/** Checks shared by the readers. */

/** Largest cube a reader accepts (values: 4 GiB of float32; a browser worker holds ~4.8 GB in one array). */
export const MAX_VALUES = 2 ** 30;

/** Finite and strictly increasing or strictly decreasing; calls `fail` with the first problem. */
export function checkMonotonic(
  values: ArrayLike<number>,
  what: string,
  unit: string,
  fail: (reason: string) => never
): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      fail(`${what} holds a non-finite value at index ${i}`);
    }
  }
  if (values.length < 2) {
    return;
  }
  const up = values[1] > values[0];
  for (let i = 1; i < values.length; i++) {
    const ok = up ? values[i] > values[i - 1] : values[i] < values[i - 1];
    if (!ok) {
      fail(
        `${what} is not monotonic: ${values[i]} ${unit} follows ${values[i - 1]} ${unit} at index ${i}`
      );
    }
  }
}

/** Too many values to hold? */
export function checkSize(dims: number[], what: string, fail: (reason: string) => never): void {
  const total = dims.reduce((a, b) => a * b, 1);
  if (dims.some(d => !Number.isInteger(d) || d < 0)) {
    fail(`${what} has an impossible shape ${JSON.stringify(dims)}`);
  }
  if (total === 0) {
    fail(`${what} is empty (shape ${JSON.stringify(dims)})`);
  }
  if (total > MAX_VALUES) {
    fail(
      `${what} is too large to load (shape ${JSON.stringify(dims)}, ${total} values; at most ${MAX_VALUES})`
    );
  }
}
