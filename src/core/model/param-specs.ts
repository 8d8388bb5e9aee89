/**
 * Every pipeline parameter as data (param-checkers.ts does the checking):
 * its path, its names in the CLI and in Python, its default, its JSON Schema
 * and its checks. The CLI builds its options from `PARAMETER_SPECS`; every
 * door checks parameters with `validateParams` before storing or running.
 */
import {
  alignChecker,
  autoOr,
  booleanChecker,
  choiceChecker,
  energyShiftChecker,
  get,
  i0Checker,
  isObject,
  maskChecker,
  numberChecker,
  ownKeys,
  type Checker,
  type Value
} from './param-checkers.js';
import {
  DEFAULT_PARAMS,
  GMVAE_BACKENDS,
  RESOLUTION_METHODS,
  type DeepPartial,
  type PipelineParams
} from './params.js';

/** A parameter that does not fit its type or range: names the parameter. */
export class ParameterError extends RangeError {
  /** Dotted path of the parameter, e.g. `gmvae.epochs`. */
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(message);
    this.name = 'ParameterError';
    this.parameter = parameter;
  }
}

type Group = 'preprocess' | 'gmvae';

/** One parameter: where it lives, what it may be, and its names in each door. */
export interface ParamSpec {
  /** Group (`preprocess`, `gmvae`) or none for top-level parameters. */
  group?: Group;
  key: string;
  /** Dotted path: `threshold`, `gmvae.epochs`. */
  path: string;
  /** The command line's option (without `--`) and Python's keyword. */
  cli: string;
  python: string;
  /** What the option's value looks like on the command line, e.g. `N`, `auto|on|off`. */
  metavar: string;
  description: string;
  default: Value;
  /** JSON Schema of the value (for the settings schema and the Python side). */
  schema: Record<string, Value>;
  /** The value checked (and normalised: 'on'/'off' → booleans); throws ParameterError. */
  check(value: unknown): unknown;
  /** The value from its command-line text; throws ParameterError. */
  parse(text: string): unknown;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
const snake = (s: string): string => s.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);

