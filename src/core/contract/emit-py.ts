/**
 * The Python side of the contract (python/stxm_phasemap/_contract.py): the
 * constants and tables, a TypedDict and a `check_<name>` validator per
 * definition, with the same messages as the TypeScript validators (the
 * wording comes from emit-common.ts; the helpers below mirror check.ts).
 */
import {
  GENERATED_BY,
  assertSupported,
  expected,
  pascal,
  refName,
  snake,
  typesOf
} from './emit-common.js';
import type { Json, Schema } from './schema.js';

/** A Python string literal (JSON's escapes are Python's, for the strings we emit). */
const s = (v: string): string => JSON.stringify(v);

/** A JSON value as a Python literal. */
export function pyLiteral(v: Json | undefined, indent = ''): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return s(v);
  const inner = `${indent}    `;
  if (Array.isArray(v)) {
    return v.length
      ? `[\n${v.map(x => `${inner}${pyLiteral(x, inner)},`).join('\n')}\n${indent}]`
      : '[]';
  }
  const entries = Object.entries(v);
  return entries.length
    ? `{\n${entries.map(([k, x]) => `${inner}${s(k)}: ${pyLiteral(x, inner)},`).join('\n')}\n${indent}}`
    : '{}';
}

/** A list of strings or numbers as a one-line Python literal. */
const pyInline = (v: Json[]): string =>
  `(${v.map(x => pyLiteral(x)).join(', ')}${v.length === 1 ? ',' : ''})`;

const HELPERS = `
class ContractError(ValueError):
    """A value that does not follow the contract; \`\`path\`\` names the field (\`\`params.soc\`\`)."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


def _show(v: Any) -> str:
    try:
        text = json.dumps(v, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        text = repr(v)
    return text if len(text) <= 80 else text[:80] + "…"


def _label(path: str) -> str:
    return f'"{path}"' if path else "the message"


def _fail(path: str, expected: str, got: Any, custom: str | None = None) -> NoReturn:
    if custom is not None:
        index = re.search(r"\\[(\\d+)\\](?!.*\\[)", path)
        names = re.sub(r"\\[\\d+\\]", "", path).split(".")
        text = (
            custom.replace("{path}", path)
            .replace("{key}", names[-1])
            .replace("{parent}", names[-2] if len(names) > 1 else "")
            .replace("{n}", str(int(index.group(1)) + 1) if index else "")
            .replace("{got}", _show(got))
        )
        raise ContractError(path, text)
    raise ContractError(path, f"{_label(path)} must be {expected}, got {_show(got)}")


def _missing(path: str, custom: str | None = None) -> NoReturn:
    if custom is not None:
        _fail(path, "", None, custom)
    raise ContractError(path, f"{_label(path)} is missing")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _item(path: str, i: int) -> str:
    return f"{path}[{i}]"


def _is_int(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and math.isfinite(v) and v.is_integer())


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _len(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript counts it."""
    return len(text.encode("utf-16-le")) // 2
`;

class PyEmitter {
  lines: string[] = [];
  typed: string[] = [];
  private n = 0;
  constructor(readonly defs: { [name: string]: Schema }) {}

  fresh(): string {
    this.n += 1;
    return `v${this.n}`;
  }

  push(indent: string, line: string): void {
    this.lines.push(`${indent}${line}`);
  }

