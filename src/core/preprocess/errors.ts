/** Pre-processing problems that make a stack unusable: one line naming the file and the problem. */
export class PreprocessError extends Error {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'PreprocessError';
    this.file = file;
    this.reason = reason;
  }
}
