/**
 * The project's venv Python (numpy, h5py) for tests that check the engine
 * against an independent computation. Tests skip with a clear message when
 * `.venv/bin/python` is absent (`make venv` creates it; CI has it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const VENV_PYTHON = new URL('../../.venv/bin/python', import.meta.url).pathname;
export const HAVE_VENV = existsSync(VENV_PYTHON);
if (!HAVE_VENV) {
  console.warn(
    `${VENV_PYTHON} not found (run \`make venv\`): tests against numpy/h5py are skipped`
  );
}

/** Run a Python script with the venv's interpreter; returns its stdout. */
export function runPython(script: string, args: string[] = []): string {
  return execFileSync(VENV_PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
}
