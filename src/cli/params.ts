/**
 * Pipeline parameters from the command line: one option per parameter of the
 * parameter model (`PARAMETER_SPECS`: `--epochs N`, `--align auto|on|off`,
 * `--energy-shift auto|off|EV`, `--i0 auto|roi:Y0,Y1,X0,X1|FILE`, `--mask
 * otsu|OD` …), plus `--params FILE.json` (a whole set, nested as in a result
 * file) and `--params-from RESULT.h5` (the set a result was made with).
 * Precedence: defaults < --params-from < --params < each option.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { parseSpectrumText } from '../core/io/references-text.js';
import { readResult } from '../core/io/result-read.js';
import { STACK_EXTENSIONS, readScan } from '../core/io/read.js';
import { StackReadError } from '../core/io/errors.js';
import { PARAMETER_SPECS, ParameterError, validateParams } from '../core/model/param-specs.js';
import type { DeepPartial, PipelineParams } from '../core/model/params.js';
import { i0SpectrumFromStack } from '../core/preprocess/i0.js';
import { UsageError, joinNegativeValues } from './io.js';
import { nodeH5Runtime } from './runtime.js';

/** parseArgs options for every parameter, and for --params / --params-from. */
export const PARAMETER_OPTIONS: Record<string, { type: 'string' }> = Object.fromEntries(
  [...PARAMETER_SPECS.map(s => s.cli), 'params', 'params-from'].map(
    name => [name, { type: 'string' }] as [string, { type: 'string' }]
  )
);

const ALIGN_MODES = ['auto', 'on', 'off', 'true', 'false', 'yes', 'no'];

/**
 * `--align` may stand alone (= on), and `--no-align` means off: normalise
 * them to `--align on|off` before parseArgs sees the arguments.
 */
export function normaliseFlags(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--no-align') {
      out.push('--align', 'off');
    } else if (a === '--align' && standsAlone(args[i + 1])) {
      out.push('--align', 'on');
    } else {
      out.push(a);
    }
  }
  return out;
}

type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** What `parseCommandLine` gives a command with these options. */
export type CommandLine<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>
>;

/**
 * A command's arguments as `parseArgs` reads them, after `--align`/`--no-align`
 * and negative values are normalised; a wrong line is a UsageError naming the
 * command.
 */
