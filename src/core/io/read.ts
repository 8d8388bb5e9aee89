/**
 * Entry point of the stack readers: picks the reader by content (HDF5
 * signature, TIFF signature, an aXis2000 header) and, failing that, by the
 * file name's extension.
 *
 * In Node the files are real paths (h5wasm/node, NODERAWFS). In the Web
 * Worker, write the file — and, for an aXis2000 `.hdr`, every data file it
 * names (`companionFiles`), for a TIFF its energy list — into one folder of
 * h5wasm's in-memory file system under their own names, then call
 * `readStack(runtime, '/folder/name.hdr', 'name.hdr')`.
 */
import type { Stack } from '../model/stack.js';
import { axis2000DataFiles, readAxis2000 } from './axis2000.js';
import { StackReadError } from './errors.js';
import { decodeText, extensionOf, fsFileAccess, type FileAccess } from './files.js';
import { HDF5_SIGNATURE, type H5Runtime } from './h5.js';
import type { ReadProgress } from './nxstxm-cube.js';
import { readNxstxm } from './nxstxm.js';
import { describeKind, IMAGE_KINDS } from './scan.js';
import { energyListNames, isTiff, readTiffStack } from './tiff-stack.js';

/** Extensions of single-file HDF5 stack formats (what the panel opens today). */
export const STACK_EXTENSIONS = ['.hdf5', '.h5', '.nxs', '.hdf', '.stxm'] as const;

/** Every extension `readStack` reads; `.hdr` and TIFF need the files beside them. */
export const ALL_STACK_EXTENSIONS = [...STACK_EXTENSIONS, '.hdr', '.tif', '.tiff'] as const;

export type StackFormat = 'nxstxm' | 'axis2000' | 'tiff';

export interface ReadOptions {
  /** NXstxm entry ("entry1") or aXis2000 region ("region 1", or its index) to read. */
  entry?: string;
  /** aXis2000 channel name or index. */
  channel?: string;
  /** TIFF: energies in eV, one per page (else an energy list file beside it). */
  energies?: number[];
  /** TIFF: pixel size in µm. */
  pixelSizeUm?: number;
  /** Access to the file and its neighbours (default: h5wasm's file system). */
  files?: FileAccess;
  /** NXstxm: called as the cube is read (values read, of the total). */
  onProgress?: ReadProgress;
  /** NXstxm: a smaller size limit than MAX_VALUES, and what to tell of a larger stack. */
  limit?: { values: number; advice: string };
  /**
   * NXstxm: apply the ring current as the cube is read (a stack read for one
   * run that normalises by it; see `NxstxmOptions.applyRingCurrent`).
   */
  applyRingCurrent?: boolean;
}

/** Which reader a file needs: by content first, then by extension. */
export function detectStackFormat(
  runtime: H5Runtime,
  path: string,
  displayName = path,
  files: FileAccess = fsFileAccess(runtime.FS)
): StackFormat {
  const size = files.size(path);
  if (size === undefined) {
    throw new StackReadError(displayName, 'file not found or not readable');
  }
  const ext = extensionOf(displayName) || extensionOf(path);
  if (size > 0) {
    const head = files.readHead(path, 4104);
    if (isTiff(head)) {
      return 'tiff';
    }
    if (/^\s*ScanDefinition\s*=/.test(decodeText(head.subarray(0, 64)))) {
      return 'axis2000';
    }
    if (looksLikeHdf5(head)) {
      return 'nxstxm';
    }
  }
  if ((STACK_EXTENSIONS as readonly string[]).includes(ext)) {
    return 'nxstxm'; // its reader says what is wrong (empty, not HDF5)
  }
  if (ext === '.hdr') {
    return 'axis2000';
  }
  if (ext === '.tif' || ext === '.tiff') {
    return 'tiff';
  }
  if (ext === '.xim' || ext === '.xsp') {
    throw new StackReadError(
      displayName,
      `a ${ext} file holds one part of an aXis2000 scan: open the .hdr file beside it`
    );
  }
  throw new StackReadError(
    displayName,
    size === 0
      ? 'file is empty (0 bytes)'
      : `unsupported file type (expected one of ${ALL_STACK_EXTENSIONS.join(', ')})`
  );
}

/**
 * Read any scan a file holds: an image stack, a single image, line or point
 * spectra, a focus scan (`metadata.scanKind` says which; see `ScanKind`).
 */
export function readScan(
  runtime: H5Runtime,
  path: string,
  displayName = path,
  options: ReadOptions = {}
): Stack {
  const files = options.files ?? fsFileAccess(runtime.FS);
  const format = detectStackFormat(runtime, path, displayName, files);
  if (format === 'axis2000') {
    return readAxis2000(files, path, displayName, {
      region: options.entry,
      channel: options.channel
    });
  }
  if (format === 'tiff') {
    return readTiffStack(files, path, displayName, {
      energies: options.energies,
      pixelSizeUm: options.pixelSizeUm
    });
  }
  return readNxstxm(runtime, path, displayName, {
    entry: options.entry,
    onProgress: options.onProgress,
    limit: options.limit,
    applyRingCurrent: options.applyRingCurrent
  });
}

/**
 * Read an image stack (or a single image) to view or analyse; scans of other
 * kinds are refused with a message that names their kind.
 */
export function readStack(
  runtime: H5Runtime,
  path: string,
  displayName = path,
  options: ReadOptions = {}
): Stack {
  const stack = readScan(runtime, path, displayName, options);
  const kind = stack.metadata.scanKind ?? 'image stack';
  if (!IMAGE_KINDS.includes(kind)) {
    const use =
      kind === 'focus'
        ? 'it holds neither images of the sample nor spectra'
        : 'use it as reference spectra';
    throw new StackReadError(
      displayName,
      `scan type "${stack.metadata.scanType}" is ${describeKind(kind)}, not an image stack: ${use}`
    );
  }
  return stack;
}

/**
 * The other files a scan needs beside `fileName` (for the page to send them
 * to the worker): an aXis2000 header's data files (from the header's text),
 * a TIFF's candidate energy-list names. Empty for single-file formats.
 */
export function companionFiles(fileName: string, text?: string): string[] {
  const ext = extensionOf(fileName);
  if (ext === '.hdr') {
    if (text === undefined) {
      throw new StackReadError(fileName, 'the header text is needed to list its data files');
    }
    return axis2000DataFiles(text, fileName);
  }
  if (ext === '.tif' || ext === '.tiff') {
    return energyListNames(fileName);
  }
  return [];
}

/** HDF5 signature at 0, 512, 1024, 2048 or 4096 (after a user block). */
function looksLikeHdf5(head: Uint8Array): boolean {
  return [0, 512, 1024, 2048, 4096].some(
    o => o + 8 <= head.length && HDF5_SIGNATURE.every((b, i) => head[o + i] === b)
  );
}
