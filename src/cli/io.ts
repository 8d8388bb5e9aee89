/** What a command writes to, so tests can run commands in-process too. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

/** Wrong arguments: exit 2 with the usage line. */
export class UsageError extends Error {}

export const nodeIO: CommandIO = {
  out: text => process.stdout.write(text + '\n'),
  err: text => process.stderr.write(text + '\n')
};
