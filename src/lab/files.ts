/** Raw bytes of a file on the Jupyter server (no base64, no JSON). */
import { PathExt, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { companionFiles } from '../core/io/read.js';

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
