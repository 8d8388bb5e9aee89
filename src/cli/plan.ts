/**
 * `stxm-phasemap plan --refs REFS.csv -n N [--range LO:HI] [--min-spacing EV]
 * [--include E1,E2] [--json]`: the N energies that best separate the
 * reference phases (the sparse-energy planner), for the next acquisition.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { ReferenceSetError, StackReadError, parseReferenceCsv } from '../core/index.js';
import { planEnergies } from '../core/analysis/planner.js';
import { UsageError, type CommandIO } from './io.js';

export function planCommand(args: string[], io: CommandIO): Promise<number> {
  let values: {
    refs?: string;
    n?: string;
    range?: string;
    'min-spacing'?: string;
    include?: string;
    json?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        refs: { type: 'string' },
        n: { type: 'string', short: 'n' },
        range: { type: 'string' },
        'min-spacing': { type: 'string' },
        include: { type: 'string' },
        json: { type: 'boolean' }
      },
      allowPositionals: false
    }));
  } catch (err) {
    throw new UsageError(`plan: ${(err as Error).message}`);
  }
  if (!values.refs) {
    throw new UsageError('plan: --refs REFS.csv is required');
  }
  const n = Number(values.n);
  if (values.n === undefined || !Number.isInteger(n) || n < 3) {
    throw new UsageError(`plan: -n N (an integer ≥ 3) is required, not "${values.n ?? ''}"`);
  }
  let range: [number, number] | undefined;
  if (values.range !== undefined) {
    const m = /^([\d.]+):([\d.]+)$/.exec(values.range);
    if (!m || !(Number(m[2]) > Number(m[1]))) {
      throw new UsageError(
        `plan: --range must be LO:HI in eV (e.g. 512:545), not "${values.range}"`
      );
    }
    range = [Number(m[1]), Number(m[2])];
  }
  const spacing = values['min-spacing'] === undefined ? undefined : Number(values['min-spacing']);
  if (spacing !== undefined && !(spacing >= 0)) {
    throw new UsageError(`plan: --min-spacing must be ≥ 0 eV, not "${values['min-spacing']}"`);
  }
  const include = values.include?.split(',').map(Number);
  if (include?.some(v => !Number.isFinite(v))) {
    throw new UsageError(
      `plan: --include must be comma-separated energies in eV, not "${values.include}"`
    );
  }
  if (!existsSync(values.refs)) {
    throw new StackReadError(values.refs, 'no such file');
  }
  let refs;
  try {
    refs = parseReferenceCsv(readFileSync(values.refs, 'utf8'), values.refs);
  } catch (err) {
    if (err instanceof ReferenceSetError) {
      throw new StackReadError(values.refs, err.message.replace(`${values.refs}: `, ''));
    }
    throw err;
  }
  let plan;
  try {
    plan = planEnergies(refs, n, { range, minSpacingEv: spacing, include });
  } catch (err) {
    if (err instanceof RangeError) {
      throw new UsageError(err.message);
    }
    throw err;
  }
  if (values.json) {
    io.out(JSON.stringify({ references: values.refs, n, ...plan }, null, 2));
  } else {
    io.out(
      [
        `energies    ${plan.energies.join(', ')} eV`,
        `score       ${plan.score.toPrecision(4)} (worst-pair Pearson signal-to-noise factor)`,
        'pairs       ' +
          plan.pairs.map(p => `${p.a}/${p.b} ρ=${p.correlation.toFixed(4)}`).join(', ')
      ].join('\n')
    );
  }
  return Promise.resolve(0);
}
