/**
 * The comm methods against a real WorkbenchModel and the real pipeline. Only
 * JupyterLab's services are stood in for (tracker, contents); the Galata tests
 * run these methods in JupyterLab.
 */
import { describe, expect, it } from 'vitest';

import { runPipeline } from '../core/index.js';
import { simulateDemo, type DemoOptions } from '../core/simulate/demo.js';
import { CommMethods, type MethodRequest } from './comm-methods.js';
import { WorkbenchModel } from './model.js';
import { outArray, type InArray, type JSONObject } from './protocol-arrays.js';

function workbench(path: string): {
  context: { path: string };
  model: WorkbenchModel;
  run: () => unknown;
} {
  const model = new WorkbenchModel(path);
  model.setStack(simulateDemo({ seed: 3, ny: 20, nx: 24 }).stack);
  return {
    context: { path },
    model,
    run: () => model.run((s, r, p, o) => runPipeline(s, r, p, o))
  };
}

function setup(paths: string[] = ['a.h5', 'b.h5']) {
  const docs = paths.map(workbench);
  const tracker = {
    currentWidget: docs[docs.length - 1] ?? null,
    forEach: (fn: (d: unknown) => void) => docs.forEach(fn),
    find: (fn: (d: (typeof docs)[0]) => boolean) => docs.find(fn)
  };
  const methods = new CommMethods({
    tracker: tracker as never,
    docManager: {} as never,
    contents: {
      // the server's root folder: only listings are asked for (a missing path is a 404)
      get: async (p: string, o?: { type?: string }) =>
        p === '' && o?.type === 'directory'
          ? {
              type: 'directory',
              content: [
                { name: 'exists.h5', type: 'file' },
                { name: 'some_folder', type: 'directory' },
                { name: 'paths.ipynb', type: 'notebook' },
                { name: 'notes.txt', type: 'file' }
              ]
            }
          : Promise.reject(new Error(`404: ${p}`))
    } as never,
    serverSettings: {} as never,
    // what the worker does for `simulate` (the worker itself runs in the Galata tests)
    worker: () => ({ simulateArrays: async (o: DemoOptions) => simulateDemo(o) }) as never
  });
  const signal = new AbortController().signal;
  const call = (
    method: MethodRequest['method'],
    params: JSONObject = {},
    arrays: Record<string, InArray> = {}
  ) => methods.call({ id: 'r', method, params, arrays }, { signal, progress: () => undefined });
  return { docs, call };
}

const CSV = [
  'energy_eV,Na3,Na1',
  ...Array.from(
    { length: 46 },
    (_, i) => `${505 + i},${Math.sin(i / 5) + 2},${Math.cos(i / 7) + 2}`
  )
].join('\n');

