/**
 * A read-only file of h5wasm's in-memory file system whose bytes stay where
 * they are (on the Jupyter server, behind HTTP range requests; on a disk):
 * HDF5 reads it through `RangeSource.read`, and only a bounded cache of the
 * small reads (superblock, object headers, B-trees) is kept. A large read (a
 * slab of the cube) goes straight from the source into the wasm heap and is
 * not kept, so a file of any size opens with a heap of a few slabs.
 *
 * Emscripten's own `FS.createLazyFile` does the same over XHR but keeps every
 * chunk it has fetched, for the life of the file: a 2.5 GB stack would end up
 * whole in the heap, which cannot hold it.
 */
/** Bytes of a file by position: an HTTP range request, a file descriptor's pread. */
export interface RangeSource {
  /** The file's size in bytes. */
  readonly size: number;
  /** The `length` bytes at `position` (fewer only at the end of the file). */
  read(position: number, length: number): Uint8Array;
  /**
   * Copy the `dest.length` bytes at `position` into `dest` (a large read,
   * straight into the wasm heap), when the source can do so without holding
   * them whole on the way; else `read` is used.
   */
  readInto?(position: number, dest: Uint8Array): void;
}

/** What reading the file has cost, for the provenance of a read and for tests. */
export interface RangeFileStats {
  /** Reads HDF5 made. */
  reads: number;
  /** Requests to the source (a range request each, over HTTP). */
  requests: number;
  /** Bytes the source delivered (each byte of a fully read file about once). */
  bytesFetched: number;
  /** Largest number of bytes the cache held at once. */
  cachePeakBytes: number;
}

export interface RangeFileOptions {
  /** Size of a cached block (default 64 KiB). */
  blockBytes?: number;
  /** Most bytes the cache holds (default 16 MiB); the least recently used blocks go first. */
  cacheBytes?: number;
}

/** The part of Emscripten's FS the mount uses. */
export interface EmscriptenFsLike {
  createFile(
    parent: string,
    name: string,
    properties: object,
    canRead: boolean,
    canWrite: boolean
  ): unknown;
  unlink(path: string): void;
  /** The error a file operation throws for HDF5 to see as a failed read (errno). */
  ErrnoError: new (errno: number) => Error;
}

/** Emscripten's EIO. */
const EIO = 29;

interface MemfsNode {
  contents: unknown;
  usedBytes: number;
  stream_ops: Record<string, unknown>;
}

type HeapView = Int8Array | Uint8Array;

/**
 * Reads of a `RangeSource` through an LRU cache of fixed-size blocks; reads
 * of at least four blocks bypass the cache (one request, not kept).
 */
export class CachedRangeReader {
  constructor(
    private readonly source: RangeSource,
    options: RangeFileOptions = {}
  ) {
    this.blockBytes = options.blockBytes ?? 64 * 1024;
    this.cacheBytes = Math.max(this.blockBytes, options.cacheBytes ?? 16 * 2 ** 20);
  }

  readonly blockBytes: number;
  readonly cacheBytes: number;
  readonly stats: RangeFileStats = { reads: 0, requests: 0, bytesFetched: 0, cachePeakBytes: 0 };
  /** The first error of the source (HDF5 saw it as a failed read): what to tell the user. */
  failure: Error | null = null;

  get size(): number {
    return this.source.size;
  }

