/** The real `bin/stxm-phasemap`, run as a user runs it (lib/ built by the vitest setup). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { expect } from 'vitest';

import type { PhaseMapResult } from '../core/model/result.js';

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

/** The maps two runs must share bit for bit to be the same run (`--params-from`, the bundle). */
export const RESULT_MAPS = [
  'phase',
  'initialPhase',
  'pcc',
  'latent',
  'confidence',
  'ambiguous'
] as const;

/** Each of RESULT_MAPS identical, byte for byte, in `a` and `b` (named when one differs). */
export function expectSameMaps(a: PhaseMapResult, b: PhaseMapResult): void {
  for (const k of RESULT_MAPS) {
    expect(Buffer.from(a[k].buffer).equals(Buffer.from(b[k].buffer)), k).toBe(true);
  }
}
