/**
 * Parameters back to the command line: each value as the text its option
 * takes (`spec.parse(formatParameter(spec, v))` gives `v` back), and the
 * options of a parameter set that differ from the defaults — what the
 * workbench's *Copy as Command Line* writes after `stxm-phasemap map`.
 */
import { isObject } from './param-checkers.js';
import { changedParams, PARAMETER_SPECS, type ParamSpec } from './param-specs.js';
import type { PipelineParams } from './params.js';

/**
 * The command-line text of `value` for `spec`'s option, or null when no
 * option text carries it (a measured I0 spectrum needs its file). Every text
 * returned is checked: parsed back, it gives the same value.
 */
export function formatParameter(spec: ParamSpec, value: unknown): string | null {
  let checked: unknown;
  try {
    checked = spec.check(value);
  } catch {
    return null;
  }
  const text = optionText(spec, checked);
  if (text === null) {
    return null;
  }
  try {
    return sameValue(spec.parse(text), checked) ? text : null;
  } catch {
    return null;
  }
}

function optionText(spec: ParamSpec, v: unknown): string | null {
  if (spec.key === 'i0') {
    if (!isObject(v)) {
      return null;
    }
    if (v.mode === 'auto') {
      return 'auto';
    }
    return v.mode === 'roi' ? `roi:${[v.y0, v.y1, v.x0, v.x1].map(Number).join(',')}` : null;
  }
  if (spec.key === 'mask') {
    if (!isObject(v)) {
      return null;
    }
    return v.mode === 'otsu' ? 'otsu' : typeof v.od === 'number' ? String(v.od) : null;
  }
  if (spec.key === 'energyShift' && v === 0) {
    return 'off';
  }
  if (typeof v === 'boolean') {
    return v ? 'on' : 'off';
  }
  if (typeof v === 'number') {
    return Number.isFinite(v) ? String(v) : null;
  }
  return typeof v === 'string' ? v : null;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A parameter that differs from its default but that no option text can carry. */
export interface OmittedParameter {
  /** Dotted path, e.g. `preprocess.i0`. */
  path: string;
  /** The option it would go to, without `--`. */
  cli: string;
  /** Why, in a few words. */
  reason: string;
}

export interface CommandLineOptions {
  /**
   * The options, one argument per item: `['--epochs', '20', '--energy-shift=-0.3']`
   * (a value that starts with `-` is joined with `=`, else it would read as an option).
   */
  args: string[];
  omitted: OmittedParameter[];
}

/** The options of `stxm-phasemap map` that give `params`: only those that differ from the defaults. */
export function commandLineOptions(params: PipelineParams): CommandLineOptions {
  const changed = changedParams(params) as Record<string, unknown>;
  const args: string[] = [];
  const omitted: OmittedParameter[] = [];
  for (const spec of PARAMETER_SPECS) {
    const source = spec.group ? changed[spec.group] : changed;
    if (!isObject(source) || !Object.prototype.hasOwnProperty.call(source, spec.key)) {
      continue;
    }
    const value = source[spec.key];
    const text = formatParameter(spec, value);
    if (text === null) {
      omitted.push({ path: spec.path, cli: spec.cli, reason: omissionReason(spec, value) });
    } else if (text.startsWith('-')) {
      args.push(`--${spec.cli}=${text}`);
    } else {
      args.push(`--${spec.cli}`, text);
    }
  }
  return { args, omitted };
}

function omissionReason(spec: ParamSpec, value: unknown): string {
  if (spec.key === 'i0' && isObject(value) && value.mode === 'spectrum') {
    const source = typeof value.source === 'string' ? ` (${value.source})` : '';
    return `a measured I0 spectrum${source}: --i0 takes its file`;
  }
  return 'no command-line text gives this value';
}
