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

/**
 * `--option -0.3` reads as intended: a value that is a negative number is
 * joined to its option (`--option=-0.3`) before `parseArgs`, which would
 * otherwise take it for an option of its own and refuse the line.
 */
export function joinNegativeValues(
  args: string[],
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>
): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type === 'string') {
      takesValue.add(`--${name}`);
      if (o.short) {
        takesValue.add(`-${o.short}`);
      }
    }
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = args[i + 1];
    if (takesValue.has(a) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}
