/**
 * The TypeScript side of the contract (generated.ts): a type and a validator
 * per definition. A validator returns its input, typed, or throws a
 * `ContractError` naming the field; it checks every keyword of the schema
 * and nothing else (semantic checks stay with the code that knows them).
 */
import { GENERATED_BY, assertSupported, expected, refName, typesOf } from './emit-common.js';
import type { Schema } from './schema.js';

const q = (v: unknown): string => JSON.stringify(v);

export function tsType(s: Schema): string {
  const ref = refName(s);
  if (ref) {
    return ref;
  }
  if (s.const !== undefined) {
    return q(s.const);
  }
  if (s.enum) {
    return s.enum.map(q).join(' | ');
  }
  const types = typesOf(s);
  if (types.length === 0) {
    return 'Json';
  }
  return types
    .map(t => {
      switch (t) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array':
          return s.items ? `Array<${tsType(s.items)}>` : 'Json[]';
        case 'object': {
          if (s.properties && Object.keys(s.properties).length) {
            const required = s.required ?? [];
            const fields = Object.entries(s.properties).map(
              ([k, v]) => `${doc(v)}${k}${required.includes(k) ? '' : '?'}: ${tsType(v)};`
            );
            return `{ ${fields.join(' ')} }`;
          }
          if (typeof s.additionalProperties === 'object') {
            return `{ [key: string]: ${tsType(s.additionalProperties)} }`;
          }
          return 'JsonObject';
        }
      }
    })
    .join(' | ');
}

function doc(s: Schema): string {
  return s.description ? `/** ${s.description.replace(/\*\//g, '* /')} */ ` : '';
}

class Emitter {
  lines: string[] = [];
  private n = 0;
  fresh(): string {
    this.n += 1;
    return `v${this.n}`;
  }

  /** Statements that throw unless `v` (a variable of type unknown) fits `s`; `p` is the path expression. */
  node(s: Schema, v: string, p: string): void {
    const ref = refName(s);
    if (ref) {
      this.lines.push(`check${ref}(${v}, ${p});`);
      return;
    }
    const custom = s['x-error'] !== undefined ? `, ${q(s['x-error'])}` : '';
    const failure = `fail(${p}, ${q(expected(s))}, ${v}${custom});`;
    if (s.const !== undefined) {
      this.lines.push(`if (${v} !== ${q(s.const)}) { ${failure} }`);
    }
    if (s.enum) {
      this.lines.push(`if (!(${q(s.enum)} as unknown[]).includes(${v})) { ${failure} }`);
    }
    const types = typesOf(s);
    const t = types.find(x => x !== 'null');
    const nullable = types.includes('null');
    if (t === undefined) {
      if (nullable && types.length === 1) {
        this.lines.push(`if (${v} !== null) { ${failure} }`);
      }
      return;
    }
    if (nullable) {
      this.lines.push(`if (${v} !== null) {`);
    }
    const cond: string[] = [];
    switch (t) {
      case 'string':
        cond.push(`typeof ${v} === 'string'`);
        if (s.minLength !== undefined) cond.push(`${v}.length >= ${s.minLength}`);
        if (s.maxLength !== undefined) cond.push(`${v}.length <= ${s.maxLength}`);
        break;
      case 'integer':
      case 'number':
        cond.push(
          `typeof ${v} === 'number'`,
          t === 'integer' ? `Number.isInteger(${v})` : `Number.isFinite(${v})`
        );
        if (s.minimum !== undefined) cond.push(`${v} >= ${s.minimum}`);
        if (s.exclusiveMinimum !== undefined) cond.push(`${v} > ${s.exclusiveMinimum}`);
        if (s.maximum !== undefined) cond.push(`${v} <= ${s.maximum}`);
        break;
      case 'boolean':
        cond.push(`typeof ${v} === 'boolean'`);
        break;
      case 'array':
        cond.push(`Array.isArray(${v})`);
        if (s.minItems !== undefined) cond.push(`${v}.length >= ${s.minItems}`);
        if (s.maxItems !== undefined) cond.push(`${v}.length <= ${s.maxItems}`);
        break;
      case 'object':
        cond.push(`isObject(${v})`);
        if (s.maxProperties !== undefined)
          cond.push(`Object.keys(${v}).length <= ${s.maxProperties}`);
        break;
    }
    this.lines.push(`if (!(${cond.join(' && ')})) { ${failure} }`);
    if (t === 'array' && s.items) {
      const i = this.fresh();
      const x = this.fresh();
      this.lines.push(`for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`);
      this.lines.push(`const ${x}: unknown = ${v}[${i}];`);
      this.node(s.items, x, `item(${p}, ${i})`);
      this.lines.push('}');
    }
    if (t === 'object') {
      this.object(s, v, p);
    }
    if (nullable) {
      this.lines.push('}');
    }
  }

