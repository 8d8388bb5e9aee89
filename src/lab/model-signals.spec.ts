/**
 * The model's signals, one per concern: each intent is announced on its own
 * signal only, so a view that listens to what it draws redraws for nothing
 * else.
 */
import { describe, expect, it } from 'vitest';

import { runPipeline } from '../core/index.js';
import { simulateDemo } from '../core/simulate/demo.js';
import { WorkbenchModel } from './model.js';
import { demoReferenceSet } from './references.js';

const SIGNALS = [
  'stackChanged',
  'referencesChanged',
  'paramsChanged',
  'thresholdChanged',
  'preparedChanged',
  'prepareStateChanged',
  'runStateChanged',
  'progressChanged',
  'resultChanged',
  'roisChanged',
  'stateOfChargeChanged'
] as const;
type SignalName = (typeof SIGNALS)[number];

/** Every emission, in order, as `name` or `name:payload`. */
function record(model: WorkbenchModel): string[] {
  const log: string[] = [];
  for (const name of SIGNALS) {
    model[name].connect((_: unknown, payload: unknown) => {
      log.push(typeof payload === 'string' ? `${name}:${payload}` : name);
    });
  }
  return log;
}

const only = (log: string[]): SignalName[] => [
  ...new Set(log.map(e => e.split(':')[0] as SignalName))
];

describe('WorkbenchModel: one signal per concern', () => {
  const { stack } = simulateDemo({ ny: 12, nx: 16 });

  it('announces each intent on its own signal', () => {
    const model = new WorkbenchModel('a.h5');
    const log = record(model);
    model.setParams({ seed: 3 });
    expect(only(log)).toEqual(['paramsChanged']);
    log.length = 0;
    model.setReferences(demoReferenceSet());
    model.setReferenceColor(0, '#112233');
    model.setReferencesError('refs.csv: no energy column');
    expect(only(log)).toEqual(['referencesChanged']);
    log.length = 0;
    const roi = model.addRoi({ x0: 0, x1: 1, y0: 0, y1: 1 });
    model.removeRoi(roi.id);
    expect(only(log)).toEqual(['roisChanged']);
    log.length = 0;
    model.setStateOfCharge(0.5);
    expect(only(log)).toEqual(['stateOfChargeChanged']);
    log.length = 0;
    model.setThreshold(0.01);
    expect(log).toEqual(['thresholdChanged']); // no result to move, no parameter listener woken
    model.dispose();
  });

  it('a new stack: the old result and OD go, then the stack is announced', async () => {
    const model = new WorkbenchModel('a.h5', { method: 'pcc' });
    model.setStack(stack);
    model.setReferences(demoReferenceSet());
    await model.run((s, r, p) => runPipeline(s, r, p));
    const log = record(model);
    model.setStack(stack);
    expect(log).toEqual(['resultChanged', 'prepareStateChanged:idle', 'stackChanged']);
  });

  it('a run: running, its result (already done), then done; τ moves announce τ and the result', async () => {
    const model = new WorkbenchModel('a.h5', { method: 'pcc' });
    model.setStack(stack);
    model.setReferences(demoReferenceSet());
    const log = record(model);
    const states: string[] = [];
    model.resultChanged.connect(() => states.push(model.runState));
    await model.run((s, r, p, o) => runPipeline(s, r, p, o));
    expect(log[0]).toBe('runStateChanged:running');
    expect(log.filter(e => !e.startsWith('progressChanged')).slice(1)).toEqual([
      'resultChanged',
      'runStateChanged:done'
    ]);
    expect(states).toEqual(['done']); // the panel shows the maps of a finished run
    log.length = 0;
    model.previewThreshold(0.02);
    model.settleThreshold();
    expect(only(log)).toEqual(['thresholdChanged', 'resultChanged']);
  });

  it('pre-processing: running, the prepared stack (state done), then done', async () => {
    const model = new WorkbenchModel('a.h5');
    model.setStack(stack);
    const log = record(model);
    const { prepareStack } = await import('../core/preprocess/prepare.js');
    await model.prepare(async (s, p) => prepareStack(s, p));
    expect(log).toEqual([
      'prepareStateChanged:running',
      'preparedChanged',
      'prepareStateChanged:done'
    ]);
  });

  it('cancel: the run under way is cancelled at once, its late answer dropped', async () => {
    const model = new WorkbenchModel('a.h5', { method: 'pcc' });
    model.setStack(stack);
    model.setReferences(demoReferenceSet());
    let answer: () => void = () => undefined;
    const run = model.run(
      (s, r, p) => new Promise(resolve => (answer = () => resolve(runPipeline(s, r, p))))
    );
    model.cancel();
    expect(model.runState).toBe('cancelled');
    answer();
    await expect(run).rejects.toThrow(/cancel/i);
    expect(model.result).toBeNull();
    expect(model.runState).toBe('cancelled');
  });

  it('follows the stack, its pre-processing parameters and references with one debounced prepare', async () => {
    const model = new WorkbenchModel('a.h5');
    const calls: string[] = [];
    const { prepareStack } = await import('../core/preprocess/prepare.js');
    model.prepareAutomatically(async (s, p) => {
      calls.push(JSON.stringify(p.mask));
      return prepareStack(s, p);
    });
    model.setStack(stack);
    model.setParams({ preprocess: { mask: { mode: 'threshold', od: 0.1 } } });
    model.setParams({ seed: 4 }); // not a pre-processing parameter: nothing new
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(calls).toEqual(['{"mode":"threshold","od":0.1}']);
    expect(model.prepareState).toBe('done');
    model.setParams({ seed: 5 });
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(calls).toHaveLength(1);
    model.dispose();
  });
});
