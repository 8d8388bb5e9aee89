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
 * @param {{ dirs: Record<string, string>, files: Record<string, string>, handle?: Function }} routes
 *   `dirs`: URL prefix (ending in `/`) → folder; `files`: exact URL → file; `handle(req, res,
 *   path)`: answers what it knows first (true when it did; rpc.mjs).
 * @returns {Promise<{ origin: string, requests: string[], ranges: { count: number, bytes: number }, close: () => Promise<void> }>}
 *   `requests` lists every URL path served whole (status 200), in order; `ranges` counts
 *   the range requests answered (206) and their bytes. A `Range: bytes=a-b` request is
 *   answered as Jupyter's /files/ (tornado's static handler) answers it.
 */
export async function startServer(routes) {
  const requests = [];
  const ranges = { count: 0, bytes: 0 };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (routes.handle && (await routes.handle(req, res, path))) {
      return;
    }
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
    // a single byte range, as tornado's static handler (Jupyter's /files/) answers it
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(size - 1, range[2] === '' ? size - 1 : Number(range[2]));
      if (start >= size || end < start) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      ranges.count++;
      ranges.bytes += end - start + 1;
      res.writeHead(206, {
        'Content-Type': type,
        'Content-Length': end - start + 1,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'no-store'
      });
      createReadStream(file, { start, end })
        .on('error', () => res.destroy())
        .pipe(res);
      return;
    }
    requests.push(path);
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': size,
      'Accept-Ranges': 'bytes',
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
    ranges,
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