  /** Copy up to `length` bytes at `position` into `out[offset…]`; the count copied. */
  read(out: HeapView, offset: number, length: number, position: number): number {
    const size = this.source.size;
    if (position >= size || length <= 0) {
      return 0;
    }
    const n = Math.min(length, size - position);
    const dest = new Uint8Array(out.buffer, out.byteOffset + offset, n);
    this.stats.reads++;
    if (n >= 4 * this.blockBytes) {
      if (this.source.readInto) {
        this.source.readInto(position, dest);
        this.stats.requests++;
        this.stats.bytesFetched += n;
      } else {
        dest.set(this._fetch(position, n));
      }
      return n;
    }
    const bs = this.blockBytes;
    const first = Math.floor(position / bs);
    const last = Math.floor((position + n - 1) / bs);
    // the blocks of this read: cached ones, and each run of missing ones in one request
    const blocks: Uint8Array[] = [];
    const fetched: [number, Uint8Array][] = [];
    let b = first;
    while (b <= last) {
      const cached = this._cache.get(b);
      if (cached) {
        // most recently used goes last
        this._cache.delete(b);
        this._cache.set(b, cached);
        blocks.push(cached);
        b++;
        continue;
      }
      let e = b;
      while (e + 1 <= last && !this._cache.has(e + 1)) {
        e++;
      }
      const start = b * bs;
      const bytes = this._fetch(start, Math.min(size, (e + 1) * bs) - start);
      for (let k = b; k <= e; k++) {
        // a copy of its own, so a large response is not kept alive by one block of it
        const block = bytes.slice((k - b) * bs, Math.min(bytes.length, (k - b + 1) * bs));
        blocks.push(block);
        fetched.push([k, block]);
      }
      b = e + 1;
    }
    blocks.forEach((block, i) => {
      const k = first + i;
      const from = Math.max(position, k * bs);
      const to = Math.min(position + n, k * bs + block.length);
      dest.set(block.subarray(from - k * bs, to - k * bs), from - position);
    });
    for (const [k, block] of fetched) {
      this._put(k, block);
    }
    return n;
  }

  private _fetch(position: number, length: number): Uint8Array {
    const bytes = this.source.read(position, length);
    this.stats.requests++;
    this.stats.bytesFetched += bytes.length;
    if (bytes.length !== length) {
      throw new Error(
        `asked for ${length} bytes at ${position}, got ${bytes.length} (the file changed while it was read?)`
      );
    }
    return bytes;
  }

  private _put(k: number, block: Uint8Array): void {
    this._cache.set(k, block);
    this._held += block.length;
    while (this._held > this.cacheBytes) {
      const [oldest, victim] = this._cache.entries().next().value as [number, Uint8Array];
      this._cache.delete(oldest);
      this._held -= victim.length;
    }
    this.stats.cachePeakBytes = Math.max(this.stats.cachePeakBytes, this._held);
  }

  private readonly _cache = new Map<number, Uint8Array>();
  private _held = 0;
}

/**
 * Make `dir/name` in Emscripten's file system a read-only file read through
 * `source` (HDF5 sees a file of `source.size` bytes). `unmount` removes it.
 */
export function mountRangeFile(
  fs: EmscriptenFsLike,
  dir: string,
  name: string,
  source: RangeSource,
  options: RangeFileOptions = {}
): { path: string; reader: CachedRangeReader; unmount(): void } {
  const reader = new CachedRangeReader(source, options);
  const node = fs.createFile(dir, name, {}, true, false) as MemfsNode;
  const path = `${dir === '/' ? '' : dir}/${name}`;
  // the node is MEMFS's: its size is what `usedBytes` says (fstat, seek to the end)
  node.contents = { length: source.size };
  Object.defineProperty(node, 'usedBytes', { get: () => source.size, configurable: true });
  const ops = node.stream_ops;
  node.stream_ops = {
    ...ops,
    read: (
      _stream: unknown,
      buffer: HeapView,
      offset: number,
      length: number,
      position: number
    ) => {
      try {
        return reader.read(buffer, offset, length, position);
      } catch (err) {
        // HDF5 gets a failed read (and fails cleanly); the reason is kept for the message
        reader.failure ??= err instanceof Error ? err : new Error(String(err));
        throw new fs.ErrnoError(EIO);
      }
    },
    write: () => {
      throw new Error(`${name} is read-only`);
    },
    mmap: () => {
      throw new Error(`${name} cannot be mapped`);
    }
  };
  return {
    path,
    reader,
    unmount: () => {
      try {
        fs.unlink(path);
      } catch {
        // gone already
      }
    }
  };
}
