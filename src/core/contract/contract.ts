/**
 * The contract between the Python package and the extension, written once:
 * protocol `stxm-phasemap/1` (the comm: its constants, messages, methods,
 * arrays and error kinds), the notebook MIME payload, and the pipeline's
 * parameters (from the parameter model, `PARAMETER_SPECS`).
 *
 * `npm run contract` turns it into
 *   src/core/contract/contract.schema.json   the contract as JSON Schema (+ tables)
 *   src/core/contract/generated.ts           TypeScript types and validators
 *   python/stxm_phasemap/_contract.py        Python constants, TypedDicts and validators
 *   schema/plugin.json                       the settings' defaults and choices
 * and `npm run contract:check` (part of `npm run lint`) fails when one of them is stale.
 */
import { PARAMETER_SPECS } from '../model/param-specs.js';
import { DEFAULT_PARAMS } from '../model/params.js';
import {
  anyObject,
  bool,
  constant,
  int,
  list,
  nullable,
  num,
  obj,
  oneOf,
  ref,
  str,
  type Json,
  type Schema
} from './schema.js';

// ------------------------------------------------------------------ constants

export const PROTOCOL = 'stxm-phasemap/1';
/** The comm target the extension registers on every notebook and console kernel. */
export const COMM_TARGET = 'stxm-phasemap';
/** A chunk (one buffer), and all the buffers of one comm message, are at most this large. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** No single array may claim more than this (a guard against absurd claims). */
export const MAX_ARRAY_BYTES = 2 * 1024 ** 3;
/** …nor all the arrays of one message together (each is allocated when part 0 arrives). */
export const MAX_MESSAGE_BYTES = MAX_ARRAY_BYTES;
/** A request or reply holds at most this many arrays, of at most this many dimensions. */
export const MAX_ARRAYS = 256;
export const MAX_DIMENSIONS = 8;
/** Request ids are 1–64 characters. */
export const MAX_ID_LENGTH = 64;
/** The extension drops a request whose parts stop arriving for this long (ms)… */
export const STALE_REQUEST_MS = 120_000;
/** …holds at most this many half-received requests per comm… */
export const MAX_INCOMING = 16;
/** …and sends progress events at most this often (ms; stage changes always). */
export const PROGRESS_INTERVAL_MS = 250;
/** The kernel waits this long for the hello and for an ack (s), and pings after this silence (s). */
export const CONNECT_TIMEOUT_S = 10;
export const ACK_TIMEOUT_S = 10;
export const PING_AFTER_S = 5;

/** Array dtypes: little-endian, C order; the item size in bytes and numpy's name. */
export const DTYPES = {
  float32: { itemsize: 4, numpy: '<f4' },
  float64: { itemsize: 8, numpy: '<f8' },
  int8: { itemsize: 1, numpy: 'i1' },
  uint8: { itemsize: 1, numpy: 'u1' },
  int16: { itemsize: 2, numpy: '<i2' },
  uint16: { itemsize: 2, numpy: '<u2' },
  int32: { itemsize: 4, numpy: '<i4' },
  uint32: { itemsize: 4, numpy: '<u4' }
} as const;
export type DType = keyof typeof DTYPES;
export const DTYPE_NAMES = Object.keys(DTYPES) as DType[];

/**
 * Error kinds. `wire`: who sends it (`extension` in error replies, `kernel`
 * in error notices, `local` never on the wire: the kernel's own, `engine` the
 * headless engine's exit status and error line, for map_file / map_files).
 * `python`: the exception Python raises for it.
 */
