/** The real `bin/stxm-phasemap`, run as a user runs it (lib/ built by the vitest setup). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const BIN = new URL('../../bin/stxm-phasemap', import.meta.url).pathname;
const run = promisify(execFile);

/** Run the command line; a non-zero exit is returned, not thrown. */
export async function runCli(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(BIN, args);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