  private object(s: Schema, v: string, p: string): void {
    const properties = s.properties ?? {};
    const required = s.required ?? [];
    for (const [key, child] of Object.entries(properties)) {
      const x = this.fresh();
      const path = `join(${p}, ${q(key)})`;
      this.lines.push(`const ${x} = own(${v}, ${q(key)});`);
      if (required.includes(key)) {
        const custom = child['x-missing'] ?? this.resolved(child)?.['x-missing'];
        this.lines.push(
          `if (${x} === undefined) { missing(${path}${custom !== undefined ? `, ${q(custom)}` : ''}); }`
        );
        this.node(child, x, path);
      } else {
        this.lines.push(`if (${x} !== undefined) {`);
        this.node(child, x, path);
        this.lines.push('}');
      }
    }
    const extra = s.additionalProperties;
    if (extra === false || typeof extra === 'object' || s.propertyNames) {
      const k = this.fresh();
      const x = this.fresh();
      const known = Object.keys(properties);
      this.lines.push(`for (const [${k}, ${x}] of Object.entries(${v})) {`);
      if (known.length) {
        this.lines.push(`if (${q(known)}.includes(${k})) { continue; }`);
      }
      if (s.propertyNames) {
        this.node(s.propertyNames, k, `join(${p}, ${k})`);
      }
      if (extra === false) {
        this.lines.push(
          `fail(join(${p}, ${k}), 'no such field', ${x}, '"{path}" is not a field of the contract');`
        );
      } else if (typeof extra === 'object') {
        this.node(extra, x, `join(${p}, ${k})`);
      }
      this.lines.push('}');
    }
  }

  defs: { [name: string]: Schema } = {};
  private resolved(s: Schema): Schema | undefined {
    const ref = refName(s);
    return ref ? this.defs[ref] : undefined;
  }
}

/** generated.ts: a type and a `check<Name>` per definition, plus the method tables. */
export function emitTypeScript(
  defs: { [name: string]: Schema },
  methods: { [method: string]: { params: string; result: string } }
): string {
  const out: string[] = [];
  for (const [name, s] of Object.entries(defs)) {
    assertSupported(s, name);
    const e = new Emitter();
    e.defs = defs;
    e.node(s, 'v0', 'path');
    out.push(
      `${doc(s)}export type ${name} = ${tsType(s)};`,
      '',
      `/** \`value\`, checked against ${name}; a ContractError names the field that does not fit. */`,
      `export function check${name}(value: unknown, path = ''): ${name} {`,
      'const v0: unknown = value;',
      ...e.lines,
      `return value as ${name};`,
      '}',
      ''
    );
  }
  const methodNames = Object.keys(methods);
  out.push(
    '/** Each method’s parameters. */',
    `export interface MethodParams { ${methodNames.map(m => `${m}: ${methods[m].params};`).join(' ')} }`,
    '/** Each method’s result (the JSON of its reply). */',
    `export interface MethodResults { ${methodNames.map(m => `${m}: ${methods[m].result};`).join(' ')} }`,
    '',
    '/** The validator of each method’s parameters. */',
    'export const METHOD_PARAMS: { [M in keyof MethodParams]: (value: unknown, path?: string) => MethodParams[M] } = {',
    ...methodNames.map(m => `${m}: check${methods[m].params},`),
    '};',
    '/** The validator of each method’s result. */',
    'export const METHOD_RESULTS: { [M in keyof MethodResults]: (value: unknown, path?: string) => MethodResults[M] } = {',
    ...methodNames.map(m => `${m}: check${methods[m].result},`),
    '};',
    ''
  );
  const body = out.join('\n');
  const types = ['Json', 'JsonObject'].filter(t => new RegExp(`\\b${t}\\b`).test(body));
  const names = [
    'fail',
    'isObject',
    'item',
    'join',
    'missing',
    'own',
    ...types.map(t => `type ${t}`)
  ];
  return [
    `/* ${GENERATED_BY} */`,
    `import { ${names.join(', ')} } from './check.js';`,
    '',
    body
  ].join('\n');
}