describe('CommMethods', () => {
  it('lists workbenches and sends stacks of the chosen one', async () => {
    const { call } = setup();
    const list = (await call('list_workbenches')).json.workbenches as JSONObject[];
    expect(list.map(w => [w.path, w.current, w.status])).toEqual([
      ['a.h5', false, 'ready'],
      ['b.h5', true, 'ready']
    ]);
    const stack = await call('get_stack', { path: 'a.h5' });
    expect(stack.json.path).toBe('a.h5');
    expect(stack.arrays!.data.shape).toEqual([12, 20, 24]);
    await expect(call('get_stack', { path: 'zzz.h5' })).rejects.toThrow(
      /no STXM workbench is open for "zzz.h5"/
    );
  });

  it('sets references from CSV text and from arrays, with the reader’s errors', async () => {
    const { docs, call } = setup();
    const r = await call('set_references', { csv: CSV, source: 'refs.csv', path: 'a.h5' });
    expect(r.json.names).toEqual(['Na3', 'Na1']);
    expect(docs[0].model.references!.source).toBe('refs.csv');
    const e = outArray(Float64Array.from([500, 550]), [2]);
    await call(
      'set_references',
      { names: ['X', 'Y'] },
      { 'energies:0': e, 'values:0': e, 'energies:1': e, 'values:1': e }
    );
    expect(docs[1].model.references!.spectra.map(s => s.name)).toEqual(['X', 'Y']);
    await expect(
      call('set_references', { csv: 'energy_eV,A\n1,x', source: 'bad.csv' })
    ).rejects.toThrow(/bad.csv: line 2, column "A": "x" is not a number/);
    await expect(
      call(
        'set_references',
        { names: ['X', 'X'] },
        { 'energies:0': e, 'values:0': e, 'energies:1': e, 'values:1': e }
      )
    ).rejects.toThrow(/two references are named "X"/);
    const back = await call('get_references', { path: 'a.h5' });
    expect(back.json.names).toEqual(['Na3', 'Na1']);
  });

  it('runs the pipeline with validated parameters and returns every array', async () => {
    const { docs, call } = setup();
    await expect(call('get_result', { path: 'a.h5' })).rejects.toThrow(/no result yet/);
    await expect(call('run', { path: 'a.h5', params: { method: 'pcc' } })).rejects.toThrow(
      /no reference spectra/
    );
    await call('set_references', { csv: CSV, source: 'refs.csv', path: 'a.h5' });
    await expect(call('run', { path: 'a.h5', params: { epoch: 3 } })).rejects.toThrow(
      /unknown parameter/
    );
    const res = await call('run', { path: 'a.h5', params: { method: 'pcc', threshold: 0.01 } });
    expect(res.json.threshold).toBe(0.01);
    expect(res.arrays!.phase.shape).toEqual([20, 24]);
    expect(docs[0].model.params.threshold).toBe(0.01);
    const again = await call('get_result', { path: 'a.h5' });
    expect(Array.from(again.arrays!.phase.values)).toEqual(Array.from(res.arrays!.phase.values));
  });

  it('simulates particles whose charged share follows the state of charge', async () => {
    const { call } = setup();
    const shares = [];
    for (const soc of [0.1, 0.5, 0.9]) {
      const sim = await call('simulate', { soc, seed: 2, ny: 40, nx: 50 });
      const truth = sim.arrays!.truth_phase.values as Int16Array;
      const inside = truth.filter(v => v >= 0);
      shares.push(inside.filter(v => v === 1).length / inside.length);
      expect(sim.arrays!.data.shape).toEqual([12, 40, 50]);
      expect(sim.arrays!['values:1'].shape).toEqual([181]);
    }
    expect(shares[0]).toBeLessThan(shares[1]);
    expect(shares[1]).toBeLessThan(shares[2]);
    expect(Math.abs(shares[1] - 0.5)).toBeLessThan(0.15);
  });

  it('refuses files that do not exist or would be overwritten', async () => {
    const { call } = setup();
    await expect(call('open', { path: 'nope.h5' })).rejects.toThrow(/nope.h5: no such file/);
    const cube = {
      data: outArray(new Float32Array(8), [2, 2, 2]),
      energies: outArray(Float64Array.from([1, 2]), [2]),
      x: outArray(Float64Array.from([0, 1]), [2]),
      y: outArray(Float64Array.from([0, 1]), [2])
    };
    await expect(call('open_arrays', { path: 'exists.h5' }, cube)).rejects.toThrow(
      /exists already; pass overwrite=True/
    );
    await expect(call('get_stack', {}, cube)).rejects.toThrow(/takes no arrays/);
  });

  it('refuses to open folders, notebooks and other files before JupyterLab is asked', async () => {
    const { call } = setup();
    const refused = async (path: string) => {
      const err = (await call('open', { path }).catch((e: unknown) => e)) as {
        kind: string;
        message: string;
      };
      return `${err.kind}: ${err.message}`;
    };
    expect(await refused('some_folder')).toBe(
      'invalid-request: some_folder is a folder, not an STXM stack file'
    );
    expect(await refused('paths.ipynb')).toMatch(
      /^invalid-request: paths.ipynb is not an STXM stack file \(a notebook; stacks end with \.hdf5, /
    );
    expect(await refused('notes.txt')).toMatch(/^invalid-request: notes.txt is not an STXM stack/);
    expect(await refused('missing/x.h5')).toBe(
      'not-found: missing/x.h5: no such file on the Jupyter server'
    );
  });
});
