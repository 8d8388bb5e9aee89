/**
 * Saving exports through the Jupyter contents API, next to the stack: the
 * files land where the user's data and notebooks are (on the server, also
 * when the browser runs elsewhere), appear in the file browser, and never
 * overwrite an earlier export (a free name is chosen).
 */
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';

import { bytesToBase64 } from './base64.js';
import { fileExists } from './references.js';

/** `dir/stem_suffix.ext`, or `dir/stem_suffix-2.ext`, … when taken. */
export async function freePath(
  contents: Contents.IManager,
  stackPath: string,
  suffix: string,
  ext: string
): Promise<string> {
  const dir = PathExt.dirname(stackPath);
  const stem = PathExt.basename(stackPath, PathExt.extname(stackPath));
  for (let i = 1; i < 1000; i++) {
    const name = `${stem}_${suffix}${i === 1 ? '' : `-${i}`}.${ext}`;
    const path = PathExt.join(dir, name);
    if (!(await fileExists(contents, path))) {
      return path;
    }
  }
  throw new Error(`no free file name for ${stem}_${suffix}.${ext}`);
}

export async function saveText(
  contents: Contents.IManager,
  path: string,
  text: string
): Promise<string> {
  await contents.save(path, { type: 'file', format: 'text', content: text });
  return path;
}

export async function saveBytes(
  contents: Contents.IManager,
  path: string,
  bytes: ArrayBuffer | Blob
): Promise<string> {
  const buffer = bytes instanceof Blob ? await bytes.arrayBuffer() : bytes;
  await contents.save(path, { type: 'file', format: 'base64', content: bytesToBase64(buffer) });
  return path;
}
