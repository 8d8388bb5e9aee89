import { describe, expect, it } from 'vitest';

import { outArray, type InArray } from './protocol-arrays.js';
import {
  parseOpenArrays,
  parsePipelineParams,
  parseReferences,
  parseSimulate,
  paramsTemplate,
  serverPath
} from './protocol-params.js';

function inArrays(arrays: Record<string, ReturnType<typeof outArray>>): Record<string, InArray> {
  return arrays;
}

const cube = (ne = 2, ny = 3, nx = 4) => ({
  data: outArray(new Float32Array(ne * ny * nx), [ne, ny, nx]),
  energies: outArray(
    Float64Array.from({ length: ne }, (_, i) => 500 + i),
    [ne]
  ),
  x: outArray(
    Float64Array.from({ length: nx }, (_, i) => i),
    [nx]
  ),
  y: outArray(
    Float64Array.from({ length: ny }, (_, i) => i),
    [ny]
  )
});

describe('serverPath', () => {
  it('keeps paths inside the server root', () => {
    expect(serverPath('/a/b.h5')).toBe('a/b.h5');
    expect(serverPath('a\\b.h5')).toBe('a/b.h5');
    expect(() => serverPath('../etc/passwd')).toThrow(/\.\./);
    expect(() => serverPath('a/../../b')).toThrow(/\.\./);
    expect(() => serverPath('')).toThrow(/non-empty/);
    expect(() => serverPath('a\0b')).toThrow(/NUL/);
    expect(() => serverPath(3)).toThrow(/string/);
  });
});

describe('parseOpenArrays', () => {
  it('accepts a consistent cube', () => {
    const p = parseOpenArrays({ path: 'x.h5', title: 'T' }, inArrays(cube()));
    expect(p.shape).toEqual([2, 3, 4]);
    expect(p.overwrite).toBe(false);
    expect(p.title).toBe('T');
  });

  it.each([
    [{ path: 'x.txt' }, cube(), 'must end with'],
    [{ path: 'x.h5', overwrite: 'yes' }, cube(), 'boolean'],
    [{ path: 'x.h5' }, { ...cube(), x: outArray(new Float64Array(3), [3]) }, '"x" has 3 values'],
    [{ path: 'x.h5' }, { ...cube(), energies: outArray(new Float32Array(2), [2]) }, 'float64'],
    [{ path: 'x.h5' }, { ...cube(), extra: outArray(new Float64Array(1), [1]) }, 'unexpected'],
    [
      { path: 'x.h5' },
      { ...cube(), y: outArray(Float64Array.from([0, NaN, 1]), [3]) },
      'non-finite'
    ],
    [
      { path: 'x.h5' },
      { ...cube(), control: outArray(new Float32Array(6), [1, 2, 3]) },
      '"control" must have the shape'
    ]
  ])('rejects %j', (params, arrays, message) => {
    expect(() => parseOpenArrays(params, inArrays(arrays))).toThrow(message);
  });
});

describe('parseReferences', () => {
  it('takes CSV text or named arrays', () => {
    expect(parseReferences({ csv: 'energy,A\n1,2', source: 'r.csv' }, {})).toEqual({
      path: undefined,
      source: 'r.csv',
      csv: 'energy,A\n1,2'
    });
    const e = outArray(Float64Array.from([1, 2]), [2]);
    const p = parseReferences(
      { names: ['A', 'B'], path: 'x.h5' },
      {
        'energies:0': e,
        'values:0': e,
        'energies:1': e,
        'values:1': e
      }
    );
    expect(p.spectra!.map(s => s.name)).toEqual(['A', 'B']);
    expect(p.path).toBe('x.h5');
    expect(() => parseReferences({ names: ['A'] }, {})).toThrow(/"energies:0" is missing/);
    expect(() => parseReferences({ names: 'A' }, {})).toThrow(/list/);
    expect(() => parseReferences({ csv: 'x', names: ['A'] }, {})).toThrow(/not both/);
  });
});

