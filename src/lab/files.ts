/** Raw bytes of a file on the Jupyter server (no base64, no JSON). */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

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

/** Encode bytes as base64 for the contents API, in slices (no huge argument lists). */
export function toBase64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
