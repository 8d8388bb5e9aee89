import { describe, expect, it } from 'vitest';

import { simulateDemo } from '../core/simulate/demo.js';
import { WorkbenchModel } from './model.js';

describe('WorkbenchModel', () => {
  it('goes loading → ready and describes the stack', async () => {
    const model = new WorkbenchModel('a.h5');
    const seen: string[] = [];
    model.stackChanged.connect(() => seen.push(model.status));
    const { stack } = simulateDemo({ ny: 8, nx: 10 });
    await model.load(async () => stack);
    expect(seen).toEqual(['loading', 'ready']);
    expect(model.info?.shape).toEqual([12, 8, 10]);
    expect(model.error).toBeNull();
  });

  it('keeps the stack it had when a reload fails, and reports the error', async () => {
    const model = new WorkbenchModel('a.h5');
    const { stack } = simulateDemo({ ny: 8, nx: 10 });
    await model.load(async () => stack);
    await model.load(async () => {
      throw new Error('a.h5: not an HDF5 file');
    });
    expect(model.status).toBe('error');
    expect(model.error).toBe('a.h5: not an HDF5 file');
    expect(model.stack).toBe(stack);
  });
});

import { prepareStack, runPipeline, type PhaseMapResult } from '../core/index.js';
import { demoReferenceSet } from './references.js';

describe('WorkbenchModel: preparation, references, ROIs, runs', () => {
  const { stack } = simulateDemo({ ny: 12, nx: 16 });

  it('prepares the OD with its parameters; a newer prepare supersedes an older one', async () => {
    const model = new WorkbenchModel('a.h5');
    model.setStack(stack);
    const seen: (object | null)[] = [];
    model.preparedChanged.connect((_, p) => seen.push(p));
    let release: () => void = () => undefined;
    const slow = model.prepare(
      (s, p) => new Promise(resolve => (release = () => resolve(prepareStack(s, p))))
    );
    const fast = await model.prepare(async (s, p) => prepareStack(s, p));
    release();
    expect(await slow).toBeNull(); // superseded
    expect(fast?.stack.metadata.quantity).toBe('optical density');
    expect(model.prepared).toBe(fast);
    expect(model.prepareState).toBe('done');
    expect(seen).toEqual([fast]);
  });

  it('knows where its references came from, and when they were edited since', () => {
    const model = new WorkbenchModel('a.h5');
    expect(model.referencesOrigin).toBeNull();
    model.setReferences(demoReferenceSet(), { files: ['data/refs.csv'] });
    expect(model.referencesOrigin).toEqual({
      files: ['data/refs.csv'],
      edited: false,
      source: 'simulator model spectra (NVPF)'
    });
    model.setReferenceColor(0, '#aa0011'); // a colour changes no result
    expect(model.referencesOrigin?.edited).toBe(false);
    model.renameReference(0, 'Na3 (pristine)');
    expect(model.referencesOrigin?.edited).toBe(true);
    model.setReferences(demoReferenceSet()); // uploaded, model spectra, from Python: no file
    expect(model.referencesOrigin).toMatchObject({ files: [], edited: false });
  });

  it('a failed prepare keeps the previous OD and reports the error', async () => {
    const model = new WorkbenchModel('a.h5');
    model.setStack(stack);
    const good = await model.prepare(async (s, p) => prepareStack(s, p));
    await model.prepare(async () => {
      throw new Error('a.h5: I0 at 512 eV is 0');
    });
    expect(model.prepared).toBe(good);
    expect(model.prepareState).toBe('failed');
    expect(model.prepareError).toBe('a.h5: I0 at 512 eV is 0');
  });

  it('renames a reference and the phase of the result; refuses empty and duplicate names', async () => {
    const model = new WorkbenchModel('a.h5', { method: 'pcc' });
    model.setStack(stack);
    model.setReferences(demoReferenceSet());
    const result = await model.run((s, r, p) => runPipeline(s, r, p));
    expect(result.phaseNames).toEqual(['Na3', 'Na1']);
    const emitted: (PhaseMapResult | null)[] = [];
    model.resultChanged.connect((_, r) => emitted.push(r));
    model.renameReference(1, '  NaV2(PO4)2F3 <b>x</b> ');
    expect(model.references?.spectra[1].name).toBe('NaV2(PO4)2F3 <b>x</b>');
    expect(model.result?.phaseNames).toEqual(['Na3', 'NaV2(PO4)2F3 <b>x</b>']);
    expect(model.result?.pcc).toBe(result.pcc); // same maps, new names
    expect(emitted).toHaveLength(1);
    expect(() => model.renameReference(0, '')).toThrow(/needs a name/);
    expect(() => model.renameReference(0, 'NaV2(PO4)2F3 <b>x</b>')).toThrow(/already named/);
    model.setReferenceColor(0, '#123456');
    expect(model.references?.spectra[0].color).toBe('#123456');
    model.setReferenceColor(0, 'red; background:url(x)');
    expect(model.references?.spectra[0].color).toBe('#123456');
  });

  it('keeps ROIs with fresh ids, also after a restore', () => {
    const model = new WorkbenchModel('a.h5');
    const a = model.addRoi({ x0: 0, x1: 0.1, y0: 0, y1: 0.1 });
    const b = model.addRoi({ x0: 0.2, x1: 0.3, y0: 0, y1: 0.1 });
    expect([a.name, b.name]).toEqual(['ROI 1', 'ROI 2']);
    expect(a.color).not.toBe(b.color);
    model.removeRoi(a.id);
    expect(model.rois.map(r => r.id)).toEqual([b.id]);
    const other = new WorkbenchModel('a.h5');
    other.restoreRois(model.rois);
    expect(other.addRoi({ x0: 0, x1: 1, y0: 0, y1: 1 }).id).toBe(b.id + 1);
  });

  it('collects the loss curve from progress; a failed run keeps the previous result', async () => {
    const model = new WorkbenchModel('a.h5', { method: 'pcc' });
    model.setStack(stack);
    model.setReferences(demoReferenceSet());
    const first = await model.run((s, r, p) => runPipeline(s, r, p));
    await expect(
      model.run(async (_s, _r, _p, { onProgress }) => {
        onProgress({ stage: 'train', fraction: 0.1, epoch: 1, loss: 3, valLoss: 3.5 });
        onProgress({ stage: 'train', fraction: 0.2, epoch: 2, loss: 2 });
        throw new Error('training diverged (NaN loss)');
      })
    ).rejects.toThrow(/diverged/);
    expect(model.lossHistory).toEqual([
      { epoch: 1, loss: 3, valLoss: 3.5 },
      { epoch: 2, loss: 2, valLoss: undefined }
    ]);
    expect(model.runState).toBe('failed');
    expect(model.runError).toBe('training diverged (NaN loss)');
    expect(model.result).toBe(first);
  });

  it('moves τ on the result without new correlations', async () => {
    const model = new WorkbenchModel('a.h5', { method: 'pcc', threshold: 0.001 });
    model.setStack(stack);
    model.setReferences(demoReferenceSet());
    const first = await model.run((s, r, p) => runPipeline(s, r, p));
    const moved = model.setThreshold(0.2)!;
    expect(moved.pcc).toBe(first.pcc);
    expect(moved.threshold).toBe(0.2);
    expect(model.params.threshold).toBe(0.2);
    expect(moved.counts.ambiguous).toBeGreaterThanOrEqual(first.counts.ambiguous);
  });
});

