import { describe, expect, it } from 'vitest';

import { runPipeline } from '../core/analysis/pipeline.js';
import {
  frameOf,
  maskedSpectrum,
  pixelSpectrum,
  rectSpectrum,
  type CubeStore
} from '../core/model/cube.js';
import { withDefaults } from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import { prepareStack } from '../core/preprocess/prepare.js';
import { simulateDemo } from '../core/simulate/demo.js';
import { simulateSample } from '../core/simulate/sample.js';
import { WorkbenchModel } from '../lab/model.js';
import { demoReferenceSet } from '../lab/references.js';
import { AnalysisWorkerClient } from './client.js';
import { ChannelComputeWorker } from './channel-worker.fixtures.js';
import { WorkerCubeStore } from './store.js';

const copy = (s: Stack): Stack => ({
  ...s,
  data: s.data.slice(),
  energies: s.energies.slice(),
  x: s.x.slice(),
  y: s.y.slice(),
  control: s.control?.slice()
});

describe('the stack worker: the cube lives there, the page asks for frames and spectra', () => {
  const demo = simulateDemo({ seed: 2, ny: 12, nx: 16 }).stack;
  const params = withDefaults({}).preprocess;

  it('takes the stack by transfer and answers frames and spectra equal to those computed directly', async () => {
    const workers: ChannelComputeWorker[] = [];
    const store: CubeStore = new WorkerCubeStore(() => {
      const w = new ChannelComputeWorker();
      workers.push(w);
      return w;
    });
    const page = copy(demo);
    await store.put(page);
    // moved, not copied: the page's buffers are empty now
    expect(page.data.length).toBe(0);
    expect(page.control?.length ?? 0).toBe(0);

    const [ne, ny, nx] = [demo.energies.length, demo.y.length, demo.x.length];
    expect(Array.from(await store.frame('raw', 3))).toEqual(
      Array.from(frameOf(demo.data, ny, nx, 3))
    );
    expect(Array.from(await store.spectrum('raw', 5, 7))).toEqual(
      Array.from(pixelSpectrum(demo.data, ne, ny, nx, 5, 7))
    );
    const box = { x0: 2, x1: 9, y0: 1, y1: 6 };
    expect(Array.from(await store.meanSpectrum('raw', box))).toEqual(
      Array.from(rectSpectrum(demo.data, ne, ny, nx, box))
    );

    const refs = demoReferenceSet();
    const meta = await store.prepare(params, refs);
    const direct = prepareStack(demo, params, refs);
    expect(meta.stack.shape).toEqual([
      direct.stack.energies.length,
      direct.stack.y.length,
      direct.stack.x.length
    ]);
    // the description comes without the OD cube
    expect('data' in meta.stack).toBe(false);
    expect(Array.from(meta.mask)).toEqual(Array.from(direct.mask));
    const [pe, py, px] = meta.stack.shape;
    expect(Array.from(await store.frame('od', 1))).toEqual(
      Array.from(frameOf(direct.stack.data, py, px, 1))
    );
    expect(Array.from(await store.spectrum('od', 4, 4))).toEqual(
      Array.from(pixelSpectrum(direct.stack.data, pe, py, px, 4, 4))
    );
    expect(Array.from(await store.meanSpectrum('od', 'mask'))).toEqual(
      Array.from(maskedSpectrum(direct.stack.data, pe, direct.mask))
    );

    // a run is done in the stack worker, on the OD it holds: what a run on the stack itself answers
    const prepares: number[] = [];
    const inPlace = await store.runInPlace!(
      refs,
      { method: 'pcc' },
      {
        onProgress: ev => ev.stage === 'prepare' && ev.fraction === 0 && prepares.push(1)
      }
    );
    // (one 'prepare' event: the pipeline's own, on the OD held; none for pre-processing again)
    expect(prepares.length).toBe(1);
    const directRun = await runPipeline(copy(demo), refs, { method: 'pcc' });
    expect(Array.from(inPlace.phase)).toEqual(Array.from(directRun.phase));
    expect(Array.from(inPlace.pcc)).toEqual(Array.from(directRun.pcc));
    // other pre-processing: prepared again there first, with the same answer as a run from the raw stack
    const binned = { method: 'pcc' as const, preprocess: { ...params, binning: 2 } };
    const again: number[] = [];
    const rebinned = await store.runInPlace!(refs, binned, {
      onProgress: ev => ev.stage === 'prepare' && ev.fraction === 0 && again.push(1)
    });
    expect(again.length).toBe(2);
    const directBinned = await runPipeline(copy(demo), refs, binned);
    expect(Array.from(rebinned.phase)).toEqual(Array.from(directBinned.phase));
    // …and the worker still holds the raw stack, untouched by either run
    expect(Array.from(await store.frame('raw', 0))).toEqual(
      Array.from(frameOf(demo.data, ny, nx, 0))
    );
    expect(Array.from(await store.spectrum('raw', 5, 7))).toEqual(
      Array.from(pixelSpectrum(demo.data, ne, ny, nx, 5, 7))
    );
    // no cube crossed: every request went to the one stack worker, none was a 'run'
    expect(workers[0].received.map(r => r.kind)).not.toContain('run');
    expect(workers.length).toBe(1);
    store.dispose();
    expect(workers[0].terminated).toBe(true);
  });

  it('a run from the reused OD of a drifting stack whose references came after it: the same result as from the raw stack', async () => {
    const sample = simulateSample({
      material: 'nvpf',
      morphology: 'grains',
      seed: 4,
      driftPx: 0.3,
      energyOffsetEv: 0.3
    });
    const factory = (): ChannelComputeWorker => new ChannelComputeWorker();
    const client = new AnalysisWorkerClient(factory, factory);
    const model = new WorkbenchModel('d.h5', {}, client.createStore());
    await model.load(async () => copy(sample.stack));
    await model.prepare(); // without references, as a workbench does before they load
    model.setReferences(sample.references);
    await model.prepare();
    const prepares: number[] = [];
    model.progressChanged.connect((_, ev) => {
      if (ev.stage === 'prepare' && ev.fraction === 0) {
        prepares.push(1);
      }
    });
    const result = await model.run();
    // the OD on screen was reused: the pipeline's own 'prepare', none for pre-processing again
    expect(prepares.length).toBe(1);
    const direct = await runPipeline(copy(sample.stack), sample.references, model.runParams());
    // aligned, so cropped: the crop is said relative to the file's grid, as a run from the raw stack says it
    expect(direct.crop).toBeDefined();
    expect(result.crop).toEqual(direct.crop);
    expect(result.shape).toEqual(direct.shape);
    expect(Array.from(result.phase)).toEqual(Array.from(direct.phase));
    expect(result.counts).toEqual(direct.counts);
    model.dispose();
  }, 60_000);

  it('a crashed stack worker fails what waits and every later request with one clear message', async () => {
    let worker: ChannelComputeWorker | undefined;
    const store = new WorkerCubeStore(() => (worker = new ChannelComputeWorker()));
    await store.put(copy(demo));
    worker!.crash('Out of memory');
    await expect(store.frame('raw', 0)).rejects.toThrow(
      'the stack worker failed (Out of memory); close and reopen the file'
    );
    await expect(store.spectrum('raw', 0, 0)).rejects.toThrow(/stack worker failed/);
  });

  it('the page model holds no array of the cube’s size; a run is done in the stack worker', async () => {
    const workers: ChannelComputeWorker[] = [];
    const factory = (): ChannelComputeWorker => {
      const w = new ChannelComputeWorker();
      workers.push(w);
      return w;
    };
    const client = new AnalysisWorkerClient(factory, factory);
    const model = new WorkbenchModel('a.h5', { method: 'pcc' }, client.createStore());
    const refs = demoReferenceSet();
    model.setReferences(refs);
    await model.load(async () => copy(demo));
    await model.prepare();
    expect(model.prepared).not.toBeNull();

    const cubeLength = demo.energies.length * demo.y.length * demo.x.length;
    const arrays: ArrayBufferView[] = [];
    const walk = (v: unknown, depth: number): void => {
      if (ArrayBuffer.isView(v)) {
        arrays.push(v);
      } else if (v && typeof v === 'object' && depth < 5) {
        Object.values(v).forEach(x => walk(x, depth + 1));
      }
    };
    walk(model.stack, 0);
    walk(model.prepared, 0);
    expect(arrays.length).toBeGreaterThan(0);
    // axes, I0, shifts, the mask (one frame's size) — never a cube
    for (const a of arrays) {
      expect((a as Float32Array).length).toBeLessThan(cubeLength / 2);
    }

    // the run is done where the cube is: no cube crosses to another worker or to the page
    const result = await model.run();
    expect(workers.flatMap(w => w.received.map(r => r.kind))).not.toContain('run');
    expect(workers.flatMap(w => w.received.map(r => r.kind))).toContain('store-run');
    // and the run answers what a run on the stack itself answers
    const direct = await runPipeline(copy(demo), refs, { method: 'pcc' });
    expect(Array.from(result.phase)).toEqual(Array.from(direct.phase));
    expect(Array.from(result.pcc)).toEqual(Array.from(direct.pcc));
    model.dispose();
  });
});
