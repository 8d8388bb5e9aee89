/**
 * `stxm-phasemap info FILE [--json] [--frames] [--entry NAME] [--channel NAME] [--energies FILE]`:
 * an HDF5 file's metadata only (the cube is read with `--frames`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { StackReadError, describeFile, formatFileInfo } from '../core/index.js';
import { nodeH5Runtime } from './runtime.js';
import { UsageError, type CommandIO } from './io.js';

export async function infoCommand(args: string[], io: CommandIO): Promise<number> {
  let values: {
    json?: boolean;
    frames?: boolean;
    entry?: string;
    channel?: string;
    energies?: string;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        frames: { type: 'boolean' },
        entry: { type: 'string' },
        channel: { type: 'string' },
        energies: { type: 'string' }
      },
      allowPositionals: true
    }));
  } catch (err) {
    throw new UsageError(`info: ${(err as Error).message}`);
  }
  if (positionals.length !== 1) {
    throw new UsageError('info: expected exactly one FILE');
  }
  const file = positionals[0];
  if (!existsSync(file)) {
    throw new StackReadError(file, 'no such file');
  }
  let energies: number[] | undefined;
  if (values.energies !== undefined) {
    if (!existsSync(values.energies)) {
      throw new StackReadError(values.energies, 'no such file');
    }
    energies = readFileSync(values.energies, 'utf8')
      .split(/\r\n|\n|\r/)
      .map(l => l.trim())
      .filter(l => l !== '' && !/^[#*!%;]/.test(l) && /^[-+.\d]/.test(l))
      .map(l => Number(l.split(/[\s,;]+/)[0]));
    if (energies.some(e => !Number.isFinite(e))) {
      throw new StackReadError(values.energies, 'not a list of energies (one number per line)');
    }
  }
  const info = describeFile(await nodeH5Runtime(), resolve(file), file, {
    entry: values.entry,
    channel: values.channel,
    energies,
    frames: values.frames
  });
  io.out(values.json ? JSON.stringify(info, null, 2) : formatFileInfo(info));
  return 0;
}
