/**
 * Entry point of the readers: picks a reader from the file name.
 */
import type { Stack } from '../model/stack.js';
import { StackReadError } from './errors.js';
import type { H5Runtime } from './h5.js';
import { readNxstxm } from './nxstxm.js';

export { StackReadError, oneLine } from './errors.js';
export { createH5Runtime, describeH5Error } from './h5.js';
export type { H5FileSystem, H5ModuleLike, H5Runtime } from './h5.js';
export { readNxstxm } from './nxstxm.js';
export { lengthToMicrometres, repairString } from './text.js';

/** File name extensions of the stack formats the readers open. */
export const STACK_EXTENSIONS = ['.hdf5', '.h5', '.nxs', '.hdf', '.stxm'] as const;

/** Read a stack from `path` (in h5wasm's file system), choosing the reader by extension. */
export function readStack(runtime: H5Runtime, path: string, displayName = path): Stack {
  const lower = displayName.toLowerCase();
  if (STACK_EXTENSIONS.some(ext => lower.endsWith(ext))) {
    return readNxstxm(runtime, path, displayName);
  }
  throw new StackReadError(
    displayName,
    `unsupported file type (expected one of ${STACK_EXTENSIONS.join(', ')})`
  );
}
