import { describe, expect, it } from 'vitest';

import {
  MAX_CHUNK_BYTES,
  METHODS,
  PROTOCOL,
  ProtocolError,
  ack,
  errorReply,
  hello,
  outArray,
  parseIncoming,
  parseRequest,
  progressEvent,
  replyParts,
  requestIdOf
} from './protocol.js';

/** Rebuild each array from reply parts the way a receiver must (docs/comm-protocol.md). */
function reassemble(parts: ReturnType<typeof replyParts>): Record<string, Uint8Array> {
  const arrays = parts[0].data.arrays as Record<string, { nbytes: number }>;
  const out: Record<string, Uint8Array> = {};
  for (const [name, d] of Object.entries(arrays)) {
    out[name] = new Uint8Array(d.nbytes);
  }
  for (const part of parts) {
    const chunks = part.data.chunks as { array: string; offset: number; nbytes: number }[];
    expect(chunks.length).toBe(part.buffers.length);
    chunks.forEach((c, i) => {
      expect(part.buffers[i].byteLength).toBe(c.nbytes);
      out[c.array].set(new Uint8Array(part.buffers[i]), c.offset);
    });
  }
  return out;
}

describe('parseRequest', () => {
  it('accepts a well-formed request and defaults params', () => {
    expect(parseRequest({ type: 'request', id: 'a1', method: 'get_stack' })).toEqual({
      type: 'request',
      id: 'a1',
      method: 'get_stack',
      params: {}
    });
  });

  it.each([
    [null, 'not a JSON object'],
    [[1, 2], 'not a JSON object'],
    [{ type: 'reply', id: 'x', method: 'get_stack' }, '"type" must be "request"'],
    [{ type: 'request', id: '', method: 'get_stack' }, '"id"'],
    [{ type: 'request', id: 'x'.repeat(65), method: 'get_stack' }, '"id"'],
    [{ type: 'request', id: 7, method: 'get_stack' }, '"id"'],
    [{ type: 'request', id: 'x', method: 'rm_rf' }, 'unknown "method"'],
    [{ type: 'request', id: 'x', method: 'get_stack', params: [] }, '"params" must be an object'],
    [{ type: 'request', id: 'x', method: 'get_stack', parts: 0 }, '"parts"'],
    [{ type: 'request', id: 'x', method: 'get_stack', part: 2, parts: 2 }, '"part" 2'],
    [{ type: 'request', id: 'x', part: 1, parts: 2, method: 'run' }, 'only part 0']
  ])('rejects %j', (message, expected) => {
    let caught: unknown;
    try {
      parseRequest(message);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).kind).toBe('invalid-request');
    expect((caught as Error).message).toContain(expected);
  });

  it('finds a usable id for error replies only when there is one', () => {
    expect(requestIdOf({ id: 'abc' })).toBe('abc');
    expect(requestIdOf({ id: 5 })).toBeNull();
    expect(requestIdOf('junk')).toBeNull();
  });
});

describe('parseIncoming', () => {
  it('accepts later parts, cancels and error notices', () => {
    expect(parseIncoming({ type: 'request', id: 'a', part: 1, parts: 3, chunks: [] })).toEqual({
      type: 'request',
      id: 'a',
      part: 1,
      parts: 3,
      chunks: []
    });
    expect(parseIncoming({ type: 'cancel', id: 'a' })).toEqual({ type: 'cancel', id: 'a' });
    expect(
      parseIncoming({ type: 'error', id: 'a', error: { kind: 'invalid-reply', message: 'x' } })
    ).toEqual({ type: 'error', id: 'a', error: { kind: 'invalid-reply', message: 'x' } });
    expect(() => parseIncoming({ type: 'hello' })).toThrow(/"type" must be/);
    expect(() => parseIncoming({ type: 'cancel' })).toThrow(/"id"/);
  });

  it('says hello with the methods, the server root and the parameters', () => {
    const h = hello({ version: '9.9.9', serverRoot: '/srv', params: { threshold: 0.005 } });
    expect(h).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL,
      version: '9.9.9',
      serverRoot: '/srv'
    });
    expect(h.methods).toEqual([...METHODS]);
    expect(ack('r')).toEqual({ type: 'ack', id: 'r' });
    expect(progressEvent('r', { stage: 'pcc', fraction: 1 })).toEqual({
      type: 'event',
      id: 'r',
      event: 'progress',
      progress: { stage: 'pcc', fraction: 1 }
    });
  });
});

describe('replyParts', () => {
  it('sends a small reply in one part with result and array descriptions', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i * 0.5);
    const parts = replyParts('r1', { path: 'a.h5' }, { data: outArray(data, [2, 3, 4]) });
    expect(parts).toHaveLength(1);
    expect(parts[0].data).toMatchObject({
      type: 'reply',
      id: 'r1',
      ok: true,
      part: 0,
      parts: 1,
      result: { path: 'a.h5' },
      arrays: { data: { dtype: 'float32', shape: [2, 3, 4], nbytes: 96 } }
    });
    const bytes = reassemble(parts).data;
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual(Array.from(data));
  });

  it('splits large arrays into parts of at most the chunk size and reassembles exactly', () => {
    const maxChunk = 1000; // small chunks to exercise the splitting
    const a = Float64Array.from({ length: 700 }, (_, i) => Math.sin(i)); // 5600 bytes
    const b = Int16Array.from({ length: 301 }, (_, i) => i - 150); // 602 bytes
    const parts = replyParts('r2', {}, { a: outArray(a, [700]), b: outArray(b, [301]) }, maxChunk);
    expect(parts.length).toBeGreaterThan(6);
    for (const [i, part] of parts.entries()) {
      expect(part.data.part).toBe(i);
      expect(part.data.parts).toBe(parts.length);
      const total = part.buffers.reduce((s, buf) => s + buf.byteLength, 0);
      expect(total).toBeLessThanOrEqual(maxChunk);
      expect('result' in part.data).toBe(i === 0);
    }
    const out = reassemble(parts);
    expect(Array.from(new Float64Array(out.a.buffer))).toEqual(Array.from(a));
    expect(Array.from(new Int16Array(out.b.buffer))).toEqual(Array.from(b));
  });

  it('keeps every message under the 8 MiB default', () => {
    const big = new Float32Array((3 * MAX_CHUNK_BYTES) / 4 + 10);
    const parts = replyParts('r3', {}, { big: outArray(big, [big.length]) });
    expect(parts).toHaveLength(4);
    for (const part of parts) {
      expect(part.buffers.reduce((s, buf) => s + buf.byteLength, 0)).toBeLessThanOrEqual(
        MAX_CHUNK_BYTES
      );
    }
  });

  it('rejects an array whose shape does not fit its values', () => {
    expect(() => outArray(new Float32Array(6), [4, 2])).toThrow(/does not fit/);
  });
});

describe('errorReply', () => {
  it('is a single part with the kind and message', () => {
    expect(errorReply(null, 'not-found', 'no STXM stack is open').data).toEqual({
      type: 'reply',
      id: null,
      ok: false,
      part: 0,
      parts: 1,
      error: { kind: 'not-found', message: 'no STXM stack is open' }
    });
  });
});