  node(sc: Schema, v: string, p: string, ind: string): void {
    const ref = refName(sc);
    if (ref) {
      this.push(ind, `check_${snake(ref)}(${v}, ${p})`);
      return;
    }
    const custom = sc['x-error'] !== undefined ? `, ${s(sc['x-error'])}` : '';
    const failure = `_fail(${p}, ${s(expected(sc))}, ${v}${custom})`;
    if (sc.const !== undefined) {
      const c = sc.const;
      const cond =
        typeof c === 'boolean' || c === null
          ? `${v} is not ${pyLiteral(c)}`
          : typeof c === 'number'
            ? `not _is_num(${v}) or ${v} != ${pyLiteral(c)}`
            : `${v} != ${pyLiteral(c)}`;
      this.push(ind, `if ${cond}:`);
      this.push(`${ind}    `, failure);
    }
    if (sc.enum) {
      this.push(
        ind,
        `if not isinstance(${v}, (str, int, float)) or ${v} not in ${pyInline(sc.enum)}:`
      );
      this.push(`${ind}    `, failure);
    }
    const types = typesOf(sc);
    const t = types.find(x => x !== 'null');
    const nullable = types.includes('null');
    if (t === undefined) {
      if (nullable && types.length === 1) {
        this.push(ind, `if ${v} is not None:`);
        this.push(`${ind}    `, failure);
      }
      return;
    }
    let inner = ind;
    if (nullable) {
      this.push(ind, `if ${v} is not None:`);
      inner = `${ind}    `;
    }
    const cond: string[] = [];
    switch (t) {
      case 'string':
        cond.push(`isinstance(${v}, str)`);
        if (sc.minLength !== undefined) cond.push(`_len(${v}) >= ${sc.minLength}`);
        if (sc.maxLength !== undefined) cond.push(`_len(${v}) <= ${sc.maxLength}`);
        break;
      case 'integer':
      case 'number':
        cond.push(t === 'integer' ? `_is_int(${v})` : `_is_num(${v})`);
        if (sc.minimum !== undefined) cond.push(`${v} >= ${sc.minimum}`);
        if (sc.exclusiveMinimum !== undefined) cond.push(`${v} > ${sc.exclusiveMinimum}`);
        if (sc.maximum !== undefined) cond.push(`${v} <= ${sc.maximum}`);
        break;
      case 'boolean':
        cond.push(`isinstance(${v}, bool)`);
        break;
      case 'array':
        cond.push(`isinstance(${v}, list)`);
        if (sc.minItems !== undefined) cond.push(`len(${v}) >= ${sc.minItems}`);
        if (sc.maxItems !== undefined) cond.push(`len(${v}) <= ${sc.maxItems}`);
        break;
      case 'object':
        cond.push(`isinstance(${v}, dict)`);
        if (sc.maxProperties !== undefined) cond.push(`len(${v}) <= ${sc.maxProperties}`);
        break;
    }
    this.push(inner, `if not (${cond.join(' and ')}):`);
    this.push(`${inner}    `, failure);
    if (t === 'array' && sc.items) {
      const i = this.fresh();
      const x = this.fresh();
      this.push(inner, `for ${i}, ${x} in enumerate(${v}):`);
      this.node(sc.items, x, `_item(${p}, ${i})`, `${inner}    `);
    }
    if (t === 'object') {
      this.object(sc, v, p, inner);
    }
  }

  private object(sc: Schema, v: string, p: string, ind: string): void {
    const properties = sc.properties ?? {};
    const required = sc.required ?? [];
    for (const [key, child] of Object.entries(properties)) {
      const x = this.fresh();
      const path = `_join(${p}, ${s(key)})`;
      this.push(ind, `${x} = ${v}.get(${s(key)})`);
      if (required.includes(key)) {
        const ref = refName(child);
        const custom = child['x-missing'] ?? (ref ? this.defs[ref]['x-missing'] : undefined);
        this.push(ind, `if ${s(key)} not in ${v}:`);
        this.push(`${ind}    `, `_missing(${path}${custom !== undefined ? `, ${s(custom)}` : ''})`);
        this.node(child, x, path, ind);
      } else {
        this.push(ind, `if ${s(key)} in ${v}:`);
        const before = this.lines.length;
        this.node(child, x, path, `${ind}    `);
        if (this.lines.length === before) {
          this.push(`${ind}    `, 'pass');
        }
      }
    }
    const extra = sc.additionalProperties;
    if (extra === false || typeof extra === 'object' || sc.propertyNames) {
      const k = this.fresh();
      const x = this.fresh();
      const known = Object.keys(properties);
      this.push(ind, `for ${k}, ${x} in ${v}.items():`);
      const body = `${ind}    `;
      if (known.length) {
        this.push(body, `if ${k} in ${pyInline(known)}:`);
        this.push(`${body}    `, 'continue');
      }
      if (sc.propertyNames) {
        this.node(sc.propertyNames, k, `_join(${p}, str(${k}))`, body);
      }
      if (extra === false) {
        this.push(
          body,
          `_fail(_join(${p}, str(${k})), "no such field", ${x}, '"{path}" is not a field of the contract')`
        );
      } else if (typeof extra === 'object') {
        this.node(extra, x, `_join(${p}, str(${k}))`, body);
      } else {
        this.push(body, 'pass');
      }
    }
  }
}

/** The Python type of a schema; nested objects become TypedDicts named `<Parent><Field>`. */
function pyType(sc: Schema, name: string, classes: string[]): string {
  const ref = refName(sc);
  if (ref) return ref;
  if (sc.const !== undefined) return `Literal[${pyLiteral(sc.const)}]`;
  if (sc.enum) return `Literal[${sc.enum.map(v => pyLiteral(v)).join(', ')}]`;
  const types = typesOf(sc);
  if (types.length === 0) return 'Any';
  return types
    .map(t => {
      switch (t) {
        case 'string':
          return 'str';
        case 'integer':
          return 'int';
        case 'number':
          return 'float';
        case 'boolean':
          return 'bool';
        case 'null':
          return 'None';
        case 'array':
          return sc.items ? `list[${pyType(sc.items, `${name}Item`, classes)}]` : 'list[Any]';
        case 'object':
          if (sc.properties) {
            typedDict(sc, name, classes);
            return name;
          }
          if (typeof sc.additionalProperties === 'object') {
            return `dict[str, ${pyType(sc.additionalProperties, `${name}Value`, classes)}]`;
          }
          return 'dict[str, Any]';
      }
    })
    .join(' | ');
}

