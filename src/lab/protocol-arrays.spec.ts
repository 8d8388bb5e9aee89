import { describe, expect, it } from 'vitest';

import {
  PartAssembler,
  ProtocolError,
  outArray,
  parseArraySpecs,
  splitParts
} from './protocol-arrays.js';

/** Parts of a request as the kernel sends them (same framing as replies). */
function requestParts(arrays: Parameters<typeof splitParts>[2], maxChunk: number) {
  return splitParts(
    { type: 'request', id: 'q' },
    { method: 'open_arrays', params: {} },
    arrays,
    maxChunk
  );
}

function feed(asm: PartAssembler, parts: ReturnType<typeof requestParts>): void {
  for (const p of parts) {
    asm.add(p.data.part as number, p.data.parts as number, p.data.arrays, p.data.chunks, p.buffers);
  }
}

describe('PartAssembler', () => {
  it('rebuilds every dtype exactly from many parts, in any order', () => {
    const arrays = {
      f32: outArray(
        Float32Array.from({ length: 1000 }, (_, i) => i / 7),
        [10, 100]
      ),
      f64: outArray(
        Float64Array.from({ length: 333 }, (_, i) => Math.cos(i)),
        [333]
      ),
      i8: outArray(
        Int8Array.from({ length: 50 }, (_, i) => i - 25),
        [50]
      ),
      u16: outArray(
        Uint16Array.from({ length: 70 }, (_, i) => i * 900),
        [7, 10]
      ),
      i16: outArray(
        Int16Array.from({ length: 9 }, (_, i) => -i),
        [3, 3]
      ),
      u32: outArray(
        Uint32Array.from({ length: 5 }, (_, i) => 2 ** 31 + i),
        [5]
      ),
      empty: outArray(new Float32Array(0), [0, 4])
    };
    const parts = requestParts(arrays, 512);
    expect(parts.length).toBeGreaterThan(10);
    const asm = new PartAssembler('q');
    feed(asm, [...parts].reverse()); // part 0 last: chunks wait for the descriptions
    expect(asm.complete).toBe(true);
    const out = asm.arrays();
    for (const [name, arr] of Object.entries(arrays)) {
      expect(out[name].dtype).toBe(arr.dtype);
      expect(out[name].shape).toEqual(arr.shape);
      expect(Array.from(out[name].values)).toEqual(Array.from(arr.values));
    }
  });

  it('copies a part out of its arrays when the part is sent, not when the message is split', () => {
    // 427 ms on one task for a 100 MB reply when every part was copied up front
    const a = Float32Array.from({ length: 3000 }, (_, i) => i);
    const parts = requestParts({ a: outArray(a.subarray(1000), [2000]) }, 4000);
    expect(parts.length).toBe(2);
    a[1000] = -1; // written after the split, before part 0 is read: part 0 carries it
    const first = new Float32Array(parts[0].buffers[0]);
    expect(first.length).toBe(1000);
    expect(first[0]).toBe(-1);
    expect(first[999]).toBe(1999);
    // each part's buffers stand alone (JupyterLab's serialiser ignores a view's offset)
    expect(parts[1].buffers[0].byteLength).toBe(4000);
    expect(new Float32Array(parts[1].buffers[0])[0]).toBe(2000);
  });

  it('accepts DataView buffers as JupyterLab hands them out', () => {
    const a = Float64Array.from([1, 2, 3]);
    const [part] = requestParts({ a: outArray(a, [3]) }, 1024);
    const asm = new PartAssembler('q');
    const views = part.buffers.map(b => new DataView(b));
    asm.add(0, 1, part.data.arrays, part.data.chunks, views);
    expect(Array.from(asm.arrays().a.values)).toEqual([1, 2, 3]);
  });

  it.each([
    ['duplicate part', (p: ReturnType<typeof requestParts>) => [p[1], p[1]], 'twice'],
    ['missing bytes', (p: ReturnType<typeof requestParts>) => [p[0]], null],
    [
      'wrong chunk size',
      (p: ReturnType<typeof requestParts>) => {
        const bad = structuredClone(p[0].data) as { chunks: { nbytes: number }[] };
        bad.chunks[0].nbytes += 4;
        return [{ data: bad, buffers: p[0].buffers }];
      },
      'buffer has'
    ],
    [
      'unknown array',
      (p: ReturnType<typeof requestParts>) => {
        const bad = structuredClone(p[0].data) as { chunks: { array: string }[] };
        bad.chunks[0].array = 'zzz';
        return [{ data: bad, buffers: p[0].buffers }];
      },
      'unknown array'
    ],
    [
      'outside the array',
      (p: ReturnType<typeof requestParts>) => {
        const bad = structuredClone(p[0].data) as { chunks: { offset: number }[] };
        bad.chunks[0].offset = 4000;
        return [{ data: bad, buffers: p[0].buffers }];
      },
      'outside'
    ]
  ])('rejects %s', (_name, mutate, message) => {
    const parts = requestParts({ a: outArray(new Float32Array(1000), [1000]) }, 1024);
    expect(parts.length).toBe(4);
    const bad = mutate(parts) as ReturnType<typeof requestParts>;
    const asm = new PartAssembler('q');
    let caught: unknown = null;
    try {
      feed(asm, bad);
    } catch (err) {
      caught = err;
    }
    if (message === null) {
      expect(caught).toBeNull();
      expect(asm.complete).toBe(false);
    } else {
      expect(caught).toBeInstanceOf(ProtocolError);
      expect((caught as Error).message).toContain(message);
    }
  });

  it('rejects overlapping chunks and an early end', () => {
    const asm = new PartAssembler('q');
    const bytes = new Uint8Array(16);
    const arrays = { a: { dtype: 'uint8', shape: [16], nbytes: 16 } };
    expect(() =>
      asm.add(
        0,
        1,
        arrays,
        [
          { array: 'a', offset: 0, nbytes: 10 },
          { array: 'a', offset: 8, nbytes: 8 }
        ],
        [bytes.slice(0, 10).buffer, bytes.slice(8).buffer]
      )
    ).toThrow(/overlap/);
    expect(() =>
      new PartAssembler('r').add(
        0,
        1,
        arrays,
        [{ array: 'a', offset: 0, nbytes: 8 }],
        [bytes.slice(8).buffer]
      )
    ).toThrow(/incomplete/);
  });
});

describe('parseArraySpecs', () => {
  it.each([
    [{ a: { dtype: 'complex128', shape: [1], nbytes: 16 } }, 'unsupported dtype'],
    [{ a: { dtype: 'float32', shape: [2, -1], nbytes: 8 } }, 'non-negative'],
    [{ a: { dtype: 'float32', shape: [2], nbytes: 7 } }, 'nbytes'],
    [{ a: { dtype: 'float64', shape: [2 ** 20, 2 ** 10], nbytes: 2 ** 33 } }, 'too large'],
    [{ a: 'x' }, 'must be an object'],
    [[1], '"arrays" must be an object']
  ])('rejects %j', (arrays, message) => {
    expect(() => parseArraySpecs(arrays)).toThrow(message);
  });
});
