import { afterEach, describe, expect, it, vi } from 'vitest';

import { Task } from './task.js';

describe('Task', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers when current; a newer attempt supersedes (and aborts) an older one', async () => {
    const task = new Task<number>();
    let release: (v: number) => void = () => undefined;
    let firstSignal: AbortSignal | null = null;
    const first = task.run(({ signal }) => {
      firstSignal = signal;
      return new Promise<number>(resolve => (release = resolve));
    });
    expect(task.running).toBe(true);
    const second = await task.run(async () => 2);
    release(1);
    expect(await first).toEqual({ status: 'superseded' });
    expect(second).toEqual({ status: 'done', value: 2 });
    expect(firstSignal!.aborted).toBe(true);
    expect(task.running).toBe(false);
  });

  it('reports a failure of the current attempt, and of a superseded one', async () => {
    const task = new Task<number>();
    const boom = new Error('boom');
    expect(
      await task.run(async () => {
        throw boom;
      })
    ).toEqual({ status: 'failed', error: boom });
    const late = task.run(
      ({ signal }) =>
        new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(boom)))
    );
    expect(task.cancel()).toBe(true);
    expect(await late).toEqual({ status: 'superseded', error: boom });
    expect(task.cancel()).toBe(false);
  });

  it('schedules once per distinct key, after a quiet delay', () => {
    vi.useFakeTimers();
    const task = new Task<number>();
    const starts: number[] = [];
    const a = {};
    task.schedule([a, 'x'], 150, () => starts.push(1));
    vi.advanceTimersByTime(100);
    task.schedule([a, 'x'], 150, () => starts.push(2)); // same key: the first stands
    vi.advanceTimersByTime(60);
    expect(starts).toEqual([1]);
    task.schedule([a, 'y'], 150, () => starts.push(3));
    task.schedule([a, 'z'], 150, () => starts.push(4)); // a newer key restarts the delay
    vi.advanceTimersByTime(149);
    expect(starts).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(starts).toEqual([1, 4]);
    task.schedule([a, 'w'], 150, () => starts.push(5));
    task.dispose();
    vi.advanceTimersByTime(500);
    expect(starts).toEqual([1, 4]);
  });
});
