/**
 * The range-backed file h5wasm reads a stack through (the worker's read from
 * the Jupyter server): run here with the browser build of h5wasm (the
 * worker's, MEMFS) over a source that reads a real file by position, and
 * compared with the Node reader of the same file.
 */
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import h5wasmWeb from 'h5wasm';
import { beforeAll, describe, expect, it } from 'vitest';

import { cubeInOrder, cubeValue, nodeRuntime, tempDir } from '../../test-setup/fixtures.js';
import { StackReadError, StackTooLargeError } from './errors.js';
import { createH5Runtime, type H5Runtime } from './h5.js';
import { writeSynthetic } from './nxstxm.fixtures.js';
import { SLAB_BYTES } from './nxstxm-cube.js';
import {
  CachedRangeReader,
  mountRangeFile,
  type EmscriptenFsLike,
  type RangeSource
} from './range-file.js';
import { readStack } from './read.js';

/** A file on disk read by position, counting what it is asked for. */
function diskSource(path: string): RangeSource & { asked: number[][]; close(): void } {
  const fd = openSync(path, 'r');
  const asked: number[][] = [];
  return {
    size: statSync(path).size,
    asked,
    read(position: number, length: number): Uint8Array {
      asked.push([position, length]);
      const out = new Uint8Array(length);
      const n = readSync(fd, out, 0, length, position);
      return out.subarray(0, n);
    },
    close: () => closeSync(fd)
  };
}

let web: H5Runtime;
let node: H5Runtime;
let dir: string;

beforeAll(async () => {
  web = createH5Runtime(h5wasmWeb.File, await h5wasmWeb.ready);
  node = await nodeRuntime();
  dir = tempDir('stxm-range-');
});

const fsOf = (rt: H5Runtime): EmscriptenFsLike => rt.FS as unknown as EmscriptenFsLike;

describe('CachedRangeReader', () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
  const memory = (): RangeSource & { requests: number } => ({
    size: bytes.length,
    requests: 0,
    read(position: number, length: number) {
      this.requests++;
      return bytes.slice(position, position + length);
    }
  });

  it('returns the bytes asked for across block boundaries, and 0 past the end', () => {
    const source = memory();
    const reader = new CachedRangeReader(source, { blockBytes: 64, cacheBytes: 256 });
    for (const [pos, len] of [
      [0, 10],
      [60, 10],
      [63, 130],
      [990, 50],
      [500, 1]
    ]) {
      const out = new Int8Array(len + 3);
      const n = reader.read(out, 3, len, pos);
      expect(n).toBe(Math.min(len, bytes.length - pos));
      expect(Array.from(new Uint8Array(out.buffer, 3, n))).toEqual(
        Array.from(bytes.subarray(pos, pos + n))
      );
    }
    expect(reader.read(new Int8Array(4), 0, 4, 1000)).toBe(0);
  });

  it('keeps at most its cache, fetches each missing run once, and reads large spans directly', () => {
    const source = memory();
    const reader = new CachedRangeReader(source, { blockBytes: 64, cacheBytes: 128 });
    const out = new Int8Array(1000);
    reader.read(out, 0, 10, 0); // block 0
    reader.read(out, 0, 10, 5); // cached
    expect(source.requests).toBe(1);
    reader.read(out, 0, 100, 100); // blocks 1–3: one request for the run
    expect(source.requests).toBe(2);
    expect(reader.stats.cachePeakBytes).toBeLessThanOrEqual(128);
    reader.read(out, 0, 10, 0); // block 0 was evicted (least recently used)
    expect(source.requests).toBe(3);
    const before = reader.stats.bytesFetched;
    reader.read(out, 0, 400, 300); // ≥ 4 blocks: straight from the source
    expect(reader.stats.bytesFetched - before).toBe(400);
    expect(Array.from(new Uint8Array(out.buffer, 0, 400))).toEqual(
      Array.from(bytes.subarray(300, 700))
    );
  });
});