export const ERROR_KINDS = {
  'invalid-request': {
    wire: 'extension',
    python: 'InvalidRequestError',
    description: 'the request did not follow the contract (the message names the field)'
  },
  'not-found': {
    wire: 'extension',
    python: 'WorkbenchNotFoundError',
    description: 'no workbench (or none with that path, no such file, no result yet)'
  },
  failed: {
    wire: 'extension',
    python: 'StxmPhaseMapError',
    description: "the request was valid but the work failed (the extension's own error text)"
  },
  cancelled: {
    wire: 'extension',
    python: 'RunCancelledError',
    description: 'the run was cancelled (from Python, from the workbench, or by a newer run)'
  },
  protocol: {
    wire: 'extension',
    python: 'ExtensionUnavailableError',
    description:
      'the comm was opened with a protocol the extension does not speak; in Python also a message from the extension that broke the contract'
  },
  'invalid-reply': {
    wire: 'kernel',
    python: 'ExtensionUnavailableError',
    description: 'the kernel got a message from the extension that broke the contract'
  },
  timeout: {
    wire: 'local',
    python: 'ExtensionUnavailableError',
    description: 'no answer in time'
  },
  closed: {
    wire: 'local',
    python: 'ExtensionUnavailableError',
    description: 'the comm was closed'
  },
  reloaded: {
    wire: 'local',
    python: 'WorkbenchReloadedError',
    description: 'the page was reloaded or closed while the call was under way'
  },
  pending: {
    wire: 'local',
    python: 'NotReadyError',
    description: 'a pending answer was read before it arrived'
  },
  'bad-file': {
    wire: 'engine',
    python: 'StackFileError',
    description:
      "the headless engine cannot use an input file (a stack, references, a manifest): the command line's exit-2 line, naming the file"
  },
  'engine-unavailable': {
    wire: 'engine',
    python: 'EngineUnavailableError',
    description:
      'the headless engine cannot run (no engine bundle, no Node.js) or stopped (a crash)'
  }
} as const;
export type ErrorKindName = keyof typeof ERROR_KINDS;
/** The kinds of the extension's error replies. */
export const REPLY_ERROR_KINDS = ['invalid-request', 'not-found', 'failed', 'cancelled'] as const;
export type ErrorKind = (typeof REPLY_ERROR_KINDS)[number];

// ---------------------------------------------------------------- MIME payload

export const MIME_TYPE = 'application/vnd.stxm-phasemap.v1+json';
export const PAYLOAD_VERSION = 1;
export const PAYLOAD_ENCODING = 'zlib+base64';
/**
 * The largest map side a payload may claim: Python strides maps to fit. An
 * untrusted notebook claiming more is refused (90 maps of 2048² took 38 s
 * and 8.7 GB to draw).
 */
export const PAYLOAD_MAX_SIDE = 256;
/** Phase codes are uint8: 0 background, 1…250 phases. */
export const MAX_PHASES = 250;
/** A 256 × 256 uint8 map is 64 KiB; even incompressible, its base64 is under 90 kB. */
export const MAX_MAP_BASE64 = 512 * 1024;
/** A payload lists at most this many warnings, of at most this many characters. */
export const PAYLOAD_MAX_WARNINGS = 32;
export const PAYLOAD_MAX_WARNING_CHARS = 1000;
/** Bits of the payload's `flags` map. */
export const FLAGS = { ambiguous: 1, transition: 2, falseAssignment: 4, unassigned: 8 } as const;

// --------------------------------------------------------------------- methods

/**
 * An array of a request or reply. `name` may contain `{i}`: one array per
 * item of `repeat` (the request's `params.names`, the reply's `phaseNames`).
 * `dims` names each dimension; arrays of one message that name the same
 * dimension have the same size along it (null: the shape varies).
 */
export interface ArrayDef {
  name: string;
  dtype: DType;
  dims: string[] | null;
  optional?: boolean;
  /** Every value finite (checked on receipt). */
  finite?: boolean;
  repeat?: 'names' | 'phaseNames';
  description: string;
}

export interface MethodDef {
  summary: string;
  /** Names in DEFS. */
  params: string;
  result: string;
  arraysIn: ArrayDef[];
  arraysOut: ArrayDef[];
  /** The reply may carry arrays besides `arraysOut` (the engine may add result fields). */
  moreArraysOut?: boolean;
}

