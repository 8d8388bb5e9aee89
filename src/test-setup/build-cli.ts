/**
 * vitest global setup: the CLI tests run the real `bin/stxm-phasemap`, which
 * runs the compiled lib/. Compile once if lib/ is missing or older than src/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const cli = join(ROOT, 'lib/cli/main.js');
  if (
    !existsSync(cli) ||
    statSync(cli).mtimeMs < newest(join(ROOT, 'src/core')) ||
    statSync(cli).mtimeMs < newest(join(ROOT, 'src/cli'))
  ) {
    execFileSync('npx', ['tsc', '-p', ROOT], { cwd: ROOT, stdio: 'inherit' });
  }
}
