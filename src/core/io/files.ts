/**
 * Access to the bytes of a file and of the files beside it, for the formats
 * that are more than one file (aXis2000 `.hdr` + `.xim`, TIFF + energy list)
 * and for the text and TIFF readers. The default implementation goes through
 * h5wasm's Emscripten file system: real paths under Node (NODERAWFS), the
 * in-memory file system in the Web Worker (write every file of a scan into
 * one folder there, under its own name).
 */
import type { H5FileSystem } from './h5.js';

export interface FileAccess {
  /** Size in bytes, or `undefined` when there is no such file. */
  size(path: string): number | undefined;
  /** The whole file (throws when it cannot be read). */
  readBytes(path: string): Uint8Array;
  /** The first `n` bytes (fewer for a shorter file). */
  readHead(path: string, n: number): Uint8Array;
}

/** FileAccess over h5wasm's file system. */
export function fsFileAccess(fs: H5FileSystem): FileAccess {
  return {
    size(path) {
      try {
        return fs.stat(path).size;
      } catch {
        return undefined;
      }
    },
    readHead(path, n) {
      const size = Math.min(n, fs.stat(path).size);
      const out = new Uint8Array(size);
      const stream = fs.open(path, 'r');
      try {
        const got = fs.read(stream, out, 0, size, 0);
        return out.subarray(0, Math.max(0, got));
      } finally {
        fs.close(stream);
      }
    },
    readBytes(path) {
      const size = fs.stat(path).size;
      const out = new Uint8Array(size);
      const stream = fs.open(path, 'r');
      try {
        let done = 0;
        while (done < size) {
          const n = fs.read(stream, out, done, size - done, done);
          if (n <= 0) {
            break;
          }
          done += n;
        }
        return done === size ? out : out.subarray(0, done);
      } finally {
        fs.close(stream);
      }
    }
  };
}

/** FileAccess over an in-memory map of path → bytes (tests, the page). */
export function memoryFileAccess(files: Map<string, Uint8Array>): FileAccess {
  return {
    size: path => files.get(path)?.length,
    readHead(path, n) {
      return this.readBytes(path).subarray(0, n);
    },
    readBytes(path) {
      const bytes = files.get(path);
      if (!bytes) {
        throw new Error(`no such file: ${path}`);
      }
      return bytes;
    }
  };
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Text of a file: UTF-8 when it is valid UTF-8, else Latin-1. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

/** Lenient UTF-8 (for sniffing the start of a file). */
export function peekText(bytes: Uint8Array, n = 512): string {
  return utf8.decode(bytes.subarray(0, n));
}

/** The folder part of a path ('' when there is none). */
export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i);
}

/** The file part of a path. */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

/** Lower-case extension with its dot ('' when there is none). */
export function extensionOf(path: string): string {
  const base = baseName(path);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i).toLowerCase();
}

/** The path without its extension. */
export function stripExtension(path: string): string {
  const ext = extensionOf(path);
  return ext ? path.slice(0, path.length - ext.length) : path;
}

/** A sibling of `path` named `name`. */
export function sibling(path: string, name: string): string {
  const dir = dirName(path);
  return dir === '' ? name : `${dir}/${name}`;
}