function typedDict(sc: Schema, name: string, classes: string[]): void {
  const props = Object.entries(sc.properties ?? {});
  const required = sc.required ?? [];
  const field = ([k, v]: [string, Schema]): string =>
    `    ${k}: ${pyType(v, `${name}${pascal(k)}`, classes)}`;
  const req = props.filter(([k]) => required.includes(k)).map(field);
  const opt = props.filter(([k]) => !required.includes(k)).map(field);
  const docline = sc.description ? [`    """${sc.description.replace(/"""/g, "'''")}"""`, ''] : [];
  if (req.length && opt.length) {
    classes.push(`class _${name}Required(TypedDict):\n${req.join('\n')}\n`);
    classes.push(
      `class ${name}(_${name}Required, total=False):\n${[...docline, ...opt].join('\n')}\n`
    );
  } else if (req.length) {
    classes.push(`class ${name}(TypedDict):\n${[...docline, ...req].join('\n')}\n`);
  } else {
    classes.push(
      `class ${name}(TypedDict, total=False):\n${[...docline, ...(opt.length ? opt : ['    pass'])].join('\n')}\n`
    );
  }
}

export interface PyConstants {
  /** Name → value, in order, with a comment each. */
  constants: [string, Json, string][];
}

/** _contract.py: constants, tables, TypedDicts and validators. */
export function emitPython(
  defs: { [name: string]: Schema },
  constants: [string, Json, string][],
  methods: { [method: string]: { params: string; result: string } },
  parameters: { json: string; defaults: string }
): string {
  const classes: string[] = [];
  const checks: string[] = [];
  for (const [name, sc] of Object.entries(defs)) {
    assertSupported(sc, name);
    let alias: string;
    if (typesOf(sc).includes('object') && sc.properties && typesOf(sc).length === 1) {
      typedDict(sc, name, classes);
      alias = '';
    } else {
      alias = `${name} = ${pyType(sc, name, classes)}\n`;
    }
    if (alias) classes.push(alias);
    const e = new PyEmitter(defs);
    e.node(sc, 'value', 'path', '    ');
    checks.push(
      `def check_${snake(name)}(value: Any, path: str = "") -> ${name}:`,
      `    """\`\`value\`\`, checked against ${name}; a ContractError names the field that does not fit."""`,
      ...e.lines,
      `    return cast(${s(name)}, value)`,
      '',
      ''
    );
  }
  const names = Object.keys(methods);
  const body = [
    `"""The contract between this package and the STXM PhaseMap extension (protocol, payload, parameters).`,
    '',
    `${GENERATED_BY}`,
    'The same contract as JSON Schema: src/core/contract/contract.schema.json.',
    '"""',
    '',
    '# ruff: noqa: E501',
    'from __future__ import annotations',
    '',
    'import json',
    'import math',
    'import re',
    'from typing import Any, Literal, NoReturn, TypedDict, cast',
    '',
    ...constants.flatMap(([k, v, c]) => [...(c ? [`#: ${c}`] : []), `${k} = ${pyLiteral(v)}`]),
    '',
    `#: The pipeline parameters (src/core/model/param-specs.ts) as JSON: path, group, key, cli,`,
    '#: python, default, schema.',
    `PARAMETERS: list[dict[str, Any]] = json.loads(\n    r"""${parameters.json}"""\n)`,
    `#: The engine's default parameters (DEFAULT_PARAMS of src/core/model/params.ts), as JSON.`,
    `DEFAULT_PARAMS: dict[str, Any] = json.loads(\n    r"""${parameters.defaults}"""\n)`,
    '',
    HELPERS,
    '',
    ...classes.map(c => `${c}\n`),
    ...checks,
    '#: The validator of each method’s parameters and of its result.',
    `METHOD_PARAMS = {${names.map(m => `\n    ${s(m)}: check_${snake(methods[m].params)},`).join('')}\n}`,
    `METHOD_RESULTS = {${names.map(m => `\n    ${s(m)}: check_${snake(methods[m].result)},`).join('')}\n}`,
    ''
  ];
  return body.join('\n');
}
