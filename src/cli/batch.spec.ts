/** `stxm-phasemap batch`, run as a user runs it: many stacks, one broken, re-runs. */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { readResult } from '../core/io/result-read.js';
import { nodeRuntime, tempDir } from '../test-setup/fixtures.js';
import { runCli } from '../test-setup/cli.js';
import type { BatchRow } from './batch-table.js';

const dir = tempDir('stxm-batch-');
const refs = join(dir, 'refs.csv');
const SOCS = [0.2, 0.5, 0.8];
const stacks = SOCS.map(s => join(dir, `soc${s * 100}.h5`));
const broken = join(dir, 'broken.h5');

interface BatchJson {
  stacks: number;
  mapped: number;
  skipped: number;
  failed: number;
  csv: string;
  figure: string;
  columns: string[];
  rows: BatchRow[];
}

/** The CSV as rows of cells (no quoted commas in these tables). */
function csvRows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map(l => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

beforeAll(async () => {
  for (const [i, s] of SOCS.entries()) {
    const r = await runCli(
      'simulate',
      '--soc',
      String(s),
      '--seed',
      String(i + 1),
      '--size',
      '24x32',
      '--out',
      stacks[i],
      '--refs',
      refs
    );
    expect(r.code, r.stderr).toBe(0);
  }
  writeFileSync(broken, 'not an HDF5 file\n');
}, 60_000);

describe('batch', () => {
  const out = join(dir, 'out');
  const manifest = join(dir, 'beamtime.csv');

  it('maps every stack in --jobs processes; the broken one gives its error row, the others go on', async () => {
    writeFileSync(
      manifest,
      'file,state_of_charge\n' +
        `${stacks[0]},0.2\nbroken.h5,0.35\n${stacks[1]},0.5\n${stacks[2]},0.8\n`
    );
    const r = await runCli(
      'batch',
      '--manifest',
      manifest,
      '--refs',
      refs,
      '--out',
      out,
      '--jobs',
      '2',
      '--json'
    );
    expect(r.code, r.stderr).toBe(2); // a stack failed
    expect(r.stderr).toMatch(/\[batch\] \d\/4 broken: FAILED: .*broken\.h5: not an HDF5 file/);
    expect(r.stderr).toMatch(/stxm-phasemap: batch: 1 of 4 stack\(s\) failed \(broken\)/);
    const s = JSON.parse(r.stdout) as BatchJson;
    expect([s.stacks, s.mapped, s.skipped, s.failed]).toEqual([4, 3, 0, 1]);
    expect(s.rows.map(row => row.status)).toEqual(['mapped', 'failed', 'mapped', 'mapped']);
    expect(String(s.rows[1].error)).toMatch(/broken\.h5: not an HDF5 file \(no HDF5 signature\)/);

    const table = csvRows(join(out, 'summary.csv'));
    expect(Object.keys(table[0]).slice(0, 7)).toEqual([
      'file',
      'name',
      'state_of_charge',
      'status',
      'error',
      'fraction_Na3',
      'fraction_Na1'
    ]);
    // the Na1 share follows the state of charge the stacks were simulated at
    for (const row of table.filter(t => t.status === 'mapped')) {
      expect(Math.abs(Number(row.fraction_Na1) - Number(row.state_of_charge))).toBeLessThan(0.12);
      expect(Number(row.fraction_Na1) + Number(row.fraction_Na3)).toBeCloseTo(1, 5);
      expect(Number(row.total_ms)).toBeGreaterThan(0);
      expect(Number(row.particle)).toBeGreaterThan(100);
    }
    // one result per stack, the same as `map` makes, and its record beside it
    const runtime = await nodeRuntime();
    const result = readResult(runtime, join(out, 'soc50.h5'));
    expect(result.phaseNames).toEqual(['Na3', 'Na1']);
    expect(result.fractions[1]).toBeCloseTo(Number(table[2].fraction_Na1), 5);
    const record = JSON.parse(readFileSync(join(out, 'soc50.json'), 'utf8')) as {
      hash: string;
      inputs: { stack: { file: string }; refs: { sha256: string }; engine: string };
    };
    expect(record.hash).toBe(table[2].hash);
    expect(record.inputs.stack.file).toBe('soc50.h5');
    expect(existsSync(join(out, 'broken.h5'))).toBe(false);
    // the figure: fractions against the manifest's numeric column, the failed stack named
    const svg = readFileSync(join(out, 'summary.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('>state_of_charge</text>');
    expect(svg).toContain('>Na1</text>');
    expect(svg).toContain('broken: failed');
    expect(svg.match(/<polyline/g)?.length).toBe(2);
  }, 120_000);

  it('a re-run keeps every result made with the same parameters, maps again what changed', async () => {
    const before = statSync(join(out, 'soc20.h5')).mtimeMs;
    const again = await runCli(
      'batch',
      '--manifest',
      manifest,
      '--refs',
      refs,
      '--out',
      out,
      '--json'
    );
    expect(again.code).toBe(2); // the broken stack is tried again, and fails again
    const s = JSON.parse(again.stdout) as BatchJson;
    expect(s.rows.map(r => r.status)).toEqual(['skipped', 'failed', 'skipped', 'skipped']);
    expect(statSync(join(out, 'soc20.h5')).mtimeMs).toBe(before);
    expect(s.rows[0].fraction_Na1).toBeGreaterThan(0); // the kept row has its numbers

    // another τ is another hash: mapped again; --force maps even the same
    const other = await runCli(
      'batch',
      stacks[0],
      '--refs',
      refs,
      '--out',
      out,
      '--threshold',
      '0.01',
      '--method',
      'pcc',
      '--json'
    );
    expect(other.code, other.stderr).toBe(0);
    expect((JSON.parse(other.stdout) as BatchJson).rows[0].status).toBe('mapped');
    const forced = await runCli(
      'batch',
      stacks[0],
      '--refs',
      refs,
      '--out',
      out,
      '--threshold',
      '0.01',
      '--method',
      'pcc',
      '--force',
      '--json'
    );
    expect((JSON.parse(forced.stdout) as BatchJson).rows[0].status).toBe('mapped');
    const kept = await runCli(
      'batch',
      stacks[0],
      '--refs',
      refs,
      '--out',
      out,
      '--threshold',
      '0.01',
      '--method',
      'pcc',
      '--json'
    );
    expect((JSON.parse(kept.stdout) as BatchJson).rows[0].status).toBe('skipped');
    // changed references are another hash too
    const refs2 = join(dir, 'refs2.csv');
    writeFileSync(refs2, readFileSync(refs, 'utf8').replace('# reference', '# copied reference'));
    const plan = await runCli(
      'batch',
      stacks[0],
      '--refs',
      refs2,
      '--out',
      out,
      '--threshold',
      '0.01',
      '--method',
      'pcc',
      '--plan'
    );
    expect((JSON.parse(plan.stdout) as { tasks: { done: boolean }[] }).tasks[0].done).toBe(false);
  }, 120_000);

  it('--plan lists the tasks without running them; --task runs one and prints its row', async () => {
    const plan = await runCli(
      'batch',
      stacks[1],
      broken,
      stacks[1],
      '--refs',
      refs,
      '--out',
      join(dir, 'p'),
      '--plan'
    );
    expect(plan.code, plan.stderr).toBe(0);
    const p = JSON.parse(plan.stdout) as {
      tasks: { name: string; result: string; hash: string | null; done: boolean }[];
      tailColumns: string[];
    };
    expect(p.tasks.map(t => t.name)).toEqual(['soc50', 'broken', 'soc50-2']);
    expect(p.tasks[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(p.tasks[0].hash).toBe(p.tasks[2].hash);
    expect(p.tasks.every(t => !t.done)).toBe(true);
    expect(existsSync(join(dir, 'p'))).toBe(false); // nothing written
    expect(p.tailColumns).toContain('total_ms');
    // a negative value after its option, as `map` takes it
    const neg = await runCli(
      'batch',
      stacks[1],
      '--refs',
      refs,
      '--out',
      join(dir, 'p'),
      '--energy-shift',
      '-0.3',
      '--plan'
    );
    expect(neg.code, neg.stderr).toBe(0);
    expect((JSON.parse(neg.stdout) as typeof p).tasks[0].hash).not.toBe(p.tasks[0].hash);

    const t = await runCli(
      'batch',
      '--task',
      broken,
      '--refs',
      refs,
      '--out',
      join(dir, 'p'),
      '--name',
      'x',
      '--json'
    );
    expect(t.code).toBe(2);
    expect(JSON.parse(t.stdout)).toMatchObject({ name: 'x', status: 'failed' });
    expect(t.stderr).toMatch(/^stxm-phasemap: .*broken\.h5: not an HDF5 file/m);
  }, 60_000);

  it('per-stack references from the manifest; wrong arguments exit 2 with a reason', async () => {
    const m = join(dir, 'per-stack.csv');
    writeFileSync(m, `file,refs,name\n${stacks[2]},refs.csv,eighty\n`);
    const r = await runCli(
      'batch',
      '--manifest',
      m,
      '--out',
      join(dir, 'o2'),
      '--method',
      'pcc',
      '--json'
    );
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as BatchJson).rows[0]).toMatchObject({
      name: 'eighty',
      status: 'mapped',
      method: 'pcc'
    });
    expect(existsSync(join(dir, 'o2', 'eighty.h5'))).toBe(true);

    const noRefs = join(dir, 'no-refs.csv');
    writeFileSync(noRefs, `file\n${stacks[0]}\n`);
    const bad = await runCli('batch', '--manifest', noRefs, '--out', join(dir, 'o3'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no-refs\.csv line 2: no refs for .*soc20\.h5/);
    expect((await runCli('batch', stacks[0], '--out', join(dir, 'o3'))).stderr).toMatch(
      /--refs REFS\.csv is required/
    );
    expect((await runCli('batch', stacks[0], '--refs', refs)).stderr).toMatch(
      /--out DIR is required/
    );
    expect(
      (await runCli('batch', stacks[0], '--refs', refs, '--out', join(dir, 'o3'), '--jobs', '0'))
        .stderr
    ).toMatch(/--jobs must be a whole number/);
    const missing = await runCli(
      'batch',
      '--manifest',
      join(dir, 'nope.csv'),
      '--refs',
      refs,
      '--out',
      join(dir, 'o3')
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
  }, 60_000);
});
