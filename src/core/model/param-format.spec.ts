import { parseArgs } from 'node:util';

import { describe, expect, it } from 'vitest';

import { normaliseFlags, PARAMETER_OPTIONS, parametersFromOptions } from '../../cli/params.js';
import type { Value } from './param-checkers.js';
import { commandLineOptions, formatParameter } from './param-format.js';
import { PARAMETER_SPECS, parameterSpec, validateParams, type ParamSpec } from './param-specs.js';
import { DEFAULT_PARAMS, withDefaults, type PipelineParams } from './params.js';
import { Rng } from '../simulate/rng.js';

/** What the CLI makes of `stxm-phasemap map stack.h5 --refs r.csv <args>`. */
async function throughTheCli(args: string[]): Promise<PipelineParams> {
  const { values } = parseArgs({
    args: normaliseFlags(['stack.h5', '--refs', 'refs.csv', ...args]),
    options: { ...PARAMETER_OPTIONS, refs: { type: 'string' } },
    allowPositionals: true
  });
  return validateParams(await parametersFromOptions('map', values));
}

type Schema = Record<string, Value>;

/** A random valid value of a spec, from its JSON Schema (so parameters added later are covered). */
function randomValue(spec: ParamSpec, rng: Rng): unknown {
  if (spec.key === 'i0') {
    if (rng.uniform() < 0.3) {
      return { mode: 'auto' };
    }
    const y0 = Math.floor(rng.uniform() * 50);
    const x0 = Math.floor(rng.uniform() * 50);
    return { mode: 'roi', y0, y1: y0 + 1 + Math.floor(rng.uniform() * 50), x0, x1: x0 + 3 };
  }
  if (spec.key === 'mask') {
    return rng.uniform() < 0.3
      ? { mode: 'otsu' }
      : { mode: 'threshold', od: roundTo(rng, -10, 100) };
  }
  return fromSchema(spec.schema, rng);
}

function fromSchema(schema: Schema, rng: Rng): unknown {
  if (Array.isArray(schema.oneOf)) {
    const options = schema.oneOf as Schema[];
    return fromSchema(options[Math.floor(rng.uniform() * options.length)], rng);
  }
  if ('const' in schema) {
    return schema.const;
  }
  if (Array.isArray(schema.enum)) {
    return schema.enum[Math.floor(rng.uniform() * schema.enum.length)];
  }
  if (schema.type === 'boolean') {
    return rng.uniform() < 0.5;
  }
  const lo = (schema.minimum ?? schema.exclusiveMinimum) as number;
  const hi = schema.maximum as number;
  if (schema.type === 'integer') {
    return Math.min(hi, lo + Math.floor(rng.uniform() * Math.min(hi - lo + 1, 10_000)));
  }
  const r = rng.uniform();
  // edges, tiny values and values of every magnitude (1e-7, 0.1 + 0.2 …)
  const v =
    r < 0.1
      ? hi
      : r < 0.2
        ? lo + (hi - lo) * 1e-7
        : r < 0.3
          ? roundTo(rng, lo, hi) + 0.1 + 0.2
          : lo + (hi - lo) * rng.uniform();
  return schema.exclusiveMinimum !== undefined && v <= lo ? hi : Math.min(hi, v);
}

function roundTo(rng: Rng, lo: number, hi: number): number {
  return Math.round((lo + (hi - lo) * rng.uniform()) * 100) / 100;
}

function randomParams(rng: Rng): PipelineParams {
  const p = JSON.parse(JSON.stringify(DEFAULT_PARAMS)) as Record<string, Record<string, unknown>>;
  for (const spec of PARAMETER_SPECS) {
    if (rng.uniform() < 0.5) {
      const value = randomValue(spec, rng);
      if (spec.group) {
        p[spec.group][spec.key] = value;
      } else {
        (p as Record<string, unknown>)[spec.key] = value;
      }
    }
  }
  return validateParams(p);
}

describe('parameters as command-line options', () => {
  it('the defaults need no option', () => {
    expect(commandLineOptions(DEFAULT_PARAMS)).toEqual({ args: [], omitted: [] });
  });

  it('writes only what differs from the defaults, in the options’ own words', () => {
    const p = withDefaults({
      method: 'pcc',
      preprocess: { align: false, energyShift: -0.3, mask: { mode: 'threshold', od: 0.2 } },
      gmvae: { epochs: 20 }
    });
    expect(commandLineOptions(p).args).toEqual([
      '--method',
      'pcc',
      '--align',
      'off',
      '--mask',
      '0.2',
      '--energy-shift=-0.3',
      '--epochs',
      '20'
    ]);
    expect(commandLineOptions(withDefaults({ preprocess: { energyShift: 0 } })).args).toEqual([
      '--energy-shift',
      'off'
    ]);
  });

  it('round trip: the CLI reads the formatted options back as the same parameters', async () => {
    const rng = new Rng(13);
    for (let i = 0; i < 300; i++) {
      const params = randomParams(rng);
      const { args, omitted } = commandLineOptions(params);
      expect(omitted).toEqual([]);
      expect(await throughTheCli(args), args.join(' ')).toEqual(params);
    }
  });

  it('every value of every parameter round-trips on its own', () => {
    const rng = new Rng(7);
    for (const spec of PARAMETER_SPECS) {
      for (let i = 0; i < 40; i++) {
        const value = spec.check(randomValue(spec, rng));
        const text = formatParameter(spec, value);
        expect(text, `${spec.path} = ${JSON.stringify(value)}`).not.toBeNull();
        expect(spec.parse(text!)).toEqual(value);
      }
    }
  });

  it('says which parameters no option can carry (a measured I0 spectrum needs its file)', () => {
    const p = withDefaults({
      preprocess: { i0: { mode: 'spectrum', values: [1, 2, 3], source: 'i0.txt' } },
      gmvae: { epochs: 5 }
    });
    const { args, omitted } = commandLineOptions(p);
    expect(args).toEqual(['--epochs', '5']);
    expect(omitted).toEqual([
      { path: 'preprocess.i0', cli: 'i0', reason: expect.stringContaining('i0.txt') as string }
    ]);
    expect(formatParameter(parameterSpec('gmvae.epochs')!, 2.5)).toBeNull(); // not a valid value
  });
});
