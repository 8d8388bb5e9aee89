// Driving the benchmark page without a DevTools client (run.mjs --driver
// plain): Chromium is launched alone, and the page asks this server for
// what to evaluate (long polling) and posts back the answers, its log lines
// and its phase marks. Playwright's DevTools session keeps the bodies of the
// workers' responses in the renderer (bench/browser/fetch-retention.mjs),
// which a user's browser does not: memory figures of reading are the
// product's only without it.

/** Read a request's JSON body. */
function body(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', chunk => (text += chunk));
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : null);
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

/**
 * `handle(req, res, path)` serves /rpc/… (true when it did); `page` has the
 * part of Playwright's Page the tasks use: `evaluate(fn, arg)` (the function's
 * source is evaluated in the page, so it may use only its argument and the
 * page's globals), `waitForReady()`.
 */
export function startRpc({ onLog = () => {}, onMark = () => {} } = {}) {
  const queue = [];
  let waiting = null; // the page's open /rpc/next request
  const pending = new Map();
  let nextId = 0;
  let ready;
  const readyPromise = new Promise(resolve => (ready = resolve));
  const send = res => {
    const cmd = queue.shift();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(cmd));
  };
  const ok = res => res.writeHead(204, { 'Cache-Control': 'no-store' }).end();

  async function handle(req, res, path) {
    if (!path.startsWith('/rpc/')) {
      return false;
    }
    if (path === '/rpc/next') {
      if (queue.length > 0) {
        send(res);
      } else {
        waiting = res;
      }
      return true;
    }
    const message = await body(req);
    if (path === '/rpc/ready') {
      ready();
    } else if (path === '/rpc/log') {
      onLog(String(message));
    } else if (path === '/rpc/mark') {
      onMark(String(message));
    } else if (path === '/rpc/result') {
      const p = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) {
        p?.resolve(message.value);
      } else {
        p?.reject(new Error(message.error));
      }
    }
    ok(res);
    return true;
  }

  const page = {
    evaluate(fn, arg) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        queue.push({ id, source: String(fn), arg: arg ?? null });
        if (waiting) {
          const res = waiting;
          waiting = null;
          send(res);
        }
      });
    },
    waitForReady: () => readyPromise
  };
  return { handle, page };
}
