/**
 * The one error type readers throw for a file they cannot use. Its message
 * always names the file and the problem, in one line, fit for a command line
 * (exit 2) and for the panel.
 */
export class StackReadError extends Error {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'StackReadError';
    this.file = file;
    this.reason = reason;
  }
}

/**
 * A stack larger than where it is read allows (`readStack`'s `limit`): said
 * before any of its cube is read, with its size, so a caller that can hold
 * it elsewhere (the workbench's stack worker) knows it without parsing the
 * message.
 */
export class StackTooLargeError extends StackReadError {
  /** Values of the cube (E × ny × nx) and the most the reader was allowed. */
  readonly values: number;
  readonly limit: number;

  constructor(file: string, reason: string, values: number, limit: number) {
    super(file, reason);
    this.name = 'StackTooLargeError';
    this.values = values;
    this.limit = limit;
  }
}

// where readers' errors are reported, their one-line message (text.ts)
export { oneLine } from '../model/text.js';