const STACK_ARRAYS: ArrayDef[] = [
  { name: 'data', dtype: 'float32', dims: ['E', 'y', 'x'], description: 'the cube I(E, y, x)' },
  { name: 'energies', dtype: 'float64', dims: ['E'], finite: true, description: 'eV' },
  { name: 'x', dtype: 'float64', dims: ['x'], finite: true, description: 'µm' },
  { name: 'y', dtype: 'float64', dims: ['y'], finite: true, description: 'µm' }
];
const CONTROL: ArrayDef = {
  name: 'control',
  dtype: 'float32',
  dims: ['E', 'y', 'x'],
  optional: true,
  description: 'ring current per pixel'
};
const spectra = (repeat: 'names' | 'phaseNames'): ArrayDef[] => [
  {
    name: 'energies:{i}',
    dtype: 'float64',
    dims: ['M{i}'],
    repeat,
    description: 'eV of spectrum i'
  },
  { name: 'values:{i}', dtype: 'float64', dims: ['M{i}'], repeat, description: 'spectrum i' }
];
const map = (name: string, dtype: DType, description: string): ArrayDef => ({
  name,
  dtype,
  dims: ['y', 'x'],
  optional: true,
  description
});
const RESULT_ARRAYS: ArrayDef[] = [
  {
    ...map('phase', 'int16', 'final phase map, index into phaseNames, −1 = background'),
    optional: false
  },
  map('initialPhase', 'int16', 'argmax of the Pearson maps'),
  {
    name: 'pcc',
    dtype: 'float32',
    dims: ['N', 'y', 'x'],
    optional: true,
    description: 'Pearson correlation per phase'
  },
  map('margin', 'float32', 'best − second-best correlation'),
  map('ambiguous', 'uint8', 'margin ≤ threshold'),
  map('mask', 'uint8', 'particle pixels'),
  {
    name: 'latent',
    dtype: 'float32',
    dims: null,
    optional: true,
    description: 'latent means (y, x, L); empty without GMVAE'
  },
  map('confidence', 'float32', 'confidence of the final assignment, 0…1'),
  map('transition', 'uint8', 'latent position between two phases'),
  map('falseAssignment', 'uint8', 'unambiguous pixels the latent space puts elsewhere'),
  map('unassigned', 'uint8', 'far from every phase distribution'),
  {
    name: 'fractions',
    dtype: 'float64',
    dims: ['N'],
    optional: true,
    description: 'fraction of the particle per phase'
  },
  { name: 'energies', dtype: 'float64', dims: null, optional: true, description: 'energies used' },
  { name: 'trainingLoss', dtype: 'float64', dims: null, optional: true, description: 'per epoch' },
  {
    name: 'validationLoss',
    dtype: 'float64',
    dims: null,
    optional: true,
    description: 'per epoch'
  },
  {
    name: 'phaseMeans',
    dtype: 'float64',
    dims: null,
    optional: true,
    description: 'latent mean per phase (N, L)'
  },
  {
    name: 'phaseCovariances',
    dtype: 'float64',
    dims: null,
    optional: true,
    description: 'latent covariance per phase (N, L, L)'
  }
];

