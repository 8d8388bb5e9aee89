/**
 * A workbench reads an HDF5 stack with its ring current applied (the
 * current is then never a cube in the stack worker), and reads the file
 * again, as it is, when the user turns ring-current normalisation off.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runPipeline } from '../core/analysis/pipeline.js';
import type { H5Runtime } from '../core/io/h5.js';
import { writeNxstxm } from '../core/io/nxstxm-write.js';
import { readStack } from '../core/io/read.js';
import { prepareStack } from '../core/preprocess/prepare.js';
import { simulateSample } from '../core/simulate/sample.js';
import { nodeRuntime, tempDir } from '../test-setup/fixtures.js';
import { AnalysisWorkerClient } from '../worker/client.js';
import { ChannelComputeWorker } from '../worker/channel-worker.fixtures.js';
import { WorkbenchModel, type StackSource } from './model.js';

let rt: H5Runtime;
let dir: string;
beforeAll(async () => {
  rt = await nodeRuntime();
  dir = tempDir('stxm-model-ring-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the workbench and the ring current', () => {
  it('reads with the current applied; turning normalisation off reads the file again, keeping the result', async () => {
    const sample = simulateSample({ nx: 40, ny: 32, seed: 6 });
    expect(sample.stack.control).toBeDefined();
    const path = join(dir, 'ring.h5');
    writeNxstxm(rt, path, sample.stack);
    const asked: boolean[] = [];
    const source: StackSource = async (_onProgress, { applyRingCurrent }) => {
      asked.push(applyRingCurrent);
      return readStack(rt, path, 'ring.h5', { applyRingCurrent });
    };
    const factory = (): ChannelComputeWorker => new ChannelComputeWorker();
    const client = new AnalysisWorkerClient(factory, factory);
    const model = new WorkbenchModel('ring.h5', { method: 'pcc' }, client.createStore());
    model.setReferences(sample.references);

    await model.load(source);
    expect(asked).toEqual([true]);
    expect(model.stack?.ringCurrentApplied?.meanCurrent).toBeGreaterThan(0);
    expect(model.stack?.hasControl).toBe(false);
    expect(model.info?.hasRingCurrent).toBe(true);
    expect(model.info?.ringCurrentApplied).toBe(model.stack?.ringCurrentApplied?.meanCurrent);
    const whole = readStack(rt, path, 'ring.h5');
    await model.prepare();
    const od = prepareStack(whole, model.params.preprocess, sample.references);
    expect(model.prepared?.mask).toEqual(od.mask);
    expect(Array.from(await model.cube.frame('od', 2))).toEqual(
      Array.from(od.stack.data.subarray(2 * 32 * 40, 3 * 32 * 40))
    );
    const first = await model.run();
    expect(Array.from(first.phase)).toEqual(
      Array.from((await runPipeline(whole, sample.references, { method: 'pcc' })).phase)
    );

    // off: read again as it is, the result kept; pre-processing and runs follow the new stack
    let results = 0;
    model.resultChanged.connect(() => results++);
    model.setParams({ preprocess: { ringCurrent: false } });
    const prepared = await model.prepare();
    expect(asked).toEqual([true, false]);
    expect(model.stack?.ringCurrentApplied).toBeUndefined();
    expect(model.stack?.hasControl).toBe(true);
    expect(model.info?.ringCurrentApplied).toBeNull();
    expect(model.result).toBe(first);
    expect(results).toBe(0);
    expect(model.status).toBe('ready');
    expect(prepared).not.toBeNull();
    expect(model.prepareState).toBe('done');
    const off = { method: 'pcc' as const, preprocess: { ringCurrent: false } };
    const odOff = prepareStack(whole, { ...model.params.preprocess }, sample.references);
    expect(Array.from(await model.cube.frame('od', 2))).toEqual(
      Array.from(odOff.stack.data.subarray(2 * 32 * 40, 3 * 32 * 40))
    );
    const second = await model.run();
    expect(Array.from(second.pcc)).toEqual(
      Array.from((await runPipeline(whole, sample.references, off)).pcc)
    );
    // the raw counts are the file's now
    expect(Array.from(await model.cube.frame('raw', 1))).toEqual(
      Array.from(whole.data.subarray(32 * 40, 2 * 32 * 40))
    );

    // on again: the control cube is there, nothing to read
    model.setParams({ preprocess: { ringCurrent: true } });
    await model.prepare();
    expect(asked).toEqual([true, false]);
    model.dispose();
  }, 60_000);

  it('a run asked for right after turning normalisation off waits for the file read again', async () => {
    const sample = simulateSample({ nx: 24, ny: 20, seed: 2 });
    const path = join(dir, 'ring-run.h5');
    writeNxstxm(rt, path, sample.stack);
    const source: StackSource = async (_p, { applyRingCurrent }) =>
      readStack(rt, path, 'ring-run.h5', { applyRingCurrent });
    const factory = (): ChannelComputeWorker => new ChannelComputeWorker();
    const client = new AnalysisWorkerClient(factory, factory);
    const model = new WorkbenchModel('ring-run.h5', { method: 'pcc' }, client.createStore());
    model.setReferences(sample.references);
    await model.load(source);
    model.setParams({ preprocess: { ringCurrent: false } });
    // not refused ("the ring current was applied as the file was read"): done on the file as it is
    const result = await model.run();
    const whole = readStack(rt, path, 'ring-run.h5');
    const direct = await runPipeline(whole, sample.references, model.runParams());
    expect(Array.from(result.pcc)).toEqual(Array.from(direct.pcc));
    expect(result.provenance.find(p => p.step === 'ring current')?.details.applied).toBe(false);
    model.dispose();
  }, 60_000);
});