describe('parseSimulate', () => {
  it('has defaults and ranges', () => {
    expect(parseSimulate({})).toEqual({ seed: 1, soc: 0.64, ny: 48, nx: 64, pixelSize: 0.03 });
    expect(() => parseSimulate({ soc: 1.5 })).toThrow(/soc/);
    expect(() => parseSimulate({ ny: 4.5 })).toThrow(/integer/);
  });
});

describe('parsePipelineParams', () => {
  it('accepts the defaults’ keys with their types', () => {
    const p = {
      threshold: 0.01,
      seed: 3,
      method: 'pcc',
      gmvae: { epochs: 5 },
      preprocess: { mask: { mode: 'threshold', od: 0.2 } }
    };
    expect(parsePipelineParams(p)).toEqual(p);
    expect(parsePipelineParams(undefined)).toEqual({});
  });

  it('tells the kernel every parameter with its default', () => {
    expect(parsePipelineParams({ gmvae: { neighbourWeight: 0.5 } })).toEqual({
      gmvae: { neighbourWeight: 0.5 }
    });
    const template = paramsTemplate() as {
      gmvae: Record<string, unknown>;
      preprocess: Record<string, unknown>;
      threshold: number;
    };
    expect(template.gmvae.neighbourWeight).toBe(2);
    expect(template.gmvae.epochs).toBe(60);
    expect(template.preprocess.align).toBe('auto');
    expect(template.preprocess.energyShift).toBe('auto');
    expect(template.threshold).toBe(0.005);
  });

  it('normalises the forms a user may write (off, on)', () => {
    expect(parsePipelineParams({ preprocess: { energyShift: 'off', align: 'on' } })).toEqual({
      preprocess: { energyShift: 0, align: true }
    });
  });

  it.each([
    [{ bogus: 1 }, 'unknown parameter "bogus"'],
    [{ gmvae: { epoch: 5 } }, 'unknown parameter "gmvae.epoch"'],
    [{ threshold: '0.1' }, 'must be a number in 0…1'],
    [{ threshold: 5 }, '0…1'],
    [{ seed: 1.5 }, 'integer'],
    [{ gmvae: { epochs: null } }, 'parameter gmvae.epochs must be an integer in 1…5000, not null'],
    // issue 17: out-of-range values were stored and run
    [{ method: 'rm -rf' }, 'parameter method must be one of gmvae, gmvae-pixel, pcc'],
    [{ gmvae: { epochs: -5 } }, 'parameter gmvae.epochs must be an integer in 1…5000, not -5'],
    [{ gmvae: { epochs: 0 } }, 'not 0'],
    [{ gmvae: { epochs: 1e9 } }, 'not 1000000000'],
    [{ preprocess: { ringCurrent: 1 } }, 'true or false'],
    [{ preprocess: { mask: { mode: 'otsu', od: 'x' } } }, 'parameter preprocess.mask must be'],
    [{ method: '' }, 'one of gmvae'],
    // issue 17: keys that are names of Object.prototype members
    [{ constructor: 1 }, 'unknown parameter "constructor"'],
    [{ gmvae: { toString: 1 } }, 'unknown parameter "gmvae.toString"'],
    [JSON.parse('{"__proto__": {"threshold": 0.1}}') as unknown, 'unknown parameter "__proto__"'],
    [{ toString: 'x' }, 'unknown parameter "toString"'],
    [{ gmvae: { hasOwnProperty: 1 } }, 'unknown parameter "gmvae.hasOwnProperty"'],
    [JSON.parse('{"gmvae": {"__proto__": {}}}') as unknown, 'unknown parameter "gmvae.__proto__"'],
    [
      JSON.parse('{"preprocess": {"mask": {"mode": "otsu", "__proto__": 1}}}') as unknown,
      'parameter preprocess.mask must be'
    ],
    [[1], 'JSON object']
  ])('rejects %j', (params, message) => {
    expect(() => parsePipelineParams(params)).toThrow(message);
  });
});
