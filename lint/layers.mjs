/**
 * The layer table of docs/architecture.md as an ESLint rule: what each folder
 * of src/ may import, other folders of src/ (each relative specifier resolved
 * against the importing file) and packages. An import the table does not
 * allow is an error naming the two layers; "types only" entries allow
 * `import type` / `export type … from` (or specifiers all marked `type`),
 * nothing at run time. Tests (*.spec.ts, *.fixtures.ts, src/test-setup) are
 * left out by eslint.config.js: they may reach any layer they test.
 *
 * Entries: a path under src/ ('core/model' is the folder, 'version.ts' one
 * file), SELF (the importing feature's own folder), or { to, types: true }.
 */
import { dirname, relative, resolve, sep } from 'node:path';

const SELF = Symbol('own folder');
const CORE_PACKAGES_NONE = [];
const VIEW_TYPES = [
  { to: 'lab/model-types.ts', types: true },
  { to: 'core/analysis/methods/types.ts', types: true }
];

/**
 * Longest matching key first. `may`: src/ paths; `packages`: package names
 * (a trailing '/' or ':' matches a scope or a protocol).
 */
export const LAYERS = {
  'core/model': { may: ['core/model'], packages: CORE_PACKAGES_NONE },
  'core/math': { may: ['core/math'], packages: CORE_PACKAGES_NONE },
  'core/preprocess': {
    may: ['core/model', 'core/math', 'core/preprocess'],
    packages: ['fft.js']
  },
  'core/io': {
    may: ['core/model', 'core/math', 'core/preprocess', 'core/io'],
    packages: [{ to: 'h5wasm', types: true }, 'tiff']
  },
  'core/analysis': {
    may: [
      'core/model',
      'core/math',
      'core/preprocess',
      'core/analysis',
      'core/simulate/rng.ts',
      'version.ts'
    ],
    packages: ['@tensorflow/']
  },
  'core/contract': { may: ['core/model', 'core/contract'], packages: CORE_PACKAGES_NONE },
  'core/simulate': {
    may: ['core/model', 'core/math', 'core/io', 'core/analysis/planner.ts', 'core/simulate'],
    packages: CORE_PACKAGES_NONE
  },
  core: { may: ['core'], packages: CORE_PACKAGES_NONE },
  worker: { may: ['core', 'worker'], packages: ['h5wasm'] },
  cli: { may: ['core', 'cli', 'version.ts'], packages: ['node:', 'h5wasm/node'] },
  lab: {
    may: ['core', 'worker', 'views', 'lab', 'version.ts'],
    packages: ['@jupyterlab/', '@lumino/']
  },
  mime: {
    may: ['core/model', 'core/contract', 'mime'],
    packages: [{ to: '@jupyterlab/rendermime-interfaces', types: true }, '@lumino/']
  },
  'views/shared': {
    may: ['core/model', 'core/math', 'views/shared', ...VIEW_TYPES],
    packages: ['@lumino/', 'd3']
  },
  'views/workbench-panel.ts': {
    may: ['core/model', 'core/math', 'views', ...VIEW_TYPES],
    packages: ['@lumino/', 'd3']
  },
  views: {
    may: ['core/model', 'core/math', 'views/shared', SELF, ...VIEW_TYPES],
    packages: ['@lumino/', 'd3']
  },
  'index.ts': { may: ['lab'], packages: CORE_PACKAGES_NONE },
  'version.ts': { may: [], packages: CORE_PACKAGES_NONE }
};

const KEYS = Object.keys(LAYERS).sort((a, b) => b.length - a.length);

/** Whether `path` is the file `prefix` (ending .ts) or lies in the folder `prefix`. */
const within = (path, prefix) =>
  path === prefix || (!prefix.endsWith('.ts') && path.startsWith(`${prefix}/`));

/** The layer a src/-relative path belongs to (null: outside the table). */
export function layerOf(path) {
  return KEYS.find(k => within(path, k)) ?? null;
}

/** The src/-relative path a relative specifier names, `.js` read as `.ts`. */
function target(fromRel, spec) {
  const abs = resolve('/', dirname(fromRel), spec);
  return abs.slice(1).replace(/\.js$/, '.ts');
}

function packageMatches(entry, spec) {
  return entry.endsWith('/') || entry.endsWith(':')
    ? spec.startsWith(entry)
    : spec === entry || spec.startsWith(`${entry}/`);
}

/** The entry of `list` that allows the import, or null. */
function allowing(list, matches, typeOnly) {
  for (const e of list) {
    const to = typeof e === 'object' && e !== SELF ? e.to : e;
    if (matches(to) && (typeof e !== 'object' || e === SELF || !e.types || typeOnly)) {
      return e;
    }
  }
  return null;
}

/** Whether the declaration brings in types only. */
function isTypeOnly(node) {
  if (node.type === 'ImportExpression') {
    return false;
  }
  if (node.importKind === 'type' || node.exportKind === 'type') {
    return true;
  }
  const specifiers = node.specifiers ?? [];
  return (
    specifiers.length > 0 &&
    specifiers.every(s => s.importKind === 'type' || s.exportKind === 'type')
  );
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: "imports allowed by docs/architecture.md's layer table" },
    schema: [{ type: 'object', properties: { root: { type: 'string' } } }],
    messages: {
      folder:
        "{{from}} may not import {{to}} ('{{spec}}'){{types}}; see docs/architecture.md, Layers",
      package:
        "{{from}} may not import the package '{{spec}}'{{types}}; see docs/architecture.md, Layers",
      outside: "'{{spec}}' leaves src/"
    }
  },
  create(context) {
    const root = resolve(context.cwd, context.options[0]?.root ?? 'src');
    const fileRel = relative(root, context.filename).split(sep).join('/');
    const from = layerOf(fileRel);
    if (!from || fileRel.startsWith('..')) {
      return {};
    }
    const layer = LAYERS[from];
    const own = fileRel.split('/').slice(0, 2).join('/');
    // a feature of views/ is named by its folder (views/latent may not import views/maps)
    const name = (layerKey, path) =>
      layerKey === 'views' ? path.split('/').slice(0, 2).join('/') : layerKey;
    function check(node, source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') {
        return;
      }
      const spec = source.value;
      const typeOnly = isTypeOnly(node);
      const onlyTypes = entry => (entry ? ' (it may import its types only)' : '');
      if (!spec.startsWith('.')) {
        if (!allowing(layer.packages, to => packageMatches(to, spec), typeOnly)) {
          const typesOk = allowing(layer.packages, to => packageMatches(to, spec), true);
          context.report({
            node: source,
            messageId: 'package',
            data: { from: name(from, fileRel), spec, types: onlyTypes(typesOk) }
          });
        }
        return;
      }
      const to = target(fileRel, spec);
      if (to.startsWith('..')) {
        context.report({ node: source, messageId: 'outside', data: { spec } });
        return;
      }
      const matches = entry => (entry === SELF ? within(to, own) : within(to, entry));
      if (!allowing(layer.may, matches, typeOnly)) {
        const typesOk = allowing(layer.may, matches, true);
        context.report({
          node: source,
          messageId: 'folder',
          data: {
            from: name(from, fileRel),
            to: name(layerOf(to), to) ?? to,
            spec,
            types: onlyTypes(typesOk)
          }
        });
      }
    }
    return {
      ImportDeclaration: node => check(node, node.source),
      ExportNamedDeclaration: node => check(node, node.source),
      ExportAllDeclaration: node => check(node, node.source),
      ImportExpression: node => check(node, node.source)
    };
  }
};

export default { meta: { name: 'stxm-layers' }, rules: { imports: rule } };
