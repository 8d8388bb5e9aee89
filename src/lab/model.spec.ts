import { describe, expect, it } from 'vitest';

import { simulateDemo } from '../core/simulate/demo.js';
import { WorkbenchModel } from './model.js';

describe('WorkbenchModel', () => {
  it('goes loading → ready and describes the stack', async () => {
    const model = new WorkbenchModel('a.h5');
    const seen: string[] = [];
    model.changed.connect(() => seen.push(model.status));
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
