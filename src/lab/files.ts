/** Files on the Jupyter server: raw bytes (no base64, no JSON), and what a path is. */
import { PathExt, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection, type Contents } from '@jupyterlab/services';

import { companionFiles, STACK_EXTENSIONS } from '../core/io/read.js';
import type { HeldStack } from '../core/model/cube.js';
import type { Stack } from '../core/model/stack.js';
import type { AnalysisWorkerClient } from '../worker/client.js';
import { readWorkbenchStack } from '../worker/open.js';
import type { ServerRead } from '../worker/protocol.js';
import type { WorkerCubeStore } from '../worker/store.js';

/**
 * What is at `path` on the server (file, notebook, directory …), or null when
 * nothing is there. Asks for the listing of its folder rather than for the
 * path itself: a missing path would be a 404, which the browser logs as an
 * error in the console however the answer is used.
 */
export async function pathEntry(
  contents: Pick<Contents.IManager, 'get'>,
  path: string
): Promise<Contents.IModel | null> {
  const dir = PathExt.dirname(path);
  const name = PathExt.basename(path);
  let listing: Contents.IModel;
  try {
    listing = await contents.get(dir, { type: 'directory', content: true });
  } catch {
    return null; // no such folder (or not readable): nothing there either way
  }
  const items = Array.isArray(listing.content) ? (listing.content as Contents.IModel[]) : [];
  return items.find(item => item.name === name) ?? null;
}

/** The server's /files/ URL of `path`. */
function filesUrl(path: string, settings: ServerConnection.ISettings): string {
  return URLExt.join(settings.baseUrl, 'files', URLExt.encodeParts(path));
}

export async function fetchFileBytes(
  path: string,
  settings: ServerConnection.ISettings
): Promise<ArrayBuffer> {
  const url = filesUrl(path, settings);
  const response = await ServerConnection.makeRequest(url, { cache: 'no-store' }, settings);
  if (!response.ok) {
    throw new Error(`${path}: the server answered ${response.status} ${response.statusText}`);
  }
  return response.arrayBuffer();
}

/**
 * The files a multi-file scan needs beside it, fetched from the same folder:
 * an aXis2000 header's data files (listed in the header; a missing one is left
 * for the reader to name), a TIFF's energy list (whichever of the usual names
 * exists). Call before the main bytes are transferred.
 */
export async function fetchCompanions(
  path: string,
  bytes: ArrayBuffer,
  settings: ServerConnection.ISettings
): Promise<{ name: string; bytes: ArrayBuffer }[]> {
  const lower = path.toLowerCase();
  const name = PathExt.basename(path);
  const dir = PathExt.dirname(path);
  let names: string[] = [];
  if (lower.endsWith('.hdr')) {
    names = companionFiles(name, new TextDecoder('latin1').decode(bytes));
  } else if (lower.endsWith('.tif') || lower.endsWith('.tiff')) {
    names = companionFiles(name);
  } else {
    return [];
  }
  const out: { name: string; bytes: ArrayBuffer }[] = [];
  for (const n of names) {
    try {
      out.push({ name: n, bytes: await fetchFileBytes(PathExt.join(dir, n), settings) });
    } catch {
      // absent: the reader says which file it misses (or needs none)
    }
  }
  return out;
}

/**
 * The absolute /files/ URL of `path` (with a query that keeps the browser's
 * cache out of it) and the headers a request to it needs from a worker.
 */
export function serverFile(
  path: string,
  settings: ServerConnection.ISettings
): { url: string; headers: Record<string, string> } {
  const absolute = new URL(filesUrl(path, settings), globalThis.location?.href);
  absolute.searchParams.set('_', String(Date.now()));
  return {
    url: absolute.href,
    headers: settings.token ? { Authorization: `token ${settings.token}` } : {}
  };
}

/**
 * Read the stack at `path` on the server in the analysis worker. An HDF5
 * file is read where it lies, with range requests, a slab of the cube at a
 * time (`onProgress`: values read, of the total), so a file larger than the
 * worker's memory for files opens; a multi-file scan (aXis2000, TIFF) is
 * fetched with the files beside it. With `workbench`, a stack too large to
 * move between workers is read by the workbench's stack worker, which holds
 * it (a `HeldStack`: worker/open.ts).
 */
export async function readServerStack(
  worker: Pick<AnalysisWorkerClient, 'readStack' | 'readStackFromServer'>,
  path: string,
  settings: ServerConnection.ISettings,
  onProgress?: (done: number, total: number) => void,
  workbench?: {
    /** The workbench's stack worker: it reads and holds a stack too large to move. */
    store: Pick<WorkerCubeStore, 'canRead' | 'readFromServer'>;
    /** Stacks of more values stay in the stack worker (the setting; default 2^28). */
    transferLimit?: number;
    /** Apply the file's ring current as an HDF5 stack is read (worker/open.ts). */
    applyRingCurrent?: boolean;
  }
): Promise<{ stack: Stack | HeldStack; read?: ServerRead }> {
  const ext = PathExt.extname(path).toLowerCase();
  if ((STACK_EXTENSIONS as readonly string[]).includes(ext)) {
    const { url, headers } = serverFile(path, settings);
    return readWorkbenchStack(worker, workbench?.store ?? null, path, url, {
      headers,
      onProgress,
      transferLimit: workbench?.transferLimit,
      applyRingCurrent: workbench?.applyRingCurrent
    });
  }
  const bytes = await fetchFileBytes(path, settings);
  const companions = await fetchCompanions(path, bytes, settings);
  return { stack: await worker.readStack(path, bytes, companions) };
}
