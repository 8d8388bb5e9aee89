/** `stxm-phasemap simulate --out FILE [--seed N]`: the built-in demo stack. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { describeStack, formatStackInfo } from '../core/index.js';
import { simulateDemoFile } from '../core/simulate/demo.js';
import { UsageError, type CommandIO } from './io.js';
import { nodeH5Runtime } from './runtime.js';

export async function simulateCommand(args: string[], io: CommandIO): Promise<number> {
  let values: { out?: string; seed?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { out: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: false
    }));
  } catch (err) {
    throw new UsageError(`simulate: ${(err as Error).message}`);
  }
  if (!values.out) {
    throw new UsageError('simulate: --out FILE is required');
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new UsageError(`simulate: --seed must be a non-negative integer, not "${values.seed}"`);
  }
  const stack = simulateDemoFile(await nodeH5Runtime(), resolve(values.out), { seed });
  const info = { ...describeStack(stack), file: values.out };
  io.out(values.json ? JSON.stringify(info, null, 2) : formatStackInfo(info));
  return 0;
}