describe('a stack read through a range-backed file', () => {
  it.each([
    ['(energy, y, x)', ['e', 'y', 'x'], ['energy', 'sample_y', 'sample_x']],
    ['(y, x, energy)', ['y', 'x', 'e'], ['sample_y', 'sample_x', 'energy']]
  ] as const)(
    '%s: the same cube as reading the file itself, each byte fetched about once, in slabs',
    (_label, order, axes) => {
      // more than one slab of the file's first dimension
      const dims: [number, number, number] = [4, 512, 1100];
      const { data, shape } = cubeInOrder(dims, [...order]);
      const path = join(dir, `big-${order.join('')}.h5`);
      writeSynthetic(path, { shape: shape as [number, number, number], axes: [...axes], data });
      const size = statSync(path).size;
      expect(size).toBeGreaterThan(SLAB_BYTES);
      const source = diskSource(path);
      const mount = mountRangeFile(fsOf(web), '/', `big-${order.join('')}.h5`, source, {
        cacheBytes: 2 ** 20
      });
      const progress: number[] = [];
      try {
        const stack = readStack(web, mount.path, 'big.h5', {
          onProgress: (done, total) => progress.push(done / total)
        });
        const direct = readStack(node, path, 'big.h5');
        expect(stack.data.length).toBe(dims[0] * dims[1] * dims[2]);
        // (a loop: a deep equality of millions of values takes seconds)
        let differ = 0;
        for (let i = 0; i < direct.data.length; i++) {
          differ += stack.data[i] === direct.data[i] ? 0 : 1;
        }
        expect(differ).toBe(0);
        expect(direct.data[direct.data.length - 1]).toBe(
          Math.fround(cubeValue(dims[0] - 1, dims[1] - 1, dims[2] - 1))
        );
        expect(stack.energies).toEqual(direct.energies);
        const { bytesFetched, cachePeakBytes } = mount.reader.stats;
        expect(bytesFetched).toBeLessThan(1.05 * size);
        expect(cachePeakBytes).toBeLessThanOrEqual(2 ** 20);
        // the cube came in a few large reads, in file order
        const large = source.asked.filter(([, n]) => n >= 2 ** 18);
        expect(large.length).toBeGreaterThanOrEqual(2);
        expect(large.map(([p]) => p)).toEqual([...large.map(([p]) => p)].sort((a, b) => a - b));
        expect(progress.length).toBeGreaterThanOrEqual(2);
        expect(progress.at(-1)).toBe(1);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
      } finally {
        mount.unmount();
        source.close();
      }
    }
  );

  it('a source that copies large reads into place gets every slab that way, small reads as bytes', () => {
    const dims: [number, number, number] = [4, 512, 1100];
    const { data, shape } = cubeInOrder(dims);
    const path = join(dir, 'big-into.h5');
    writeSynthetic(path, { shape: shape as [number, number, number], data });
    const disk = diskSource(path);
    const into: number[][] = [];
    const fd = openSync(path, 'r');
    const source: RangeSource = {
      size: disk.size,
      read: (position, length) => disk.read(position, length),
      readInto(position, dest) {
        into.push([position, dest.length]);
        readSync(fd, dest, 0, dest.length, position);
      }
    };
    const mount = mountRangeFile(fsOf(web), '/', 'big-into.h5', source);
    try {
      const stack = readStack(web, mount.path, 'big-into.h5');
      const direct = readStack(node, path, 'big-into.h5');
      let differ = 0;
      for (let i = 0; i < direct.data.length; i++) {
        differ += stack.data[i] === direct.data[i] ? 0 : 1;
      }
      expect(differ).toBe(0);
      // the slabs went through readInto, HDF5's small reads through read; counted as requests
      const cube = dims[0] * dims[1] * dims[2] * 8;
      expect(into.reduce((n, [, len]) => n + len, 0)).toBeGreaterThanOrEqual(cube);
      expect(into.length).toBeGreaterThanOrEqual(2);
      expect(disk.asked.every(([, n]) => n < 4 * 64 * 1024)).toBe(true);
      expect(mount.reader.stats.requests).toBe(into.length + disk.asked.length);
      expect(mount.reader.stats.bytesFetched).toBeLessThan(1.05 * disk.size);
    } finally {
      mount.unmount();
      disk.close();
      closeSync(fd);
    }
  });

  it('a source that fails mid-read gives a clear error naming the file, and h5wasm reads on', () => {
    const path = join(dir, 'fails.h5');
    writeSynthetic(path, { shape: [4, 600, 1100] });
    const disk = diskSource(path);
    let reads = 0;
    const failing: RangeSource = {
      size: disk.size,
      read(position, length) {
        if (length >= SLAB_BYTES / 4 && ++reads === 2) {
          throw new Error('the server answered 500 Internal Server Error');
        }
        return disk.read(position, length);
      }
    };
    const mount = mountRangeFile(fsOf(web), '/', 'fails.h5', failing);
    try {
      let caught: unknown;
      try {
        readStack(web, mount.path, 'fails.h5');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(StackReadError);
      expect(String(caught)).toContain('fails.h5');
      expect(mount.reader.failure?.message).toContain('500');
    } finally {
      mount.unmount();
      disk.close();
    }
    // the module is not broken: the next file reads
    const ok = join(dir, 'ok.h5');
    writeSynthetic(ok);
    const bytes = new Uint8Array(statSync(ok).size);
    const fd = openSync(ok, 'r');
    readSync(fd, bytes, 0, bytes.length, 0);
    closeSync(fd);
    const fs = web.FS as unknown as {
      writeFile(p: string, d: Uint8Array): void;
      unlink(p: string): void;
    };
    fs.writeFile('/ok.h5', bytes);
    try {
      expect(readStack(web, '/ok.h5', 'ok.h5').data.length).toBe(60);
    } finally {
      fs.unlink('/ok.h5');
    }
  });

  it('a stack over the limit of where it is read is refused before its cube is read, with advice', () => {
    const path = join(dir, 'limit.h5');
    writeSynthetic(path, { shape: [3, 4, 5] });
    const source = diskSource(path);
    const mount = mountRangeFile(fsOf(web), '/', 'limit.h5', source);
    try {
      const progress: number[] = [];
      expect(() =>
        readStack(web, mount.path, 'limit.h5', {
          limit: { values: 59, advice: 'use the CLI' },
          onProgress: done => progress.push(done)
        })
      ).toThrow(/^limit\.h5: \/entry1\/counter0\/data is too large here: .* use the CLI$/);
      // refused before any of the cube was read
      expect(progress).toEqual([]);
      // a typed refusal, with the cube's size: the workbench holds such a stack elsewhere
      let refusal: unknown;
      try {
        readStack(web, mount.path, 'limit.h5', { limit: { values: 59, advice: '' } });
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toBeInstanceOf(StackTooLargeError);
      expect(refusal).toMatchObject({ values: 60, limit: 59, file: 'limit.h5' });
      expect(
        readStack(web, mount.path, 'limit.h5', { limit: { values: 60, advice: '' } }).data
      ).toHaveLength(60);
    } finally {
      mount.unmount();
      source.close();
    }
  });

  it('an empty or foreign file is named as such, as from a local file', () => {
    const empty = join(dir, 'empty.h5');
    writeFileSync(empty, new Uint8Array(0));
    const text = join(dir, 'text.h5');
    writeFileSync(text, 'not an HDF5 file at all\n'.repeat(100));
    for (const [path, message] of [
      [empty, 'file is empty'],
      [text, 'not an HDF5 file']
    ]) {
      const source = diskSource(path);
      const mount = mountRangeFile(fsOf(web), '/', 'x.h5', source);
      try {
        expect(() => readStack(web, mount.path, 'x.h5')).toThrow(message);
      } finally {
        mount.unmount();
        source.close();
      }
    }
  });
});