const SPEC_TABLE: [Group | undefined, string, Checker, string][] = [
  [
    undefined,
    'threshold',
    numberChecker(0, 1),
    'ambiguity threshold τ: a pixel is ambiguous when its two best correlations differ by at most τ'
  ],
  [
    undefined,
    'seed',
    numberChecker(0, 2 ** 32 - 1, { integer: true }),
    'seed of every random choice (same seed, same result)'
  ],
  [undefined, 'method', choiceChecker(RESOLUTION_METHODS), 'how ambiguous pixels are resolved'],
  [
    'preprocess',
    'i0',
    i0Checker,
    'incident intensity: from the empty background, a region (rows y0…y1, columns x0…x1), or a measured spectrum'
  ],
  [
    'preprocess',
    'ringCurrent',
    booleanChecker,
    'normalise counts by the ring current when the file has it'
  ],
  [
    'preprocess',
    'dwell',
    booleanChecker,
    'normalise counts to one dwell time when it differs between energies'
  ],
  [
    'preprocess',
    'align',
    alignChecker,
    'frame alignment: auto = measure the drift and align when it reaches align-min-drift-px'
  ],
  [
    'preprocess',
    'alignMinDriftPx',
    numberChecker(0, 1000, { metavar: 'PX' }),
    'drift (largest frame shift, px) from which automatic alignment aligns'
  ],
  [
    'preprocess',
    'alignReference',
    autoOr(numberChecker(0, 100_000, { integer: true })),
    'frame index the others are aligned to (auto = highest contrast)'
  ],
  [
    'preprocess',
    'alignMaxShiftPx',
    autoOr(numberChecker(0, 100_000, { metavar: 'PX' })),
    'largest frame shift accepted, px (auto = a quarter of the smaller side)'
  ],
  [
    'preprocess',
    'alignInterpolation',
    choiceChecker(['linear', 'cubic']),
    'resampling of shifted frames'
  ],
  [
    'preprocess',
    'alignUpsample',
    numberChecker(1, 1000, { integer: true }),
    'sub-pixel precision of the alignment is 1/N px'
  ],
  [
    'preprocess',
    'mask',
    maskChecker,
    'particle mask: Otsu on the mean optical density, or a mean-OD threshold'
  ],
  [
    'preprocess',
    'energyShift',
    energyShiftChecker,
    'shift of the reference energies, eV: auto = estimate against the references, apply when trustworthy'
  ],
  [
    'preprocess',
    'energyRangeEv',
    numberChecker(0, 20, { exclusiveMin: true, metavar: 'EV' }),
    'the automatic energy calibration searches ±EV'
  ],
  [
    'preprocess',
    'energyStepEv',
    numberChecker(0.001, 1, { metavar: 'EV' }),
    'grid step of the energy calibration search, eV'
  ],
  ['preprocess', 'binning', numberChecker(1, 64, { integer: true }), 'bin N × N pixels'],
  ['gmvae', 'latentDim', numberChecker(1, 16, { integer: true }), 'GMVAE latent dimension L'],
  [
    'gmvae',
    'components',
    numberChecker(0, 64, { integer: true }),
    'GMVAE mixture components (0 = one per reference)'
  ],
  ['gmvae', 'hidden', numberChecker(2, 1024, { integer: true }), 'hidden units per GMVAE layer'],
  [
    'gmvae',
    'epochs',
    numberChecker(1, 5000, { integer: true }),
    'maximum GMVAE training epochs (early stopping may end sooner)'
  ],
  ['gmvae', 'batchSize', numberChecker(1, 65_536, { integer: true }), 'training batch size'],
  ['gmvae', 'learningRate', numberChecker(0, 1, { exclusiveMin: true }), 'Adam learning rate'],
  [
    'gmvae',
    'patience',
    numberChecker(1, 5000, { integer: true }),
    'epochs without a better validation loss before training stops'
  ],
  [
    'gmvae',
    'maxTrainPixels',
    numberChecker(0, 100_000_000, { integer: true }),
    'train on at most N particle pixels, a seeded subsample (0 = all of them)'
  ],
  ['gmvae', 'backend', choiceChecker(GMVAE_BACKENDS), 'GMVAE training engine'],
  [
    'gmvae',
    'neighbourWeight',
    numberChecker(0, 100),
    'weight β of the neighbourhood term of method gmvae (0 = per-pixel rule)'
  ]
];

function defaultOf(group: Group | undefined, key: string): Value {
  const g = group
    ? (DEFAULT_PARAMS[group] as unknown as Record<string, Value>)
    : (DEFAULT_PARAMS as unknown as Record<string, Value>);
  return g[key];
}

/** Every parameter, in the order the CLI's help lists them. */
export const PARAMETER_SPECS: readonly ParamSpec[] = SPEC_TABLE.map(
  ([group, key, c, description]) => {
    const path = group ? `${group}.${key}` : key;
    const failFor = (what: string, got: unknown): never => {
      throw new ParameterError(path, `parameter ${path} must be ${what}, not ${show(got)}`);
    };
    const spec: ParamSpec = {
      group,
      key,
      path,
      cli: kebab(key),
      python: snake(key),
      metavar: c.metavar,
      description,
      default: defaultOf(group, key),
      schema: { ...c.schema, default: defaultOf(group, key), description },
      check: v => c.check(v, what => failFor(what, v)),
      parse: text =>
        c.parse
          ? c.parse(text, what => failFor(what, text))
          : c.check(text, what => failFor(what, text))
    };
    return spec;
  }
);

const BY_PATH = new Map(PARAMETER_SPECS.map(s => [s.path, s]));
const KEYS_OF: Record<'' | Group, string[]> = {
  '': PARAMETER_SPECS.filter(s => !s.group).map(s => s.key),
  preprocess: PARAMETER_SPECS.filter(s => s.group === 'preprocess').map(s => s.key),
  gmvae: PARAMETER_SPECS.filter(s => s.group === 'gmvae').map(s => s.key)
};

