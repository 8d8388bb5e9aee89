// Resident memory of the browser, from /proc (Linux only).
//
// Playwright starts Chromium as a child of this Node process, so the
// browser's processes (browser, zygotes, renderers, GPU and utility
// processes) are exactly this process's descendants. A dedicated Web Worker
// runs inside the renderer of its page, so the renderer's resident set holds
// the page, every worker of the page, their JS heaps, ArrayBuffers and
// WebAssembly memories (tfjs, h5wasm).
//
// Per process we read VmRSS (resident set, includes shared library pages
// that every Chromium process maps: summing it over processes counts those
// several times) and RssAnon (anonymous memory only: heaps, buffers, wasm;
// a fairer sum). A sampler reads them every `intervalMs` and keeps the peaks
// overall and between named marks.
import { readdirSync, readFileSync } from 'node:fs';

/** pid → { ppid } of every process, from /proc/<pid>/stat. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // "pid (comm) state ppid …"; comm may hold spaces or parentheses
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(rest[1]) });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

/** Every descendant pid of `root`. */
export function descendants(root) {
  const table = processTable();
  const children = new Map();
  for (const [pid, { ppid }] of table) {
    if (!children.has(ppid)) {
      children.set(ppid, []);
    }
    children.get(ppid).push(pid);
  }
  const out = [];
  const todo = [...(children.get(root) ?? [])];
  while (todo.length > 0) {
    const pid = todo.pop();
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Chromium's process type from its command line (`--type=renderer` …; none = the browser). */
function processType(pid) {
  try {
    // NUL-separated, or one space-separated string once Chromium has renamed the process
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
    const type = /--type=(\S+)/.exec(cmdline)?.[1];
    const utility = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1];
    if (!type) {
      return cmdline.includes('chrom') ? 'browser' : 'other';
    }
    if (type === 'renderer' && cmdline.includes('--top-chrome-webui')) {
      return 'renderer:webui'; // the headless shell's own UI, not a web page
    }
    return type + (utility ? `:${utility}` : '');
  } catch {
    return 'gone';
  }
}

/** { rss, anon } in bytes, or null when the process is gone. */
function residentOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = key => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, anon: kb('RssAnon') * 1024 };
  } catch {
    return null;
  }
}

/** CPU time (user + system, clock ticks) of every renderer process, by pid. */
export function rendererCpuTicks(root = process.pid) {
  const out = new Map();
  for (const pid of descendants(root)) {
    if (processType(pid) !== 'renderer') {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, Number(f[11]) + Number(f[12])); // utime, stime (fields 14, 15)
    } catch {
      // gone
    }
  }
  return out;
}

/**
 * Which renderer runs a page: the one whose CPU time grows most while
 * `busy()` keeps the page's main thread spinning. Chromium starts more than
 * one renderer (a spare one, the headless shell's WebUI) and a freshly
 * loaded page is not always the largest, so size alone cannot tell.
 * @returns the pid, or 0 when no renderer stood out.
 */
export async function identifyRenderer(busy, root = process.pid) {
  const before = rendererCpuTicks(root);
  await busy();
  const after = rendererCpuTicks(root);
  let best = 0;
  let bestDelta = 0;
  for (const [pid, ticks] of after) {
    const delta = ticks - (before.get(pid) ?? 0);
    if (delta > bestDelta) {
      best = pid;
      bestDelta = delta;
    }
  }
  return best;
}

/**
 * One reading: totals over every browser process, and the page's renderer
 * (`rendererPid`, which hosts the page and its workers; 0 = the renderer with
 * the largest resident set).
 */
export function readBrowserMemory(root = process.pid, rendererPid = 0) {
  const types = readBrowserMemory.types;
  let rss = 0;
  let anon = 0;
  let renderer = { pid: 0, rss: 0, anon: 0 };
  let processes = 0;
  for (const pid of descendants(root)) {
    const mem = residentOf(pid);
    if (!mem) {
      continue;
    }
    if (!types.has(pid) || types.get(pid) === 'zygote') {
      // a process forked by a zygote shows the zygote's command line until it
      // renames itself: look again until it is something else
      types.set(pid, processType(pid));
    }
    if (types.get(pid) === 'other') {
      continue; // not Chromium (e.g. a helper process of this Node script)
    }
    processes++;
    rss += mem.rss;
    anon += mem.anon;
    const page = rendererPid
      ? pid === rendererPid
      : types.get(pid) === 'renderer' && mem.rss > renderer.rss;
    if (page) {
      renderer = { pid, ...mem };
    }
  }
  return { rss, anon, renderer, processes };
}
readBrowserMemory.types = new Map();

/**
 * Samples the browser's memory every `intervalMs` until `stop()`.
 * `mark(name)` starts a phase; `recent(ms)` is the median of the last `ms`
 * (a baseline); `report()` gives the peak of each quantity overall and per
 * phase (from its mark to the next).
 */
export function startSampler(intervalMs = 50) {
  const t0 = performance.now();
  const samples = [];
  const marks = [];
  let rendererPid = 0;
  const take = () => {
    try {
      const m = readBrowserMemory(process.pid, rendererPid);
      samples.push({
        t: performance.now() - t0,
        totalRss: m.rss,
        totalAnon: m.anon,
        rendererRss: m.renderer.rss,
        rendererAnon: m.renderer.anon,
        rendererPid: m.renderer.pid,
        processes: m.processes
      });
    } catch {
      // /proc unreadable for a moment: skip this sample
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    intervalMs,
    /** Follow this renderer (see identifyRenderer) from now on. */
    setRenderer(pid) {
      rendererPid = pid;
    },
    mark(name) {
      take();
      marks.push({ name, t: performance.now() - t0 });
    },
    /** Median of the samples taken in the last `ms` (a quiet baseline). */
    recent(ms) {
      const now = performance.now() - t0;
      return summarise(
        samples.filter(s => s.t >= now - ms),
        'median'
      );
    },
    stop() {
      clearInterval(timer);
      take();
    },
    report() {
      const phases = {};
      marks.forEach((m, i) => {
        const end = marks[i + 1]?.t ?? Number.POSITIVE_INFINITY;
        phases[m.name] = summarise(
          samples.filter(s => s.t >= m.t && s.t <= end),
          'max'
        );
      });
      return {
        intervalMs,
        samples: samples.length,
        peak: summarise(samples, 'max'),
        phases,
        processTypes: Object.fromEntries(
          [...readBrowserMemory.types.values()]
            .filter(t => t !== 'other')
            .reduce((acc, t) => acc.set(t, (acc.get(t) ?? 0) + 1), new Map())
        )
      };
    }
  };
}

const KEYS = ['totalRss', 'totalAnon', 'rendererRss', 'rendererAnon'];

/** Per quantity, the max (or median) over `samples`, in MiB (one decimal). */
function summarise(samples, how) {
  const out = { samples: samples.length };
  for (const k of KEYS) {
    const v = samples.map(s => s[k]).sort((a, b) => a - b);
    const x = v.length === 0 ? NaN : how === 'max' ? v[v.length - 1] : v[v.length >> 1];
    out[`${k}MiB`] = mib(x);
  }
  return out;
}

export const mib = bytes => Math.round((bytes / 2 ** 20) * 10) / 10;
