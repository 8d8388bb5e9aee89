#!/usr/bin/env node
// What a worker's range requests leave resident in the renderer, with and
// without a DevTools (CDP) client attached — the caveat of every Chromium
// memory figure of the browser bench, which drives Chromium through
// Playwright (Playwright enables the Network domain in the page and in each
// worker, and the DevTools network agent keeps response bodies).
//
//   node bench/browser/fetch-retention.mjs [--requests 12] [--mib 16]
//
// A worker fetches --requests ranges of --mib MiB each (--how fetch: BYOB
// reads into one buffer; xhr: synchronous XHRs, as the product's range reads;
// nothing kept) from a local server; the renderer's peak VmRSS
// above the loaded page is printed for Chromium under Playwright and for
// the same Chromium launched alone (headless, no DevTools session: what a
// user's browser does), one JSON line each.
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { chromium, CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '12' },
    mib: { type: 'string', default: '16' },
    how: { type: 'string', default: 'fetch' }
  }
});
if (!['fetch', 'xhr', 'blob'].includes(values.how)) {
  throw new Error(`--how ${values.how}: fetch (BYOB stream) or xhr (synchronous, as the product reads)`);
}
const requests = Number(values.requests);
const length = Number(values.mib) * 2 ** 20;

const dir = mkdtempSync(join(tmpdir(), 'stxm-fetch-retention-'));
const big = join(dir, 'big.bin');
// the same bytes fetched again and again: the file need only be one request long
writeFileSync(big, Buffer.alloc(length, 7));
const PAGE = `<html><body><script>
setTimeout(async () => {
  await fetch('/ready');
  await new Promise(r => setTimeout(r, 700));
  const w = new Worker('/worker.js');
  w.onmessage = () => fetch('/done');
  w.postMessage(${JSON.stringify({ requests, length, how: values.how })});
}, 1000);
</script></body></html>`;
const WORKER = `onmessage = async e => {
  const { requests, length, how } = e.data;
  const heap = new Uint8Array(length);
  for (let i = 0; i < requests; i++) {
    if (how === 'blob') {
      // the answer as a Blob, copied out in 1 MiB pieces (synchronous, as xhr)
      const xhr = new XMLHttpRequest();
      xhr.open('GET', '/big.bin', false);
      xhr.responseType = 'blob';
      xhr.setRequestHeader('Range', 'bytes=0-' + (length - 1));
      xhr.send();
      const blob = xhr.response;
      const reader = new FileReaderSync();
      const PIECE = 1 << 18;
      for (let at = 0; at < blob.size; at += PIECE) {
        heap.set(new Uint8Array(reader.readAsArrayBuffer(blob.slice(at, at + PIECE))), at);
      }
      continue;
    }
    if (how === 'xhr') {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', '/big.bin', false);
      xhr.responseType = 'arraybuffer';
      xhr.setRequestHeader('Range', 'bytes=0-' + (length - 1));
      xhr.send();
      heap.set(new Uint8Array(xhr.response));
      continue;
    }
    const r = await fetch('/big.bin', { headers: { Range: 'bytes=0-' + (length - 1) }, cache: 'no-store' });
    const reader = r.body.getReader({ mode: 'byob' });
    let off = 0;
    let buf = new ArrayBuffer(1 << 20);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buf));
      if (done) break;
      heap.set(value, off);
      off += value.length;
      buf = value.buffer;
    }
  }
  postMessage('done');
};`;

let onReady = () => {};
let onDone = () => {};
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const headers = { 'Cache-Control': 'no-store' };
  if (path === '/ready' || path === '/done') {
    res.end('ok');
    (path === '/ready' ? onReady : onDone)();
  } else if (path === '/big.bin') {
    res.writeHead(206, {
      ...headers,
      'Content-Length': length,
      'Content-Range': `bytes 0-${length - 1}/${length}`
    });
    createReadStream(big).pipe(res);
  } else if (path === '/worker.js') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(WORKER);
  } else if (path === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE);
  } else {
    res.writeHead(404).end();
  }
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** The parent of a process (0 when it is gone). */
function parentOf(pid) {
  try {
    // "pid (comm) state ppid …": comm may hold spaces, so split after its ")"
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** VmRSS of the renderer processes under `root` (this process: the browser it started), MiB. */
function rendererRss(root) {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) {
      continue;
    }
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) {
        continue;
      }
      let p = Number(pid);
      while (p > 1 && p !== root) {
        p = parentOf(p);
      }
      if (p === root) {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        total += Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Peak renderer RSS above the loaded page while the worker fetches. */
async function measure(start) {
  const ready = new Promise(r => (onReady = r));
  const done = new Promise(r => (onDone = r));
  const { root, stop } = await start();
  await ready;
  await new Promise(r => setTimeout(r, 300));
  const base = rendererRss(root);
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, rendererRss(root))), 10);
  await done;
  clearInterval(timer);
  await stop();
  return Math.round(peak - base);
}

const fetchedMiB = (requests * length) / 2 ** 20;
try {
  const underPlaywright = await measure(async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.goto(origin);
    return { root: process.pid, stop: () => browser.close() };
  });
  console.log(JSON.stringify({ client: 'Playwright', how: values.how, fetchedMiB, rendererPeakAboveMiB: underPlaywright }));
  const alone = await measure(async () => {
    const profile = mkdtempSync(join(dir, 'profile-'));
    const proc = spawn(
      CHROMIUM,
      ['--headless=new', ...CHROMIUM_ARGS, `--user-data-dir=${profile}`, origin],
      { stdio: 'ignore' }
    );
    return {
      root: process.pid,
      stop: async () => {
        proc.kill('SIGKILL');
        await new Promise(r => setTimeout(r, 300));
      }
    };
  });
  console.log(JSON.stringify({ client: 'none', how: values.how, fetchedMiB, rendererPeakAboveMiB: alone }));
} finally {
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
