/**
 * The contract's generator and validators: the generated files are current
 * (and the check fails when one is edited), the TypeScript validators judge
 * the shared vectors (vectors.json, also run by python/tests/test_contract.py)
 * as written there, and the JSON Schema says what the validators check.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ContractError } from './check.js';
import { DEFS, METHODS, METHOD_DEFS, REPLY_ERROR_KINDS, ERROR_KINDS } from './contract.js';
import { assertSupported } from './emit-common.js';
import * as generated from './generated.js';
import { PYTHON, SCHEMA_JSON, SETTINGS, TYPESCRIPT } from './generate.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SCRIPT = join(ROOT, 'scripts/contract.mjs');

interface Vector {
  def: string;
  path?: string;
  value: unknown;
  error: string | null;
}
const VECTORS = (
  JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as {
    vectors: Vector[];
  }
).vectors;

const validators = generated as unknown as Record<string, (v: unknown, path?: string) => unknown>;

function judge(v: Vector): string | null {
  const check = validators[`check${v.def}`];
  expect(check, `no validator for ${v.def}`).toBeTypeOf('function');
  try {
    check(v.value, v.path ?? '');
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError);
    return (err as Error).message;
  }
}

function runCheck(root?: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--check', ...(root ? ['--root', root] : [])], {
    encoding: 'utf8'
  });
  return { status: r.status, stderr: r.stderr };
}

describe('the contract’s generated files', () => {
  it('are current (npm run contract:check)', () => {
    const { status, stderr } = runCheck();
    expect(stderr).toBe('');
    expect(status).toBe(0);
  }, 60_000);

  it('are reported stale, each by name, once edited', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'contract-check-'));
    try {
      for (const f of [SCHEMA_JSON, TYPESCRIPT, PYTHON, SETTINGS]) {
        mkdirSync(join(tmp, dirname(f)), { recursive: true });
        cpSync(join(ROOT, f), join(tmp, f));
      }
      expect(runCheck(tmp).status).toBe(0);
      // a hand edit of a generated constant: the Python side would speak another chunk size
      const py = join(tmp, PYTHON);
      writeFileSync(
        py,
        readFileSync(py, 'utf8').replace('MAX_CHUNK_BYTES = 8388608', 'MAX_CHUNK_BYTES = 9000000')
      );
      const ts = join(tmp, TYPESCRIPT);
      writeFileSync(ts, `${readFileSync(ts, 'utf8')}// edited\n`);
      const { status, stderr } = runCheck(tmp);
      expect(status).toBe(1);
      expect(stderr).toContain(`${PYTHON} is stale`);
      expect(stderr).toContain(`${TYPESCRIPT} is stale`);
      expect(stderr).not.toContain(SCHEMA_JSON);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the generated validators', () => {
  it.each(VECTORS.map(v => [`${v.def} ${JSON.stringify(v.value).slice(0, 70)}`, v] as const))(
    'judge %s as vectors.json says',
    (_, v) => {
      expect(judge(v)).toBe(v.error);
    }
  );

  it('never accept an inherited member for a missing field', () => {
    const proto = JSON.parse('{"__proto__": {"id": "x"}, "type": "ack"}') as unknown;
    expect(() => generated.checkAck(proto)).toThrow('"id" is missing');
  });
});

describe('the contract', () => {
  it('names a params and a result definition for every method, and arrays of known dtypes', () => {
    for (const m of METHODS) {
      expect(DEFS[METHOD_DEFS[m].params], `${m} params`).toBeDefined();
      expect(DEFS[METHOD_DEFS[m].result], `${m} result`).toBeDefined();
      expect(generated.METHOD_PARAMS[m]).toBeTypeOf('function');
    }
  });

  it('has an exception for every error kind, and the reply kinds among them', () => {
    for (const k of REPLY_ERROR_KINDS) {
      expect(ERROR_KINDS[k].wire).toBe('extension');
    }
    expect(Object.keys(ERROR_KINDS)).toContain('reloaded');
  });

  it('is published as JSON Schema with every definition', () => {
    const json = JSON.parse(readFileSync(join(ROOT, SCHEMA_JSON), 'utf8')) as {
      $defs: Record<string, unknown>;
      'x-methods': Record<string, unknown>;
    };
    expect(Object.keys(json.$defs)).toEqual([...Object.keys(DEFS), 'PipelineParams']);
    expect(Object.keys(json['x-methods'])).toEqual(METHODS);
  });

  it('refuses a schema keyword its generator does not check', () => {
    expect(() => assertSupported({ type: 'string', pattern: '^a' } as never, 'X')).toThrow(
      /does not handle "pattern"/
    );
    expect(() => assertSupported({ type: ['string', 'number'] }, 'X')).toThrow(/union/);
  });
});
