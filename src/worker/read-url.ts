/**
 * Reading a stack file where it lies, on the Jupyter server, from the
 * analysis worker: `/files/…` answers HTTP range requests (tornado's static
 * file handler), so h5wasm reads the file through a range-backed file
 * (core/io/range-file.ts) with synchronous XHRs, which a worker may make:
 * the metadata in small cached reads, the cube a slab at a time. The file
 * is never held whole, and the worker says how far it has got.
 */
import { MAX_VALUES } from '../core/io/checks.js';
import { StackReadError } from '../core/io/errors.js';
import { mountRangeFile, type EmscriptenFsLike, type RangeSource } from '../core/io/range-file.js';
import { readStack } from '../core/io/read.js';
import type { H5Runtime } from '../core/io/h5.js';
import type { Stack } from '../core/model/stack.js';
import type { ServerRead } from './protocol.js';

/**
 * The largest cube that moves between workers: 1 GiB of float32. Chromium's
 * postMessage moves no ArrayBuffer of 2 GiB or more, and a cube read in the
 * read worker crosses to the stack worker and, as OD, to the run's worker
 * (0.5 GB stacks are measured, docs/benchmarks.md). A larger stack is read,
 * pre-processed and mapped in its workbench's stack worker instead, where
 * it stays (`store-read-url`, `store-run`).
 */
export const TRANSFER_LIMIT_VALUES = 2 ** 28;

/**
 * The largest cube the workbench opens at all: the readers' MAX_VALUES
 * (2^30 values, 4 GiB of float32; its stack worker then holds the raw cube
 * and its OD). Larger stacks go to the engine outside the browser.
 */
export const WORKBENCH_MAX_VALUES = MAX_VALUES;
const ADVICE =
  'map it with `stxm-phasemap map FILE --refs R` or `stxm_phasemap.map_file` (Python), ' +
  'which read larger stacks';
export const WORKBENCH_LIMIT = {
  values: WORKBENCH_MAX_VALUES,
  advice: `the workbench holds up to that; ${ADVICE}`
};

/** The limit of a read whose cube goes to the page (refused above it: `StackTooLargeError`). */
export function transferLimit(values = TRANSFER_LIMIT_VALUES): {
  values: number;
  advice: string;
} {
  return {
    values: Math.min(values, TRANSFER_LIMIT_VALUES),
    advice: `larger stacks do not move between the workbench's workers; ${ADVICE}`
  };
}

/** What a first request (the file's first byte) tells about the file on the server. */
type Probe = { kind: 'ranges'; size: number } | { kind: 'whole'; bytes: ArrayBuffer };

/**
 * Ask for the first byte: a 206 gives the size (Content-Range); a server that
 * ignores ranges answers 200 with the whole file, which is then used as it is.
 */
export async function probeRanges(
  name: string,
  url: string,
  headers: Record<string, string>
): Promise<Probe> {
  const response = await fetch(url, {
    headers: { ...headers, Range: 'bytes=0-0' },
    cache: 'no-store'
  });
  if (response.status === 206) {
    const total = /\/(\d+)\s*$/.exec(response.headers.get('Content-Range') ?? '');
    await response.arrayBuffer();
    if (total) {
      return { kind: 'ranges', size: Number(total[1]) };
    }
  }
  if (response.status === 416) {
    return { kind: 'whole', bytes: new ArrayBuffer(0) }; // an empty file: its reader says so
  }
  if (!response.ok) {
    throw new Error(`${name}: the server answered ${response.status} ${response.statusText}`);
  }
  return { kind: 'whole', bytes: await response.arrayBuffer() };
}

/** Pieces a large answer is copied out of its Blob in. */
const PIECE_BYTES = 4 * 2 ** 20;

/** A worker's synchronous Blob reader (not in the DOM typings the project compiles with). */
type SyncBlobReader = new () => { readAsArrayBuffer(blob: Blob): ArrayBuffer };

/**
 * Range requests with synchronous XHR (allowed in a worker, not on the
 * page). A large read (a slab) asks for a Blob and copies it into the wasm
 * heap in small pieces: Chromium keeps a large answer's bytes outside the
 * worker's memory then, where an ArrayBuffer answer stays resident until a
 * garbage collection the synchronous read loop does not reach — about the
 * file's size again while a stack is read (bench/browser/fetch-retention.mjs).
 */
