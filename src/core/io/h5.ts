/**
 * The part of h5wasm the readers use, injected rather than imported, so the
 * same reader runs under `h5wasm/node` (the command line, tests) and the
 * browser build of `h5wasm` (the Web Worker), whose module objects differ.
 */
import type { Dataset, Entity, File as H5File, Group } from 'h5wasm';

import { StackReadError } from './errors.js';
import { repairString } from './text.js';

/** Minimal view of the Emscripten file system h5wasm exposes. */
export interface H5FileSystem {
  open(path: string, flags: string): unknown;
  read(
    stream: unknown,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position?: number
  ): number;
  close(stream: unknown): void;
  stat(path: string): { size: number };
}

/**
 * h5wasm's low-level hyperslab read into its own heap: what `Dataset.slice`
 * calls, without the two copies it then makes (out of the heap, then into
 * the caller's array). The cube reader reads each frame into one buffer of
 * the heap and copies it once, straight into the cube.
 */
export interface H5RawRead {
  get_dataset_data(
    fileId: bigint,
    path: string,
    count: bigint[] | null,
    offset: bigint[] | null,
    strides: bigint[] | null,
    ptr: bigint
  ): number;
  _malloc(size: number): number;
  _free(ptr: number): void;
  /** The heap; replaced by a new view when the heap grows (read it after each call). */
  HEAPU8: Uint8Array;
}

/** What a reader needs from an initialised h5wasm module. */
export interface H5Runtime {
  File: new (filename: string, mode?: 'r' | 'w' | 'a') => H5File;
  FS: H5FileSystem;
  /** The module's raw read, when it has one (every h5wasm build does). */
  raw?: H5RawRead;
}

/** The parts of an initialised h5wasm module used to build a runtime. */
export interface H5ModuleLike extends Partial<H5RawRead> {
  FS: unknown;
  activate_throwing_error_handler?: () => number;
}

/**
 * Build the runtime from h5wasm's `File` class and its ready module. HDF5's
 * error stack is turned into thrown JS errors instead of lines printed on
 * stderr (which would break the command line's one-line errors).
 */
export function createH5Runtime(File: H5Runtime['File'], module: H5ModuleLike): H5Runtime {
  module.activate_throwing_error_handler?.();
  const raw =
    typeof module.get_dataset_data === 'function' &&
    typeof module._malloc === 'function' &&
    typeof module._free === 'function' &&
    module.HEAPU8 instanceof Uint8Array
      ? (module as H5RawRead)
      : undefined;
  return { File, FS: module.FS as H5FileSystem, ...(raw ? { raw } : {}) };
}

/**
 * The useful part of an error from HDF5: the message of the innermost frame
 * of its error stack ("truncated file: eof = …"), or the error's own message.
 */
export function describeH5Error(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const frames = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)$/gm)];
  const last = frames.at(-1);
  return (last ? last[1] : text).replace(/\s+/g, ' ').trim();
}

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Whether the file carries an HDF5 superblock signature at 0, 512, 1024, …
 * (HDF5 allows a user block before the superblock).
 */
export function hasHdf5Signature(fs: H5FileSystem, path: string): boolean {
  const size = fs.stat(path).size;
  const stream = fs.open(path, 'r');
  try {
    const buf = new Uint8Array(8);
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      if (
        fs.read(stream, buf, 0, 8, offset) === 8 &&
        HDF5_SIGNATURE.every((b, i) => buf[i] === b)
      ) {
        return true;
      }
    }
    return false;
  } finally {
    fs.close(stream);
  }
}

/** Open an HDF5 file for reading, with a clear error for a file that is not one. */
export function openHdf5(runtime: H5Runtime, path: string, displayName: string): H5File {
  let size: number;
  try {
    size = runtime.FS.stat(path).size;
  } catch {
    throw new StackReadError(displayName, 'file not found or not readable');
  }
  if (size === 0) {
    throw new StackReadError(displayName, 'file is empty (0 bytes)');
  }
  if (!hasHdf5Signature(runtime.FS, path)) {
    throw new StackReadError(displayName, 'not an HDF5 file (no HDF5 signature)');
  }
  try {
    return new runtime.File(path, 'r');
  } catch (err) {
    throw new StackReadError(displayName, `cannot open the HDF5 file: ${describeH5Error(err)}`);
  }
}

// h5wasm tags each entity with a string `type` ("Group", "Dataset", …);
// class names are not usable after minification.
export function isGroup(entity: Entity | null): entity is Group {
  return entity !== null && 'type' in entity && String(entity.type) === 'Group';
}

export function isDataset(entity: Entity | null): entity is Dataset {
  return entity !== null && 'type' in entity && String(entity.type) === 'Dataset';
}

/** `group.get(name)` that returns `null` instead of throwing on a missing or broken link. */
export function child(group: Group, name: string): Entity | null {
  try {
    return group.keys().includes(name) ? group.get(name) : null;
  } catch {
    return null;
  }
}

/** First string of a string (or string-array) attribute, repaired; `undefined` if absent. */
export function stringAttr(entity: Group | Dataset, name: string): string | undefined {
  const attr = entity.attrs[name];
  if (!attr) {
    return undefined;
  }
  return firstString(attr.value);
}

/** All strings of a string-array attribute, repaired. */
export function stringArrayAttr(entity: Group | Dataset, name: string): string[] | undefined {
  const attr = entity.attrs[name];
  if (!attr) {
    return undefined;
  }
  const value = attr.value;
  if (typeof value === 'string') {
    return value.split(/[:,\s]+/).filter(s => s.length > 0);
  }
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === 'string').map(repairString);
  }
  return undefined;
}

/** First string of a string dataset (scalar or array), repaired. */
export function stringDataset(group: Group, name: string): string | undefined {
  const ds = child(group, name);
  if (!isDataset(ds)) {
    return undefined;
  }
  try {
    return firstString(ds.value);
  } catch {
    return undefined;
  }
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return repairString(value).replace(/\0+$/, '').trim();
  }
  if (Array.isArray(value) && typeof value[0] === 'string') {
    return repairString(value[0]).replace(/\0+$/, '').trim();
  }
  return undefined;
}

/** A numeric dataset as float64, or `undefined` when it is absent or not numeric. */
export function numericDataset(group: Group, name: string): Float64Array | undefined {
  const ds = child(group, name);
  if (!isDataset(ds)) {
    return undefined;
  }
  return toFloat64(ds.value);
}

/** Any numeric value h5wasm returns (typed array, bigint array, number) as float64. */
export function toFloat64(value: unknown): Float64Array | undefined {
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
    return Float64Array.from(value, Number);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Float64Array.from(value as unknown as ArrayLike<number>);
  }
  if (typeof value === 'number') {
    return Float64Array.of(value);
  }
  return undefined;
}