export function parseCommandLine<O extends CommandOptions>(
  command: string,
  args: string[],
  options: O
): CommandLine<O> {
  try {
    return parseArgs({
      args: joinNegativeValues(normaliseFlags(args), options),
      options,
      allowPositionals: true
    });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
}

/** `--align` is followed by nothing, another option, or the stack file (not by a value). */
function standsAlone(next: string | undefined): boolean {
  if (next === undefined || next.startsWith('-')) {
    return true;
  }
  return !ALIGN_MODES.includes(next.toLowerCase()) && existsSync(next);
}

/** The parameters the options ask for (checked: a bad value exits 2 naming the option). */
export async function parametersFromOptions(
  command: string,
  values: Record<string, string | boolean | undefined>
): Promise<DeepPartial<PipelineParams>> {
  let merged: Record<string, unknown> = {};
  const from = values['params-from'];
  if (typeof from === 'string') {
    merged = mergeParams(merged, await recordedParams(from));
  }
  const file = values.params;
  if (typeof file === 'string') {
    merged = mergeParams(merged, paramsFile(file));
  }
  for (const spec of PARAMETER_SPECS) {
    const text = values[spec.cli];
    if (typeof text !== 'string') {
      continue;
    }
    let value: unknown;
    try {
      value = spec.parse(text);
    } catch (err) {
      throw new UsageError(`${command}: --${spec.cli}: ${(err as Error).message}`);
    }
    if (spec.key === 'i0' && isFileI0(value)) {
      value = await i0FromFile(value.path);
    }
    merged = mergeParams(
      merged,
      spec.group ? { [spec.group]: { [spec.key]: value } } : { [spec.key]: value }
    );
  }
  try {
    validateParams(merged);
  } catch (err) {
    if (err instanceof ParameterError) {
      throw new UsageError(`${command}: ${err.message}`);
    }
    throw err;
  }
  return merged;
}

function mergeParams(
  a: Record<string, unknown>,
  b: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      (k === 'preprocess' || k === 'gmvae') && isObject(prev) && isObject(v)
        ? { ...prev, ...v }
        : v;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFileI0(v: unknown): v is { mode: 'file'; path: string } {
  return isObject(v) && v.mode === 'file' && typeof v.path === 'string';
}

/**
 * `--params FILE.json`: a (partial) parameter set, nested as PipelineParams;
 * `--params -` reads it from standard input (how Python hands its keywords over).
 */
function paramsFile(path: string): Record<string, unknown> {
  const stdin = path === '-';
  const name = stdin ? 'parameters on standard input' : path;
  if (!stdin && !existsSync(path)) {
    throw new StackReadError(path, 'no such file');
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(stdin ? 0 : path, 'utf8'));
  } catch (err) {
    throw new StackReadError(name, `not a JSON parameter file: ${(err as Error).message}`);
  }
  if (!isObject(value)) {
    throw new StackReadError(name, 'a parameter file holds one JSON object');
  }
  try {
    validateParams(value);
  } catch (err) {
    if (err instanceof ParameterError) {
      throw new StackReadError(name, err.message);
    }
    throw err;
  }
  return value;
}

/** `--params-from RESULT.h5`: the complete parameters a result file records. */
async function recordedParams(path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) {
    throw new StackReadError(path, 'no such file');
  }
  const result = readResult(await nodeH5Runtime(), path, path);
  const params = result.params as unknown;
  if (!isObject(params) || Object.keys(params).length === 0) {
    throw new StackReadError(path, 'the result file records no parameters');
  }
  try {
    validateParams(params);
  } catch (err) {
    if (err instanceof ParameterError) {
      throw new StackReadError(
        path,
        `its recorded parameters do not fit this version: ${err.message}`
      );
    }
    throw err;
  }
  return params;
}

/** `--i0 FILE`: a two-column spectrum (energy, counts), or a scan of an empty area. */
async function i0FromFile(path: string): Promise<PipelineParams['preprocess']['i0']> {
  if (!existsSync(path)) {
    throw new StackReadError(path, 'no such file (--i0 takes auto, roi:Y0,Y1,X0,X1 or an I0 file)');
  }
  const ext = extname(path).toLowerCase();
  if ((STACK_EXTENSIONS as readonly string[]).includes(ext) || ext === '.hdr') {
    return i0SpectrumFromStack(readScan(await nodeH5Runtime(), path, path));
  }
  const s = parseSpectrumText(readFileSync(path, 'latin1'), path)[0];
  return {
    mode: 'spectrum',
    energies: Array.from(s.energies),
    values: Array.from(s.values),
    source: path
  };
}

/** The help lines of the parameter options: the option, its default, its description wrapped. */
export function parameterHelp(indent = '      '): string {
  const wrap = (text: string, pad: string, width = 78): string[] => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      if (line && pad.length + line.length + 1 + word.length > width) {
        lines.push(pad + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    return line ? [...lines, pad + line] : lines;
  };
  const entry = (head: string, description: string): string[] => [
    `${indent}${head}`,
    ...wrap(description, `${indent}    `)
  ];
  const out: string[] = [];
  for (const s of PARAMETER_SPECS) {
    const def = typeof s.default === 'object' ? JSON.stringify(s.default) : String(s.default);
    out.push(...entry(`--${s.cli} ${s.metavar}  (default ${def})`, s.description));
  }
  out.push(
    ...entry(
      '--params FILE.json',
      'a whole parameter set (JSON, nested as a result file records it; - reads it from standard input)'
    )
  );
  out.push(
    ...entry('--params-from RESULT.h5', 'the parameters a result file was made with: reproduces it')
  );
  return out.join('\n');
}