/** The comm methods: what each takes and answers (docs/comm-protocol.md says what each does). */
export const METHOD_DEFS = {
  list_workbenches: {
    summary: 'the open workbenches',
    params: 'ListWorkbenchesParams',
    result: 'WorkbenchList',
    arraysIn: [],
    arraysOut: []
  },
  get_stack: {
    summary: "a workbench's stack (default: the most recently active one)",
    params: 'PathParams',
    result: 'StackReply',
    arraysIn: [],
    arraysOut: STACK_ARRAYS
  },
  open: {
    summary: 'open (or reveal) a stack file beside the notebook; answers once loaded',
    params: 'OpenParams',
    result: 'OpenReply',
    arraysIn: [],
    arraysOut: []
  },
  open_arrays: {
    summary: 'write arrays as an NXstxm file at path, then open it',
    params: 'OpenArraysParams',
    result: 'OpenReply',
    arraysIn: [...STACK_ARRAYS, CONTROL],
    arraysOut: []
  },
  set_references: {
    summary: 'set the reference spectra: CSV text, or names with arrays',
    params: 'SetReferencesParams',
    result: 'ReferencesReply',
    arraysIn: spectra('names'),
    arraysOut: []
  },
  get_references: {
    summary: "a workbench's reference spectra",
    params: 'PathParams',
    result: 'ReferencesReply',
    arraysIn: [],
    arraysOut: spectra('names')
  },
  run: {
    summary: 'run the pipeline in the workbench (its Web Worker) with the given parameters',
    params: 'RunParams',
    result: 'ResultReply',
    arraysIn: [],
    arraysOut: RESULT_ARRAYS,
    moreArraysOut: true
  },
  get_result: {
    summary: "the workbench's current result",
    params: 'PathParams',
    result: 'ResultReply',
    arraysIn: [],
    arraysOut: RESULT_ARRAYS,
    moreArraysOut: true
  },
  simulate: {
    summary: "simulate an NVPF particle (the extension's simulator, in its Web Worker)",
    params: 'SimulateParams',
    result: 'SimulateReply',
    arraysIn: [],
    arraysOut: [
      ...STACK_ARRAYS,
      { ...CONTROL, optional: false },
      {
        name: 'truth_phase',
        dtype: 'int16',
        dims: ['y', 'x'],
        description: 'ground truth phase, −1 outside'
      },
      {
        name: 'truth_mix',
        dtype: 'float32',
        dims: ['y', 'x'],
        description: 'oxidised fraction per pixel'
      },
      ...spectra('phaseNames')
    ]
  }
} satisfies { [name: string]: MethodDef };

export type Method = keyof typeof METHOD_DEFS;
export const METHODS = Object.keys(METHOD_DEFS) as Method[];
/** The methods whose requests carry arrays; every other request is one part without buffers. */
export const ARRAY_METHODS: readonly Method[] = METHODS.filter(
  m => (METHOD_DEFS[m] as MethodDef).arraysIn.length > 0
);

// --------------------------------------------------------------------- schemas

const SHAPE_ERROR = 'array "{parent}": "shape" must be a list of non-negative integers';
const RequestId = str(MAX_ID_LENGTH, { minLength: 1, description: 'a request id' });
const ServerPath = str(1024, {
  minLength: 1,
  'x-error': '"{path}" must be a non-empty string of at most 1024 characters',
  description:
    'a path on the Jupyter server, relative to its root as the file browser shows it; no ".." segments, no NUL'
});
const Count = int(0);
const PartNumbers = {
  part: int(0, undefined, { default: 0 }),
  parts: int(1, undefined, { default: 1 })
};
const Framing = {
  ...PartNumbers,
  arrays: {
    type: 'object',
    maxProperties: MAX_ARRAYS,
    additionalProperties: ref('ArraySpec'),
    'x-error': `"arrays" must be an object of at most ${MAX_ARRAYS} arrays`,
    description: 'part 0 only: the arrays of the message'
  } satisfies Schema,
  chunks: list(ref('ChunkSpec'), { description: 'chunks[i] describes buffers[i] of this part' })
};
const Progress: Schema = {
  ...obj(
    {
      stage: str(undefined, {
        description: 'prepare, pcc, train or resolve (a newer engine may add stages)'
      }),
      fraction: num(undefined, undefined, { description: '0…1 within the stage' }),
      message: str(),
      epoch: int(0),
      loss: nullable(num()),
      valLoss: nullable(num())
    },
    ['message', 'epoch', 'loss', 'valLoss']
  ),
  description: 'where a running request is; the stage and the fraction of it done'
};
const StackInfo = anyObject({
  description:
    "the stack's description (StackInfo, src/core/model/info.ts: what `info --json` prints)"
});
const Names = list(str(200), { maxItems: 64 });

