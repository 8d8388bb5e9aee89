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

// where readers' errors are reported, their one-line message (text.ts)
export { oneLine } from '../model/text.js';
