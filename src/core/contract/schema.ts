/**
 * The subset of JSON Schema (2020-12) the contract is written in, and small
 * builders for it. The generator (emit-ts.ts, emit-py.ts) turns schemas of
 * this subset into TypeScript and Python validators and refuses any keyword
 * outside it, so a schema never says more than the validators check.
 */

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface Schema {
  $ref?: string;
  type?: JsonType | JsonType[];
  const?: Json;
  enum?: Json[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: { [key: string]: Schema };
  required?: string[];
  /** Default true (unknown keys are allowed, so fields can be added within protocol /1). */
  additionalProperties?: boolean | Schema;
  maxProperties?: number;
  propertyNames?: Schema;
  title?: string;
  description?: string;
  default?: Json;
  /**
   * The message when a value fails this schema, instead of the generated one:
   * `{path}` the field's path, `{key}` its last name, `{parent}` the name
   * before, `{n}` the 1-based index of the innermost list item, `{got}` the
   * value (JSON, shortened).
   */
  'x-error'?: string;
  /** The message when this (required) property is missing, with the same placeholders. */
  'x-missing'?: string;
}

/** Keywords the generator understands; any other keyword in a schema is an error. */
export const SCHEMA_KEYWORDS: readonly string[] = [
  '$ref',
  'type',
  'const',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minLength',
  'maxLength',
  'items',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'additionalProperties',
  'maxProperties',
  'propertyNames',
  'title',
  'description',
  'default',
  'x-error',
  'x-missing'
];

type Extra = Omit<Schema, 'type'>;

export const ref = (name: string, extra: Extra = {}): Schema => ({
  $ref: `#/$defs/${name}`,
  ...extra
});

export const str = (maxLength?: number, extra: Extra = {}): Schema => ({
  type: 'string',
  ...(maxLength !== undefined ? { maxLength } : {}),
  ...extra
});

export const int = (minimum?: number, maximum?: number, extra: Extra = {}): Schema => ({
  type: 'integer',
  ...(minimum !== undefined ? { minimum } : {}),
  ...(maximum !== undefined ? { maximum } : {}),
  ...extra
});

export const num = (minimum?: number, maximum?: number, extra: Extra = {}): Schema => ({
  type: 'number',
  ...(minimum !== undefined ? { minimum } : {}),
  ...(maximum !== undefined ? { maximum } : {}),
  ...extra
});

export const bool = (extra: Extra = {}): Schema => ({ type: 'boolean', ...extra });

export const constant = (value: Json, extra: Extra = {}): Schema => ({ const: value, ...extra });

export const oneOf = (values: Json[], extra: Extra = {}): Schema => ({ enum: values, ...extra });

export const list = (items: Schema, extra: Extra = {}): Schema => ({
  type: 'array',
  items,
  ...extra
});

/** An object; `optional` names the properties that may be left out. */
export const obj = (
  properties: { [key: string]: Schema },
  optional: string[] = [],
  extra: Extra = {}
): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter(k => !optional.includes(k)),
  ...extra
});

/** Any JSON object. */
export const anyObject = (extra: Extra = {}): Schema => ({ type: 'object', ...extra });

/** The schema, or null. */
export function nullable(s: Schema): Schema {
  if (s.type === undefined) {
    throw new Error('nullable() needs a schema with a type');
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return { ...s, type: [...types, 'null'] };
}