/** Every message and value of the contract, by name: JSON Schema definitions. */
export const DEFS: { [name: string]: Schema } = {
  ArraySpec: obj({
    dtype: oneOf(DTYPE_NAMES, { 'x-error': 'array "{parent}": unsupported dtype {got}' }),
    shape: list(int(0, undefined, { 'x-error': SHAPE_ERROR }), {
      maxItems: MAX_DIMENSIONS,
      'x-error': SHAPE_ERROR
    }),
    nbytes: int(0, undefined, { description: 'product(shape) × itemsize' })
  }),
  ChunkSpec: obj({
    array: str(undefined, { description: 'the array this buffer belongs to' }),
    offset: Count,
    nbytes: int(0, MAX_CHUNK_BYTES, {
      'x-error': `a chunk of {got} bytes (a chunk is at most ${MAX_CHUNK_BYTES} bytes)`
    })
  }),

  // kernel → extension
  OpenComm: obj({ protocol: constant(PROTOCOL) }),
  RequestPart: obj(
    {
      type: constant('request'),
      id: RequestId,
      ...Framing,
      method: {
        enum: [...METHODS],
        'x-error': `unknown "method" {got}; expected one of ${METHODS.join(', ')}`,
        description: 'part 0 only'
      },
      params: anyObject({ description: 'part 0 only (default {})' })
    },
    ['part', 'parts', 'arrays', 'chunks', 'method', 'params']
  ),
  Cancel: obj({ type: constant('cancel'), id: RequestId }),
  Ping: obj({ type: constant('ping'), id: RequestId }),
  ErrorNotice: obj({
    type: constant('error'),
    id: nullable(str()),
    error: obj({ kind: constant('invalid-reply'), message: str(2000) })
  }),

  // extension → kernel
  Hello: obj(
    {
      type: constant('hello'),
      protocol: str(),
      version: str(),
      methods: list(str(), { description: 'the methods this extension answers' }),
      maxChunkBytes: int(1),
      serverRoot: nullable(str(undefined, { description: "PageConfig's serverRoot" })),
      params: anyObject({
        description:
          "the pipeline's default parameters (PipelineParams; optional ones without a default as null)"
      })
    },
    ['methods', 'maxChunkBytes', 'serverRoot', 'params']
  ),
  Refusal: obj({
    type: constant('error'),
    error: obj({ kind: constant('protocol'), message: str() })
  }),
  Ack: obj({ type: constant('ack'), id: RequestId }),
  Pong: obj({ type: constant('pong'), id: RequestId }),
  ProgressEvent: obj({
    type: constant('event'),
    id: RequestId,
    event: constant('progress'),
    progress: ref('Progress')
  }),
  Progress,
  ReplyPart: obj(
    {
      type: constant('reply'),
      id: RequestId,
      ok: constant(true),
      ...Framing,
      result: anyObject({ description: 'part 0 only' })
    },
    ['arrays', 'chunks', 'result']
  ),
  ErrorReply: obj(
    {
      type: constant('reply'),
      id: nullable(str()),
      ok: constant(false),
      part: constant(0),
      parts: constant(1),
      error: obj({
        kind: str(64, {
          description: 'one of REPLY_ERROR_KINDS (a newer extension may add kinds)'
        }),
        message: str()
      })
    },
    ['part', 'parts']
  ),

  // method parameters and results
  ListWorkbenchesParams: obj({}),
  WorkbenchList: obj({
    workbenches: list(
      obj(
        {
          path: str(),
          current: bool(),
          status: oneOf(['loading', 'ready', 'error']),
          error: nullable(str()),
          info: nullable(StackInfo),
          references: nullable(list(str())),
          runState: str(),
          hasResult: bool()
        },
        ['current', 'status', 'error', 'info', 'references', 'runState', 'hasResult']
      )
    )
  }),
  PathParams: obj({ path: nullable(ServerPath) }, ['path']),
  OpenParams: obj({ path: ServerPath }),
  StackReply: obj({ path: str(), info: StackInfo }, ['info']),
  OpenArraysParams: obj(
    {
      path: ServerPath,
      overwrite: nullable(bool({ default: false })),
      title: nullable(str(1000))
    },
    ['overwrite', 'title']
  ),
  OpenReply: obj(
    {
      path: str(),
      info: StackInfo,
      timings: obj({ write: num(), upload: num(), open: num() }, [], {
        description: 'milliseconds per step of open_arrays'
      })
    },
    ['info', 'timings']
  ),
  SetReferencesParams: obj(
    {
      path: nullable(ServerPath),
      csv: nullable(
        str(50_000_000, { description: 'CSV text (DESIGN.md §3), read by the extension’s reader' })
      ),
      names: list(str(200), {
        maxItems: 64,
        description: 'with arrays energies:i and values:i, one pair per name',
        'x-error': '"params.names" must be a list of at most 64 strings'
      }),
      source: nullable(str(1000, { default: 'Python' }))
    },
    ['path', 'csv', 'names', 'source']
  ),
  ReferencesReply: obj({ path: str(), names: Names, source: str() }, ['path', 'source']),
  RunParams: obj(
    {
      path: nullable(ServerPath),
      params: nullable(
        anyObject({
          description:
            'DeepPartial<PipelineParams>: every key a known parameter, checked by the parameter model (validateParams)'
        })
      )
    },
    ['path', 'params']
  ),
  ResultReply: anyObject({
    description:
      "the result's JSON fields (phaseNames, shape, threshold, counts, params, provenance, warnings, versions …) and path; non-finite numbers are null"
  }),
  SimulateParams: obj(
    {
      soc: num(0, 1, { default: 0.64, description: 'the charged (Na1) share of the particle' }),
      seed: int(0, 2 ** 32 - 1, { default: 1 }),
      ny: int(8, 2048, { default: 48 }),
      nx: int(8, 2048, { default: 64 }),
      pixel_size: num(1e-6, 1e6, { default: 0.03, description: 'µm' })
    },
    ['soc', 'seed', 'ny', 'nx', 'pixel_size']
  ),
  SimulateReply: obj(
    {
      info: StackInfo,
      phaseNames: Names,
      seed: int(0),
      soc: num(0, 1),
      title: nullable(str())
    },
    ['title']
  ),

  // the notebook output
  MimePayload: {
    ...obj(
      {
        version: constant(PAYLOAD_VERSION, {
          'x-error': `unsupported version {got} (this extension reads ${PAYLOAD_VERSION})`
        }),
        encoding: constant(PAYLOAD_ENCODING, { 'x-error': 'unsupported map encoding' }),
        shape: ref('MapShape', { description: '(ny, nx) of the maps' }),
        fullShape: ref('MapShape', { description: '(ny, nx) of the result (maps may be strided)' }),
        step: int(1, 1 << 20, { default: 1 }),
        phaseNames: list(
          str(200, { 'x-error': 'phase name {n} must be a string of at most 200 characters' }),
          {
            minItems: 1,
            maxItems: MAX_PHASES,
            'x-error': `"phaseNames" must list 1…${MAX_PHASES} names`
          }
        ),
        fractions: list(num(0, 1, { 'x-error': 'fraction {n} must be a number in 0…1' }), {
          maxItems: MAX_PHASES,
          'x-error': '"fractions" must have one number per phase'
        }),
        threshold: nullable(
          num(undefined, undefined, { 'x-error': '"threshold" must be a finite number or null' })
        ),
        method: str(64),
        counts: {
          type: 'object',
          maxProperties: 32,
          propertyNames: str(64, {
            'x-error': 'a count name must be a string of at most 64 characters'
          }),
          additionalProperties: int(0, Number.MAX_SAFE_INTEGER, {
            'x-error': 'count "{key}" must be an integer in 0…9007199254740991'
          }),
          'x-error': '"counts" must be an object of at most 32 numbers'
        },
        pixelSize: obj(
          {
            x: nullable(
              num(undefined, undefined, {
                'x-error': 'pixelSize.x must be a finite number or null'
              })
            ),
            y: nullable(
              num(undefined, undefined, {
                'x-error': 'pixelSize.y must be a finite number or null'
              })
            )
          },
          ['x', 'y'],
          { description: 'µm' }
        ),
        warnings: nullable(
          list(
            obj(
              {
                level: oneOf(['info', 'warning'], {
                  'x-error': 'warning {n} must be an object with level "info" or "warning"'
                }),
                code: str(64, {
                  'x-error': "warning {n}'s code must be a string of at most 64 characters"
                }),
                message: str(PAYLOAD_MAX_WARNING_CHARS, {
                  'x-error': `warning {n}'s message must be a string of at most ${PAYLOAD_MAX_WARNING_CHARS} characters`
                })
              },
              [],
              { 'x-error': 'warning {n} must be an object with level "info" or "warning"' }
            ),
            {
              maxItems: PAYLOAD_MAX_WARNINGS,
              'x-error': `"warnings" must be a list of at most ${PAYLOAD_MAX_WARNINGS}`
            }
          )
        ),
        maps: obj(
          {
            phase: ref('MapCodes', { description: '0 background, i + 1 for phase i' }),
            initial: ref('MapCodes', { description: 'the argmax map, coded as phase' }),
            flags: ref('MapCodes', { description: 'bits of FLAGS' }),
            confidence: ref('MapCodes', {
              description: 'round(confidence × 255); 0 outside the particle'
            })
          },
          [],
          { 'x-error': '"maps" must be an object' }
        ),
        title: str(1000),
        path: nullable(str(1000, { description: "the result's stack file (server path)" }))
      },
      [
        'fullShape',
        'step',
        'threshold',
        'method',
        'counts',
        'pixelSize',
        'warnings',
        'title',
        'path'
      ]
    ),
    'x-error': 'the output is not a JSON object',
    description: `the notebook output ${MIME_TYPE}: maps as uint8 codes, zlib-compressed, in base64`
  },
  MapShape: list(int(1, 1 << 20), {
    minItems: 2,
    maxItems: 2,
    'x-error': '"{key}" must be [ny, nx]'
  }),
  MapCodes: str(MAX_MAP_BASE64, {
    'x-missing': 'map "{key}" is missing',
    'x-error': `map "{key}" must be a string of at most ${MAX_MAP_BASE64} characters of base64`
  })
};

// ------------------------------------------------------------------ parameters

/** The pipeline parameters (the parameter model, PARAMETER_SPECS), as the contract lists them. */
export interface ContractParameter {
  path: string;
  group: string | null;
  key: string;
  cli: string;
  python: string;
  default: Json;
  schema: Schema;
}

export const PARAMETERS: ContractParameter[] = PARAMETER_SPECS.map(s => ({
  path: s.path,
  group: s.group ?? null,
  key: s.key,
  cli: s.cli,
  python: s.python,
  default: s.default,
  schema: s.schema
}));

/** PipelineParams as JSON Schema (documentation: values are checked by validateParams). */
export function pipelineParamsSchema(): Schema {
  const group = (g: string | null): Schema => ({
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      PARAMETERS.filter(p => p.group === g).map(p => [p.key, p.schema])
    )
  });
  const top = group(null);
  return {
    ...top,
    properties: { ...top.properties, preprocess: group('preprocess'), gmvae: group('gmvae') },
    description:
      'the pipeline parameters (src/core/model/param-specs.ts), checked by validateParams'
  };
}

export const DEFAULTS: Json = DEFAULT_PARAMS as unknown as Json;
