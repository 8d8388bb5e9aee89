/** `stxm-phasemap info FILE [--json]` */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { StackReadError, describeStack, formatStackInfo, readStack } from '../core/index.js';
import { nodeH5Runtime } from './runtime.js';
import { UsageError, type CommandIO } from './io.js';

export async function infoCommand(args: string[], io: CommandIO): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter(a => a !== '--json');
  const unknown = files.filter(a => a.startsWith('-'));
  if (unknown.length > 0) {
    throw new UsageError(`info: unknown option ${unknown[0]}`);
  }
  if (files.length !== 1) {
    throw new UsageError('info: expected exactly one FILE');
  }
  const file = files[0];
  if (!existsSync(file)) {
    throw new StackReadError(file, 'no such file');
  }
  const stack = readStack(await nodeH5Runtime(), resolve(file), file);
  const info = describeStack(stack);
  io.out(json ? JSON.stringify(info, null, 2) : formatStackInfo(info));
  return 0;
}
