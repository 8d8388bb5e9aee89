/**
 * What the generated validators (generated.ts) call: the error they throw and
 * the wording of its message. Python's generated module (_contract.py) has the
 * same helpers, so a message reads the same on both sides
 * (src/core/contract/vectors.json checks it).
 */
export type { Json, JsonObject } from './schema.js';

/** A value that does not follow the contract; `path` names the field (`params.soc`). */
export class ContractError extends Error {
  constructor(
    readonly path: string,
    message: string
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property (never an inherited one such as `constructor`). */
export function own(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function has(o: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key) && o[key] !== undefined;
}

export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
export const item = (path: string, i: number): string => `${path}[${i}]`;

/** A value for a message: JSON, at most 80 characters. */
export function show(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  s ??= String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function label(path: string): string {
  return path ? `"${path}"` : 'the message';
}

/** Throw the contract's message for `path`: its own (`custom`) or `<path> must be <expected>, got <value>`. */
export function fail(path: string, expected: string, got: unknown, custom?: string): never {
  if (custom !== undefined) {
    const index = /\[(\d+)\](?!.*\[)/.exec(path);
    const names = path.replace(/\[\d+\]/g, '').split('.');
    const text = custom
      .replace(/\{path\}/g, path)
      .replace(/\{key\}/g, names[names.length - 1] ?? '')
      .replace(/\{parent\}/g, names[names.length - 2] ?? '')
      .replace(/\{n\}/g, index ? String(Number(index[1]) + 1) : '')
      .replace(/\{got\}/g, show(got));
    throw new ContractError(path, text);
  }
  throw new ContractError(path, `${label(path)} must be ${expected}, got ${show(got)}`);
}

export function missing(path: string, custom?: string): never {
  if (custom !== undefined) {
    fail(path, '', undefined, custom);
  }
  throw new ContractError(path, `${label(path)} is missing`);
}

/** Length in UTF-16 code units, as both sides count it. */
export const textLength = (s: string): number => s.length;