export function parameterSpec(path: string): ParamSpec | undefined {
  return BY_PATH.get(path);
}

/**
 * Complete, checked parameters from a partial set (JSON, the CLI's options, a
 * result file's record), merged over the defaults. Unknown keys and values
 * out of range throw a `ParameterError` naming the parameter; nothing is
 * stored or run before this passes.
 */
export function validateParams(input: unknown = {}): PipelineParams {
  if (input === undefined || input === null) {
    input = {};
  }
  if (!isObject(input)) {
    throw new ParameterError('', `parameters must be a JSON object, not ${show(input)}`);
  }
  const out = structuredCloneParams(DEFAULT_PARAMS) as unknown as Record<string, Value>;
  for (const key of ownKeys(input)) {
    const value = input[key];
    if (value === undefined) {
      continue;
    }
    if (key === 'preprocess' || key === 'gmvae') {
      if (!isObject(value)) {
        throw new ParameterError(
          key,
          `parameter group ${key} must be a JSON object, not ${show(value)}`
        );
      }
      const group = out[key] as Record<string, Value>;
      for (const sub of ownKeys(value)) {
        if (value[sub] === undefined) {
          continue;
        }
        const spec = BY_PATH.get(`${key}.${sub}`);
        if (!spec) {
          throw unknownParameter(
            `${key}.${sub}`,
            KEYS_OF[key].map(k => `${key}.${k}`)
          );
        }
        group[sub] = spec.check(value[sub]) as Value;
      }
      continue;
    }
    const spec = BY_PATH.get(key);
    if (!spec || spec.group) {
      throw unknownParameter(key, [...KEYS_OF[''], 'preprocess', 'gmvae']);
    }
    out[key] = spec.check(value) as Value;
  }
  return out as unknown as PipelineParams;
}

/**
 * The known parameters of `input` whose value is valid, the rest dropped
 * without a word: for state saved by an earlier version (a restored
 * workbench), never for what a user just asked for (`validateParams`).
 */
export function keepValidParams(input: unknown): DeepPartial<PipelineParams> {
  const out: Record<string, unknown> = {};
  if (!isObject(input)) {
    return {};
  }
  for (const spec of PARAMETER_SPECS) {
    const source = spec.group ? get(input, spec.group) : input;
    const value = isObject(source) ? get(source, spec.key) : undefined;
    if (value === undefined) {
      continue;
    }
    let checked: unknown;
    try {
      checked = spec.check(value);
    } catch {
      continue;
    }
    if (spec.group) {
      out[spec.group] = { ...(out[spec.group] as object | undefined), [spec.key]: checked };
    } else {
      out[spec.key] = checked;
    }
  }
  return out;
}

function unknownParameter(path: string, known: string[]): ParameterError {
  return new ParameterError(
    path,
    `unknown parameter ${JSON.stringify(path)}; known: ${known.join(', ')}`
  );
}

/** The parameters that differ from the defaults, as a partial set (for a command line or a file). */
export function changedParams(p: PipelineParams): DeepPartial<PipelineParams> {
  const out: Record<string, unknown> = {};
  for (const spec of PARAMETER_SPECS) {
    const value = spec.group
      ? (p[spec.group] as unknown as Record<string, unknown>)[spec.key]
      : (p as unknown as Record<string, unknown>)[spec.key];
    if (JSON.stringify(value) !== JSON.stringify(spec.default)) {
      if (spec.group) {
        out[spec.group] = { ...(out[spec.group] as object | undefined), [spec.key]: value };
      } else {
        out[spec.key] = value;
      }
    }
  }
  return out;
}

function structuredCloneParams<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function show(v: unknown): string {
  if (typeof v === 'string') {
    return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  }
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return String(v);
  }
}
