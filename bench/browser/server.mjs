// A tiny static HTTP server for the browser benchmark (node:http, 127.0.0.1,
// a random free port). It serves folders under URL prefixes and single files
// under fixed URLs, and nothing else: no directory listings, no paths outside
// the folders it was given. Every response is `no-store` so that a rerun never
// sees a stale bundle. Like a default JupyterLab server it sends no COOP/COEP
// headers (the page is not cross-origin isolated, as in the product).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
};

/**
 * @param {{ dirs: Record<string, string>, files: Record<string, string> }} routes
 *   `dirs`: URL prefix (ending in `/`) → folder; `files`: exact URL → file.
 * @returns {Promise<{ origin: string, requests: string[], close: () => Promise<void> }>}
 *   `requests` lists every URL path served with status 200, in order.
 */
export async function startServer(routes) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = resolveRoute(routes, path);
    let size = -1;
    try {
      size = file && req.method === 'GET' ? statSync(file).size : -1;
    } catch {
      // missing file: 404 below
    }
    if (size < 0) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`);
      return;
    }
    requests.push(path);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-store'
    });
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

function resolveRoute({ dirs, files }, path) {
  if (Object.hasOwn(files, path)) {
    return files[path];
  }
  for (const [prefix, dir] of Object.entries(dirs)) {
    if (path.startsWith(prefix)) {
      const file = normalize(join(dir, path.slice(prefix.length)));
      // never outside the folder (`..` segments)
      return file.startsWith(normalize(dir) + sep) ? file : null;
    }
  }
  return null;
}
