/** The real `bin/stxm-phasemap`, run as a user runs it (lib/ built by the vitest setup). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { HAVE_SHARED, REAL_STACK, SHARED_DATA, tempDir } from '../test-setup/fixtures.js';
import { runCli } from '../test-setup/cli.js';

const dir = tempDir('stxm-cli-');

describe.skipIf(!HAVE_SHARED)('info on the real SLS file', () => {
  it('--json prints shape, energies and pixel size', async () => {
    const { code, stdout } = await runCli('info', REAL_STACK, '--json');
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as Record<string, unknown>;
    expect(info.shape).toEqual([4, 50, 50]);
    expect(info.energies).toEqual([280, 284.5, 285, 320]);
    expect(info.pixelSize).toEqual({ x: 0.5, y: 0.5, units: 'µm' });
    expect(info.scanType).toBe('sample image stack');
  });

  it('prints a human summary by default', async () => {
    const { code, stdout } = await runCli('info', REAL_STACK);
    expect(code).toBe(0);
    expect(stdout).toContain('0.5 µm (x) × 0.5 µm (y)');
    expect(stdout).toContain('4 energies × 50 y × 50 x');
  });

  it('reads the aXis2000 .hdr beside its .xim files', async () => {
    const hdr = join(SHARED_DATA, 'stxm', 'max_iv.hdr');
    const { code, stdout } = await runCli('info', hdr, '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { shape: number[] }).shape).toEqual([2, 10, 10]);
  });
});

describe('errors and usage', () => {
  it('exits 2 naming a non-HDF5 file', async () => {
    const bad = join(dir, 'bad.h5');
    writeFileSync(bad, 'not an hdf5 file');
    const { code, stderr } = await runCli('info', bad);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`stxm-phasemap: ${bad}: not an HDF5 file (no HDF5 signature)`);
  });

  it('exits 2 with exactly one line on stderr for a truncated HDF5 file', async () => {
    const out = join(dir, 'whole.h5');
    expect((await runCli('simulate', '--out', out)).code).toBe(0);
    const bytes = readFileSync(out);
    const cut = join(dir, 'cut.h5');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const { code, stderr } = await runCli('info', cut);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1); // no HDF5 diagnostics dump
    expect(stderr).toContain(`${cut}: cannot open the HDF5 file: truncated file`);
  });

  it('exits 2 for a missing file', async () => {
    const { code, stderr } = await runCli('info', join(dir, 'nope.h5'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/nope\.h5: no such file/);
  });

  it('exits 2 for wrong arguments', async () => {
    expect((await runCli('frobnicate')).code).toBe(2);
    expect((await runCli('info')).code).toBe(2);
    expect((await runCli('info', 'a.h5', '--bogus')).code).toBe(2);
    expect((await runCli()).code).toBe(2);
  });

  it('--help and --version', async () => {
    const help = await runCli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('info FILE');
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    ) as {
      version: string;
    };
    expect((await runCli('--version')).stdout.trim()).toBe(pkg.version);
  });
});

describe('simulate', () => {
  it('writes a demo stack that info reads back', async () => {
    const out = join(dir, 'demo.h5');
    const sim = await runCli('simulate', '--out', out, '--seed', '7', '--json');
    expect(sim.code).toBe(0);
    const info = JSON.parse((await runCli('info', out, '--json')).stdout) as {
      shape: number[];
      pixelSize: { x: number };
    };
    expect(info.shape).toEqual([12, 56, 72]);
    expect(info.pixelSize.x).toBe(0.03);
  });

  it('rejects a bad seed', async () => {
    const { code, stderr } = await runCli('simulate', '--out', join(dir, 'x.h5'), '--seed', 'abc');
    expect(code).toBe(2);
    expect(stderr).toContain('--seed');
  });
});
