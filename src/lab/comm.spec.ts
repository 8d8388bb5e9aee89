/**
 * CommConnection over an in-process comm stand-in: only the transport is
 * replaced; the real comm runs in ui-tests/tests/comm*.spec.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { MethodContext, MethodReply, MethodRequest } from './comm-methods.js';
import { CommConnection } from './comm.js';
import { ProtocolError, outArray, splitParts, type JSONObject } from './protocol-arrays.js';

class FakeComm {
  isDisposed = false;
  sent: { data: JSONObject; buffers: ArrayBuffer[] }[] = [];
  send(data: unknown, _metadata?: unknown, buffers: (ArrayBuffer | ArrayBufferView)[] = []): void {
    this.sent.push({ data: data as JSONObject, buffers: buffers as ArrayBuffer[] });
    return undefined;
  }
  ofType(type: string): JSONObject[] {
    return this.sent.map(s => s.data).filter(d => d.type === type);
  }
}

function connection(handler: (req: MethodRequest, ctx: MethodContext) => Promise<MethodReply>) {
  const comm = new FakeComm();
  const conn = new CommConnection(comm as never, { call: handler });
  return { comm, conn };
}

const tick = () => new Promise(r => setTimeout(r, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('CommConnection', () => {
  it('answers a malformed message with an error reply, never throws', () => {
    const { comm, conn } = connection(async () => ({ json: {} }));
    expect(() => conn.handle('junk', [])).not.toThrow();
    conn.handle({ type: 'request', id: 'r1', method: 'rm_rf' }, []);
    const replies = comm.ofType('reply');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatchObject({ id: null, ok: false, error: { kind: 'invalid-request' } });
    expect(replies[1]).toMatchObject({ id: 'r1', ok: false });
    expect((replies[1].error as { message: string }).message).toContain('unknown "method"');
  });

  it('acknowledges part 0, reassembles a multi-part request and replies in parts', async () => {
    const cube = Float32Array.from({ length: 3000 }, (_, i) => i);
    let got: MethodRequest | undefined;
    const { comm, conn } = connection(async req => {
      got = req;
      return {
        json: { echoed: true },
        arrays: { back: outArray(req.arrays.data.values, [3000]) }
      };
    });
    const parts = splitParts(
      { type: 'request', id: 'big' },
      { method: 'open_arrays', params: { path: 'x.h5' } },
      { data: outArray(cube, [3, 10, 100]) },
      4096
    );
    expect(parts.length).toBe(3);
    conn.handle(parts[0].data, parts[0].buffers);
    expect(comm.ofType('ack')).toEqual([{ type: 'ack', id: 'big' }]);
    conn.handle(parts[1].data, parts[1].buffers);
    expect(got).toBeUndefined();
    conn.handle(parts[2].data, parts[2].buffers);
    await tick();
    expect(got!.method).toBe('open_arrays');
    expect(got!.params).toEqual({ path: 'x.h5' });
    expect(got!.arrays.data.shape).toEqual([3, 10, 100]);
    expect(Array.from(got!.arrays.data.values)).toEqual(Array.from(cube));
    const reply = comm.ofType('reply');
    expect(reply[0]).toMatchObject({ id: 'big', ok: true, part: 0, result: { echoed: true } });
  });

  it('turns handler errors into error replies with their kind', async () => {
    const { comm, conn } = connection(async req => {
      if (req.method === 'get_stack') {
        throw new ProtocolError('not-found', 'no STXM stack is open in JupyterLab');
      }
      throw new Error('x.h5: cannot open the HDF5 file: truncated file');
    });
    conn.handle({ type: 'request', id: 'a', method: 'get_stack' }, []);
    conn.handle({ type: 'request', id: 'b', method: 'open', params: { path: 'x.h5' } }, []);
    await tick();
    const replies = comm.ofType('reply');
    expect(replies.find(r => r.id === 'a')).toMatchObject({
      ok: false,
      error: { kind: 'not-found' }
    });
    expect(replies.find(r => r.id === 'b')).toMatchObject({
      ok: false,
      error: { kind: 'failed', message: 'x.h5: cannot open the HDF5 file: truncated file' }
    });
  });

  it('streams progress (throttled) and honours cancel', async () => {
    let aborted = false;
    const { comm, conn } = connection(
      (_req, ctx) =>
        new Promise((resolve, reject) => {
          ctx.progress({ stage: 'prepare', fraction: 0 });
          ctx.progress({ stage: 'prepare', fraction: 0.1 }); // dropped: same stage, too soon
          ctx.progress({ stage: 'pcc', fraction: 0 });
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new ProtocolError('cancelled', 'the run was cancelled'));
          });
          void resolve;
        })
    );
    conn.handle({ type: 'request', id: 'run1', method: 'run' }, []);
    await tick();
    expect(comm.ofType('event').map(e => (e.progress as { stage: string }).stage)).toEqual([
      'prepare',
      'pcc'
    ]);
    conn.handle({ type: 'request', id: 'run1', method: 'run' }, []);
    expect(comm.ofType('reply').at(-1)).toMatchObject({ id: 'run1', ok: false });
    conn.handle({ type: 'cancel', id: 'run1' }, []);
    await tick();
    expect(aborted).toBe(true);
    expect(comm.ofType('reply').at(-1)).toMatchObject({ id: 'run1', error: { kind: 'cancelled' } });
  });

  it('answers a ping with a pong while a request runs (the kernel checks the page is there)', () => {
    const { comm, conn } = connection(() => new Promise(() => undefined));
    conn.handle({ type: 'request', id: 'long', method: 'run' }, []);
    conn.handle({ type: 'ping', id: 'ping-1' }, []);
    expect(comm.ofType('pong')).toEqual([{ type: 'pong', id: 'ping-1' }]);
    conn.handle({ type: 'ping' }, []);
    expect(comm.ofType('reply').at(-1)).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' }
    });
  });

  it('refuses buffers over the 8 MiB limits as they arrive, before anything is assembled', async () => {
    const calls: string[] = [];
    const { comm, conn } = connection(async req => {
      calls.push(req.method);
      return { json: {} };
    });
    const MiB = 1024 * 1024;
    const request = (id: string, method: string, sizes: number[], extra: JSONObject = {}) => {
      const arrays: JSONObject = {};
      const chunks: JSONObject[] = [];
      sizes.forEach((n, i) => {
        arrays[`a${i}`] = { dtype: 'uint8', shape: [n], nbytes: n };
        chunks.push({ array: `a${i}`, offset: 0, nbytes: n });
      });
      const data = {
        type: 'request',
        id,
        method,
        params: { path: 'x.h5' },
        arrays,
        chunks,
        ...extra
      };
      conn.handle(
        data,
        sizes.map(n => new ArrayBuffer(n))
      );
    };
    const lastError = () => (comm.ofType('reply').at(-1)!.error as { message: string }).message;
    // one 50 MB buffer
    request('big', 'open_arrays', [50 * MiB]);
    expect(comm.ofType('ack')).toHaveLength(0);
    expect(lastError()).toMatch(/request "big": a buffer of 52428800 bytes .*at most 8388608/);
    // two buffers of 5 MiB in one message
    request('two', 'open_arrays', [5 * MiB, 5 * MiB]);
    expect(lastError()).toMatch(
      /request "two": 10485760 bytes of buffers in one message .* at most 8388608/
    );
    // a method that takes no arrays refuses them in part 0, not once the request is whole
    request('list', 'list_workbenches', [16], { part: 0, parts: 3 });
    expect(comm.ofType('ack')).toHaveLength(0);
    expect(lastError()).toMatch(/"list_workbenches" takes no arrays/);
    // an array claiming more than a message may hold in all
    conn.handle(
      {
        type: 'request',
        id: 'claims',
        method: 'open_arrays',
        parts: 2,
        arrays: {
          a: { dtype: 'uint8', shape: [2 ** 31], nbytes: 2 ** 31 },
          b: { dtype: 'uint8', shape: [2 ** 31], nbytes: 2 ** 31 }
        }
      },
      []
    );
    expect(lastError()).toMatch(/arrays of 4294967296 bytes in all .* at most 2147483648/);
    await tick();
    expect(calls).toEqual([]);
  });

  it('drops a request whose parts stop arriving', () => {
    vi.useFakeTimers();
    const { comm, conn } = connection(async () => ({ json: {} }));
    const parts = splitParts(
      { type: 'request', id: 'half' },
      { method: 'open_arrays', params: {} },
      { a: outArray(new Float64Array(1000), [1000]) },
      4096
    );
    conn.handle(parts[0].data, parts[0].buffers);
    vi.advanceTimersByTime(121_000);
    expect(comm.ofType('reply').at(-1)).toMatchObject({ id: 'half', ok: false });
    expect(JSON.stringify(comm.ofType('reply').at(-1))).toContain('stopped arriving');
  });

  it('sends nothing once the comm is disposed (kernel restarted)', async () => {
    const { comm, conn } = connection(async () => ({ json: {} }));
    comm.isDisposed = true;
    conn.handle({ type: 'request', id: 'a', method: 'list_workbenches' }, []);
    await tick();
    expect(comm.sent).toHaveLength(0);
  });
});
