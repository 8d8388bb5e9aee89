/**
 * The contract's generated files, as text (scripts/contract.mjs writes them,
 * or with --check says which are stale). Pure: the caller reads and writes.
 */
import {
  ACK_TIMEOUT_S,
  ARRAY_METHODS,
  COMM_TARGET,
  CONNECT_TIMEOUT_S,
  DEFAULTS,
  DEFS,
  DTYPES,
  ERROR_KINDS,
  FLAGS,
  MAX_ARRAYS,
  MAX_ARRAY_BYTES,
  MAX_CHUNK_BYTES,
  MAX_DIMENSIONS,
  MAX_ID_LENGTH,
  MAX_INCOMING,
  MAX_MAP_BASE64,
  MAX_MESSAGE_BYTES,
  MAX_PHASES,
  METHODS,
  METHOD_DEFS,
  MIME_TYPE,
  PARAMETERS,
  PAYLOAD_ENCODING,
  PAYLOAD_MAX_SIDE,
  PAYLOAD_MAX_WARNINGS,
  PAYLOAD_MAX_WARNING_CHARS,
  PAYLOAD_VERSION,
  PING_AFTER_S,
  PROGRESS_INTERVAL_MS,
  PROTOCOL,
  REPLY_ERROR_KINDS,
  STALE_REQUEST_MS,
  pipelineParamsSchema,
  type MethodDef
} from './contract.js';
import { GENERATED_BY } from './emit-common.js';
import { emitPython } from './emit-py.js';
import { emitTypeScript } from './emit-ts.js';
import type { Json, JsonObject } from './schema.js';

export const SCHEMA_JSON = 'src/core/contract/contract.schema.json';
export const TYPESCRIPT = 'src/core/contract/generated.ts';
export const PYTHON = 'python/stxm_phasemap/_contract.py';
export const SETTINGS = 'schema/plugin.json';

export interface GeneratedFile {
  path: string;
  text: string;
  /** Prettier's parser for it, if it is formatted by prettier. */
  parser?: 'typescript' | 'json';
}

const methodTable = (): { [m: string]: { params: string; result: string } } =>
  Object.fromEntries(
    METHODS.map(m => [m, { params: METHOD_DEFS[m].params, result: METHOD_DEFS[m].result }])
  );

/** The constants both sides need, with a comment each (the order of the Python module). */
function constants(): [string, Json, string][] {
  return [
    ['PROTOCOL', PROTOCOL, 'The protocol this package speaks.'],
    ['COMM_TARGET', COMM_TARGET, "The extension's comm target."],
    [
      'MAX_CHUNK_BYTES',
      MAX_CHUNK_BYTES,
      'A chunk, and all the buffers of one comm message, are at most this large.'
    ],
    ['MAX_ARRAY_BYTES', MAX_ARRAY_BYTES, 'No single array may claim more than this…'],
    ['MAX_MESSAGE_BYTES', MAX_MESSAGE_BYTES, '…nor all the arrays of one message together.'],
    ['MAX_ARRAYS', MAX_ARRAYS, 'Arrays per message, and dimensions per array.'],
    ['MAX_DIMENSIONS', MAX_DIMENSIONS, ''],
    ['MAX_ID_LENGTH', MAX_ID_LENGTH, 'Request ids are 1–64 characters.'],
    [
      'STALE_REQUEST_MS',
      STALE_REQUEST_MS,
      'The extension drops a request whose parts stop arriving for this long (ms).'
    ],
    ['MAX_INCOMING', MAX_INCOMING, 'Half-received requests the extension holds per comm.'],
    ['PROGRESS_INTERVAL_MS', PROGRESS_INTERVAL_MS, 'Progress events come at most this often (ms).'],
    [
      'CONNECT_TIMEOUT_S',
      CONNECT_TIMEOUT_S,
      'Seconds to wait for the hello, for an ack, and of silence before a ping.'
    ],
    ['ACK_TIMEOUT_S', ACK_TIMEOUT_S, ''],
    ['PING_AFTER_S', PING_AFTER_S, ''],
    ['DTYPES', DTYPES, 'Array dtypes (little-endian, C order): item size and numpy name.'],
    ['METHODS', [...METHODS], 'The comm methods.'],
    ['ARRAY_METHODS', [...ARRAY_METHODS], 'The methods whose requests carry arrays.'],
    [
      'METHOD_ARRAYS',
      Object.fromEntries(
        METHODS.map(m => {
          const d: MethodDef = METHOD_DEFS[m];
          return [m, { in: d.arraysIn, out: d.arraysOut, moreOut: d.moreArraysOut ?? false }];
        })
      ) as unknown as Json,
      'The arrays of each method: name ({i}: one per item of `repeat`), dtype, dimensions.'
    ],
    ['ERROR_KINDS', ERROR_KINDS, 'Error kinds: who sends each, and the exception Python raises.'],
    ['REPLY_ERROR_KINDS', [...REPLY_ERROR_KINDS], "The kinds of the extension's error replies."],
    ['MIME_TYPE', MIME_TYPE, 'The notebook output the extension renders.'],
    ['PAYLOAD_VERSION', PAYLOAD_VERSION, ''],
    ['PAYLOAD_ENCODING', PAYLOAD_ENCODING, ''],
    [
      'PAYLOAD_MAX_SIDE',
      PAYLOAD_MAX_SIDE,
      'Maps in the payload are at most this many pixels a side (strided).'
    ],
    ['MAX_PHASES', MAX_PHASES, 'Phases the payload can show (uint8 codes, 0 = background).'],
    ['MAX_MAP_BASE64', MAX_MAP_BASE64, 'Characters of base64 per map, at most.'],
    [
      'PAYLOAD_MAX_WARNINGS',
      PAYLOAD_MAX_WARNINGS,
      'Warnings a payload may list, and characters per warning.'
    ],
    ['PAYLOAD_MAX_WARNING_CHARS', PAYLOAD_MAX_WARNING_CHARS, ''],
    ['FLAG_AMBIGUOUS', FLAGS.ambiguous, 'Bits of the payload’s flags map.'],
    ['FLAG_TRANSITION', FLAGS.transition, ''],
    ['FLAG_FALSE_ASSIGNMENT', FLAGS.falseAssignment, ''],
    ['FLAG_UNASSIGNED', FLAGS.unassigned, '']
  ];
}

