/** Files on the Jupyter server: raw bytes (no base64, no JSON), and what a path is. */
import { PathExt, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection, type Contents } from '@jupyterlab/services';

import { companionFiles } from '../core/io/read.js';

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

export async function fetchFileBytes(
  path: string,
  settings: ServerConnection.ISettings
): Promise<ArrayBuffer> {
  const url = URLExt.join(settings.baseUrl, 'files', URLExt.encodeParts(path));
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