describe('WorkbenchModel: automatic energy calibration', () => {
  it('runs with the parameters as set, and finds the shift the pre-processing showed', async () => {
    const { stack } = simulateDemo({ ny: 16, nx: 20 });
    const model = new WorkbenchModel('a.h5', { method: 'pcc' });
    model.setStack(stack);
    model.setReferences(demoReferenceSet());
    expect(model.runParams().preprocess.energyShift).toBe('auto');
    const prepared = await model.prepare(async (s, p, r) => prepareStack(s, p, r));
    expect(prepared).not.toBeNull();
    expect(model.runParams()).toBe(model.params);
    const result = await model.run((s, r, p) => runPipeline(s, r, p));
    expect(result.params.preprocess.energyShift).toBe('auto');
    const step = result.provenance.find(s => s.step === 'energy shift')?.details;
    expect(step?.shiftEv).toBe(prepared!.energyShiftEv);
  });
});

import { applyThreshold } from '../core/analysis/threshold.js';
import { simulateSample } from '../core/simulate/sample.js';

describe('WorkbenchModel: τ in two steps', () => {
  const sample = simulateSample({ morphology: 'grains', ny: 24, nx: 24, i0: 1000, seed: 4 });

  it('shows the final map first, then confidence and flags; readers of `result` never see the first step', async () => {
    const model = new WorkbenchModel('a.h5', { method: 'gmvae', seed: 1, gmvae: { epochs: 5 } });
    model.setStack(sample.stack);
    model.setReferences(sample.references);
    const first = await model.run((s, r, p) => runPipeline(s, r, p));
    const expected = applyThreshold(first, 0.03);
    const emitted: (PhaseMapResult | null)[] = [];
    model.resultChanged.connect((_, r) => emitted.push(r));

    const preview = model.previewThreshold(0.03)!;
    expect(emitted).toEqual([preview]);
    expect(Array.from(preview.phase)).toEqual(Array.from(expected.phase));
    expect(preview.confidence).toBe(first.confidence); // not yet
    expect(model.shownResult).toBe(preview);
    expect(model.settleThreshold()).toBe(true);
    expect(emitted).toHaveLength(2);
    expect(Array.from(model.shownResult!.confidence)).toEqual(Array.from(expected.confidence));
    expect(model.settleThreshold()).toBe(false); // nothing left

    // a reader between the steps gets the complete result; the views still hear of it
    model.previewThreshold(0.01);
    const complete = model.result!;
    expect(Array.from(complete.confidence)).toEqual(
      Array.from(applyThreshold(first, 0.01).confidence)
    );
    expect(model.settleThreshold()).toBe(true);
    expect(emitted[emitted.length - 1]).toBe(complete);
    expect(model.params.threshold).toBe(0.01);
  });
});

describe('WorkbenchModel: parameters are checked before they are stored', () => {
  it('refuses a value out of range, names it, and keeps what it had', () => {
    const model = new WorkbenchModel('a.h5');
    model.setParams({ gmvae: { epochs: 30 } });
    const before = model.params;
    let changes = 0;
    model.paramsChanged.connect(() => changes++);
    expect(() => model.setParams({ gmvae: { epochs: 0 } })).toThrow(
      /parameter gmvae.epochs must be an integer in 1…5000, not 0/
    );
    expect(() => model.setParams({ method: 'rm -rf' as 'pcc' })).toThrow(/parameter method/);
    expect(() => model.setParams({ preprocess: { energyShift: 40 } })).toThrow(/energyShift/);
    expect(model.params).toBe(before);
    expect(changes).toBe(0);
    model.setParams({ preprocess: { energyShift: 'off' as unknown as number } });
    expect(model.params.preprocess.energyShift).toBe(0);
  });
});
