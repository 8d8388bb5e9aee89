#!/usr/bin/env node
/**
 * Import cycles, type-only imports included: in src/ (`import type`, `export
 * type … from`, `import()` types and dynamic imports, read with the
 * TypeScript compiler's own pre-processor; `./x.js` → `./x.ts`,
 * `./dir/index.ts`) and in the Python package python/stxm_phasemap (`from .x
 * import …`, those under `if TYPE_CHECKING:` too). A type-only cycle still
 * ties two modules to each other's shape. Prints every strongly connected
 * component with one cycle through it, by name. Part of `npm run lint`
 * (`npm run lint:cycles`); exit 1 when there is a cycle.
 *
 *   node lint/cycles.mjs [folder …]   (default: src python/stxm_phasemap)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOTS = (
  process.argv.length > 2 ? process.argv.slice(2) : ['src', 'python/stxm_phasemap']
).map(r => resolve(ROOT, r));

const isSource = name => (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) || name.endsWith('.py');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== '__pycache__' && name !== 'labextension') {
        walk(path, out);
      }
    } else if (isSource(name)) {
      out.push(path);
    }
  }
  return out;
}

/** The .ts file a relative specifier names, or null (a package, an asset). */
function resolveSpecifier(from, spec) {
  if (!spec.startsWith('.')) {
    return null;
  }
  const base = resolve(dirname(from), spec);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    join(base, 'index.ts')
  ];
  return candidates.find(c => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** The package modules a Python file imports relatively (`from .x import`, `from . import x`). */
function pythonImports(file, text) {
  const out = [];
  const dir = dirname(file);
  const names = body =>
    body
      .replace(/[()]/g, '')
      .split(',')
      .map(n => n.trim().split(/\s+/)[0])
      .filter(Boolean);
  const pattern = /^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/gm;
  for (const m of text.matchAll(pattern)) {
    let base = dir;
    for (let i = 1; i < m[1].length; i++) {
      base = dirname(base);
    }
    const mod = m[2] ? join(base, ...m[2].split('.')) : null;
    const candidates = mod
      ? [`${mod}.py`, join(mod, '__init__.py')]
      : names(m[3]).flatMap(n => [join(base, `${n}.py`), join(base, n, '__init__.py')]);
    out.push(...candidates.filter(c => existsSync(c)));
  }
  return out;
}

const files = ROOTS.flatMap(r => walk(r));
const edges = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets = new Set();
  if (file.endsWith('.py')) {
    for (const target of pythonImports(file, text)) {
      if (target !== file) {
        targets.add(target);
      }
    }
  } else {
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const target = resolveSpecifier(file, ref.fileName);
      if (target && target !== file) {
        targets.add(target);
      }
    }
  }
  edges.set(file, [...targets]);
}

// Tarjan's strongly connected components
let index = 0;
const stack = [];
const onStack = new Set();
const idx = new Map();
const low = new Map();
const components = [];
function connect(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v), idx.get(w)));
    }
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) {
      components.push(component);
    }
  }
}
for (const f of files) {
  if (!idx.has(f)) {
    connect(f);
  }
}

/** One cycle through `start` inside its component (breadth-first, shortest). */
function cycleThrough(start, members) {
  const inside = new Set(members);
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of edges.get(v) ?? []) {
      if (w === start) {
        const path = [v];
        for (let p = prev.get(v); p; p = prev.get(p)) {
          path.unshift(p);
        }
        return [...path, start];
      }
      if (inside.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const name = f => relative(ROOT, f);
if (components.length === 0) {
  const where = ROOTS.map(r => `${name(r)}/`).join(', ');
  console.log(`no import cycle in ${files.length} files of ${where} (type-only imports included)`);
  process.exit(0);
}
for (const c of components) {
  const start = c.sort()[0];
  console.error(
    `import cycle (${c.length} modules): ${cycleThrough(start, c).map(name).join(' → ')}`
  );
}
console.error(`${components.length} import cycle(s): break each (type-only imports count too)`);
process.exit(1);
