import { describe, expect, it } from 'vitest';

import { AnalysisWorkerClient, RECYCLE_AFTER_BYTES, type WorkerLike } from './client.js';
import type { ReferenceSet } from '../core/model/references.js';
import type { Stack } from '../core/model/stack.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/**
 * A stand-in for the browser's Worker (Node has none): answers each request
 * on a later task, as a worker does, and records its life. What is tested is
 * the client's bookkeeping of its shared worker, not the analysis.
 */
class EchoWorker implements WorkerLike {
  terminated = false;
  readonly requests: WorkerRequest[] = [];
  private readonly listeners: ((ev: MessageEvent<WorkerResponse>) => void)[] = [];
  private held: WorkerRequest[] = [];
  hold = false;

  postMessage(message: unknown): void {
    const req = message as WorkerRequest;
    this.requests.push(req);
    if (this.hold) {
      this.held.push(req);
    } else {
      setTimeout(() => this.answer(req), 0);
    }
  }

  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) {
      setTimeout(() => this.answer(r), 0);
    }
  }

  addEventListener(type: 'message' | 'error', listener: (ev: never) => void): void {
    if (type === 'message') {
      this.listeners.push(listener as (ev: MessageEvent<WorkerResponse>) => void);
    }
  }

  terminate(): void {
    this.terminated = true;
  }

  private answer(req: WorkerRequest): void {
    if (this.terminated) {
      return;
    }
    const res = { id: req.id, ok: true, kind: 'file', bytes: new ArrayBuffer(4) } as WorkerResponse;
    for (const l of this.listeners) {
      l({ data: res } as MessageEvent<WorkerResponse>);
    }
  }
}

function client(): { c: AnalysisWorkerClient; made: EchoWorker[] } {
  const made: EchoWorker[] = [];
  const c = new AnalysisWorkerClient(() => {
    const w = new EchoWorker();
    made.push(w);
    return w;
  });
  return { c, made };
}

describe('AnalysisWorkerClient: the shared worker after large HDF5 work', () => {
  it('keeps the worker after small requests', async () => {
    const { c, made } = client();
    await c.simulateDemo(1);
    await expect(c.readStack('a.h5', new ArrayBuffer(1024))).rejects.toThrow(/no stack/);
    expect(made).toHaveLength(1);
    expect(made[0].terminated).toBe(false);
    expect(c.hasSharedWorker).toBe(true);
  });

  it('replaces it once idle after reading a file larger than the limit', async () => {
    const { c, made } = client();
    await c.simulateDemo(1);
    const big = new ArrayBuffer(RECYCLE_AFTER_BYTES + 1);
    await expect(c.readStack('big.h5', big)).rejects.toThrow(/no stack/);
    expect(made[0].terminated).toBe(true);
    expect(c.hasSharedWorker).toBe(false);
    await c.simulateDemo(2); // a fresh worker serves the next request
    expect(made).toHaveLength(2);
    expect(made[1].terminated).toBe(false);
  });

  it('waits for every pending request before replacing it', async () => {
    const { c, made } = client();
    await c.simulateDemo(1);
    made[0].hold = true;
    const read = c
      .readStack('big.h5', new ArrayBuffer(RECYCLE_AFTER_BYTES + 1))
      .catch((e: unknown) => e);
    const demo = c.simulateDemo(3);
    made[0].release();
    await Promise.all([read, demo]);
    expect(made).toHaveLength(1);
    expect(made[0].requests.map(r => r.kind)).toEqual(['simulate-demo', 'read', 'simulate-demo']);
    expect(made[0].terminated).toBe(true);
  });
});

/**
 * A worker reached through a real MessageChannel (Node's structured clone
 * and transfer, as a browser's postMessage does them); it answers every run
 * with an error after noting what arrived.
 */
class ChannelWorker implements WorkerLike {
  readonly channel = new MessageChannel();
  received: WorkerRequest[] = [];
  private readonly listeners: ((ev: MessageEvent<WorkerResponse>) => void)[] = [];

  constructor() {
    this.channel.port2.onmessage = (ev: MessageEvent<WorkerRequest>) => {
      this.received.push(ev.data);
      const res: WorkerResponse = { id: ev.data.id, ok: false, message: 'noted' };
      for (const l of this.listeners) {
        l({ data: res } as MessageEvent<WorkerResponse>);
      }
    };
  }

  postMessage(message: unknown, transfer: Transferable[]): void {
    this.channel.port1.postMessage(message, transfer);
  }

  addEventListener(type: 'message' | 'error', listener: (ev: never) => void): void {
    if (type === 'message') {
      this.listeners.push(listener as (ev: MessageEvent<WorkerResponse>) => void);
    }
  }

  terminate(): void {
    this.channel.port1.close();
    this.channel.port2.close();
  }
}

describe('AnalysisWorkerClient.run: the stack is cloned, or its buffers transferred', () => {
  const stack = (): Stack => ({
    data: Float32Array.from({ length: 3 * 4 * 5 }, (_, i) => i),
    control: new Float32Array(60).fill(2),
    energies: Float64Array.of(1, 2, 3),
    y: new Float64Array(4),
    x: new Float64Array(5),
    source: { file: 's.h5', format: 'NXstxm (HDF5)', dialect: 'test' },
    metadata: { scanType: 'sample image stack' }
  });
  const refs = { names: [], spectra: [], source: 'r.csv' } as unknown as ReferenceSet;

  it.each([false, true])('transfer %s', async transfer => {
    const workers: ChannelWorker[] = [];
    const c = new AnalysisWorkerClient(() => {
      const w = new ChannelWorker();
      workers.push(w);
      return w;
    });
    const s = stack();
    await expect(c.run(s, refs, {}, { transfer })).rejects.toThrow('noted');
    const req = workers[0].received[0];
    expect(req.kind).toBe('run');
    const got = (req as Extract<WorkerRequest, { kind: 'run' }>).stack;
    expect(Array.from(got.data)).toEqual(Array.from(stack().data));
    expect(got.control?.length).toBe(60);
    // transferred: the page's arrays are emptied (moved, not copied); cloned: kept
    expect(s.data.length).toBe(transfer ? 0 : 60);
    expect(s.control?.length).toBe(transfer ? 0 : 60);
    expect(s.energies.length).toBe(transfer ? 0 : 3);
  });
});
