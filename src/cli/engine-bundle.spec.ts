/**
 * The engine bundle the Python wheel carries (scripts/build-engine.mjs), built into a
 * folder of its own, away from node_modules: it runs every command, finds tfjs's wasm
 * binaries beside itself (`--backend wasm` trains on wasm, not on the cpu fallback), its
 * `batch` starts its child processes from itself, and its maps are the checkout CLI's,
 * bit for bit.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { beforeAll, describe, expect, it } from 'vitest';

import { readResult } from '../core/io/result-read.js';
import { nodeRuntime, tempDir } from '../test-setup/fixtures.js';
import { expectSameMaps, runCli } from '../test-setup/cli.js';
import type { MapSummary } from './map.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const dir = tempDir('stxm-bundle-');
const engine = join(dir, 'engine');
const bundle = join(engine, 'stxm-phasemap.mjs');

async function node(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bundle, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await run(process.execPath, [join(ROOT, 'scripts/build-engine.mjs'), '--outdir', engine], {
    cwd: ROOT
  });
}, 120_000);

describe('the engine bundle', () => {
  it('is one file with the wasm binaries and its version beside it', () => {
    for (const f of [
      'stxm-phasemap.mjs',
      'tfjs-backend-wasm.wasm',
      'tfjs-backend-wasm-simd.wasm',
      'VERSION'
    ]) {
      expect(existsSync(join(engine, f)), f).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(readFileSync(join(engine, 'VERSION'), 'utf8').trim()).toBe(pkg.version);
    // it runs from a folder with no node_modules on the way up: nothing outside it is loaded
    for (let d = engine; d !== dirname(d); d = dirname(d)) {
      expect(existsSync(join(d, 'node_modules')), d).toBe(false);
    }
  });

  it('maps on the wasm backend, the same maps as bin/stxm-phasemap, and runs batch', async () => {
    const sim = await node(
      'simulate',
      '--soc',
      '0.4',
      '--size',
      '24x32',
      '--out',
      's.h5',
      '--refs',
      'r.csv'
    );
    expect(sim.code, sim.stderr).toBe(0);
    const a = await node(
      'map',
      's.h5',
      '--refs',
      'r.csv',
      '--backend',
      'wasm',
      '--seed',
      '4',
      '--out',
      'bundle.h5',
      '--json',
      '--quiet'
    );
    expect(a.code, a.stderr).toBe(0);
    const summary = JSON.parse(a.stdout) as MapSummary;
    expect(summary.training?.backend).toBe('wasm');
    expect(summary.training?.backendNote).toBeUndefined();

    copyFileSync(join(dir, 's.h5'), join(dir, 's2.h5'));
    const b = await runCli(
      'map',
      join(dir, 's2.h5'),
      '--refs',
      join(dir, 'r.csv'),
      '--backend',
      'wasm',
      '--seed',
      '4',
      '--out',
      join(dir, 'checkout.h5'),
      '--quiet'
    );
    expect(b.code, b.stderr).toBe(0);
    const runtime = await nodeRuntime();
    const x = readResult(runtime, join(dir, 'bundle.h5'));
    const y = readResult(runtime, join(dir, 'checkout.h5'));
    expectSameMaps(x, y);
    expect(x.trainingLoss).toEqual(y.trainingLoss);

    const batch = await node(
      'batch',
      's.h5',
      'nothing.h5',
      '--refs',
      'r.csv',
      '--out',
      'out',
      '--jobs',
      '2',
      '--method',
      'pcc',
      '--json'
    );
    expect(batch.code).toBe(2);
    const rows = (JSON.parse(batch.stdout) as { rows: { status: string; error: string | null }[] })
      .rows;
    expect(rows.map(r => r.status)).toEqual(['mapped', 'failed']);
    expect(rows[1].error).toBe('nothing.h5: no such file');
  }, 120_000);
});