/** The contract as one JSON document: JSON Schema definitions plus the tables. */
export function contractJson(): JsonObject {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:stxm-phasemap:contract:${PROTOCOL}`,
    title: `The contract of STXM PhaseMap: comm protocol ${PROTOCOL}, notebook output ${MIME_TYPE}, pipeline parameters`,
    $comment: GENERATED_BY,
    'x-constants': Object.fromEntries(constants().map(([k, v]) => [k, v])),
    'x-methods': Object.fromEntries(
      METHODS.map(m => {
        const d: MethodDef = METHOD_DEFS[m];
        return [
          m,
          {
            summary: d.summary,
            params: { $ref: `#/$defs/${d.params}` },
            result: { $ref: `#/$defs/${d.result}` },
            arraysIn: d.arraysIn,
            arraysOut: d.arraysOut,
            moreArraysOut: d.moreArraysOut ?? false
          }
        ];
      })
    ) as unknown as Json,
    'x-parameters': PARAMETERS as unknown as Json,
    'x-defaults': DEFAULTS,
    $defs: {
      ...(DEFS as unknown as JsonObject),
      PipelineParams: pipelineParamsSchema() as unknown as Json
    }
  };
}

/**
 * schema/plugin.json with each parameter setting's `default` (and `enum`)
 * set from the parameter model: only those lines change, the file keeps its layout.
 */
export function settingsSchemaText(
  text: string,
  settings: Readonly<Record<string, string>>
): string {
  const schema = JSON.parse(text) as { properties: Record<string, unknown> };
  for (const [setting, path] of Object.entries(settings)) {
    const spec = PARAMETERS.find(p => p.path === path);
    if (!schema.properties[setting] || !spec) {
      throw new Error(`${SETTINGS}: no property "${setting}" or no parameter ${path}`);
    }
    const start = text.indexOf(
      `\n    ${JSON.stringify(setting)}: {`,
      text.indexOf('"properties": {')
    );
    const end = text.indexOf('\n    }', start);
    if (start < 0 || end < 0) {
      throw new Error(`${SETTINGS}: cannot find the block of property "${setting}"`);
    }
    let block = text.slice(start, end);
    const set = (key: string, value: string): void => {
      const line = new RegExp(`("${key}": )[^\\n]*?(,?)$`, 'm');
      if (!line.test(block)) {
        throw new Error(`${SETTINGS}: property "${setting}" has no "${key}" line`);
      }
      block = block.replace(line, (_, head: string, comma: string) => `${head}${value}${comma}`);
    };
    set('default', JSON.stringify(spec.default));
    if (spec.schema.enum) {
      set('enum', `[${spec.schema.enum.map(v => JSON.stringify(v)).join(', ')}]`);
    }
    text = text.slice(0, start) + block + text.slice(end);
  }
  return text;
}

/** Every generated file from the contract; `settingsSchema` is schema/plugin.json as it is. */
export function generateFiles(inputs: {
  settingsSchema: string;
  settingParameters: Readonly<Record<string, string>>;
}): GeneratedFile[] {
  const json = contractJson();
  return [
    { path: SCHEMA_JSON, text: `${JSON.stringify(json, null, 2)}\n`, parser: 'json' },
    { path: TYPESCRIPT, text: emitTypeScript(DEFS, methodTable()), parser: 'typescript' },
    {
      path: PYTHON,
      text: emitPython(DEFS, constants(), methodTable(), {
        json: JSON.stringify(PARAMETERS),
        defaults: JSON.stringify(DEFAULTS)
      })
    },
    {
      path: SETTINGS,
      text: settingsSchemaText(inputs.settingsSchema, inputs.settingParameters),
      parser: 'json'
    }
  ];
}