export function xhrRangeSource(
  url: string,
  headers: Record<string, string>,
  size: number
): RangeSource {
  const request = (
    position: number,
    length: number,
    type: 'arraybuffer' | 'blob'
  ): XMLHttpRequest => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.responseType = type;
    for (const [k, v] of Object.entries(headers)) {
      xhr.setRequestHeader(k, v);
    }
    xhr.setRequestHeader('Range', `bytes=${position}-${position + length - 1}`);
    xhr.send();
    if (xhr.status !== 206) {
      throw new Error(
        `the server answered ${xhr.status} ${xhr.statusText} to a range request at byte ${position}`
      );
    }
    return xhr;
  };
  const read = (position: number, length: number): Uint8Array =>
    new Uint8Array(request(position, length, 'arraybuffer').response as ArrayBuffer);
  const Reader = (globalThis as { FileReaderSync?: SyncBlobReader }).FileReaderSync;
  if (!Reader) {
    return { size, read }; // not in a worker: answers as ArrayBuffers
  }
  return {
    size,
    read,
    readInto(position: number, dest: Uint8Array): void {
      const blob = request(position, dest.length, 'blob').response as Blob;
      if (blob.size !== dest.length) {
        throw new Error(
          `asked for ${dest.length} bytes at ${position}, got ${blob.size} (the file changed while it was read?)`
        );
      }
      const reader = new Reader();
      for (let at = 0; at < blob.size; at += PIECE_BYTES) {
        const piece = reader.readAsArrayBuffer(blob.slice(at, at + PIECE_BYTES));
        dest.set(new Uint8Array(piece), at);
      }
    }
  };
}

/**
 * Read the stack at `url` into a Stack. `onProgress(done, total)`: values
 * of the cube read so far.
 */
export async function readStackFromServer(
  runtime: H5Runtime,
  request: {
    id: number;
    name: string;
    url: string;
    headers?: Record<string, string>;
    applyRingCurrent?: boolean;
  },
  onProgress: (done: number, total: number) => void,
  limit: { values: number; advice: string } = WORKBENCH_LIMIT
): Promise<{ stack: Stack; read: ServerRead }> {
  const t0 = performance.now();
  const headers = request.headers ?? {};
  const applyRingCurrent = request.applyRingCurrent === true;
  const probe = await probeRanges(request.name, request.url, headers);
  const fs = runtime.FS as unknown as EmscriptenFsLike & {
    writeFile(path: string, data: Uint8Array, opts?: { canOwn?: boolean }): void;
  };
  const file = `stxm-url-${request.id}.h5`;
  if (probe.kind === 'whole') {
    const path = `/${file}`;
    fs.writeFile(path, new Uint8Array(probe.bytes), { canOwn: true });
    try {
      const stack = readStack(runtime, path, request.name, { onProgress, limit, applyRingCurrent });
      const n = probe.bytes.byteLength;
      const read = { bytes: n, lazy: false, requests: 1, bytesFetched: n, cachePeakBytes: n };
      return { stack, read: { ...read, ms: performance.now() - t0 } };
    } finally {
      fs.unlink(path);
    }
  }
  const mount = mountRangeFile(fs, '/', file, xhrRangeSource(request.url, headers, probe.size));
  try {
    const stack = readStack(runtime, mount.path, request.name, {
      onProgress,
      limit,
      applyRingCurrent
    });
    const { requests, bytesFetched, cachePeakBytes } = mount.reader.stats;
    return {
      stack,
      read: {
        bytes: probe.size,
        lazy: true,
        requests: requests + 1,
        bytesFetched: bytesFetched + 1,
        cachePeakBytes,
        ms: performance.now() - t0
      }
    };
  } catch (err) {
    const failure = mount.reader.failure;
    if (failure) {
      // HDF5 saw a failed read; the reason is the server's answer
      throw new StackReadError(
        request.name,
        `could not be read from the server: ${failure.message}`
      );
    }
    throw err;
  } finally {
    mount.unmount();
  }
}
