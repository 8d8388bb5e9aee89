/**
 * What each comm method does (docs/comm-protocol.md, "Methods"): a table,
 * method name → validate (the contract's generated validator, then what only
 * this side can check, protocol-params.ts), handle (the work: workbenches
 * through the tracker and the workbench model's public API, files through the
 * document manager and the contents service), encode (the reply's JSON and
 * arrays, protocol-result.ts). Nothing happens before validate passed.
 */
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { Contents, ServerConnection } from '@jupyterlab/services';

import { CancelledError } from '../core/analysis/cancel.js';
import { oneLine } from '../core/io/errors.js';
import { ALL_STACK_EXTENSIONS } from '../core/io/read.js';
import { parseReferenceCsv } from '../core/io/references-csv.js';
import { describeStack, type StackInfo } from '../core/model/info.js';
import { validateReferenceSet, type ReferenceSet } from '../core/model/references.js';
import type { ProgressEvent } from '../core/model/result.js';
import type { Stack } from '../core/model/stack.js';
import { nvpfSpectrum } from '../core/simulate/xanes.js';
import type { AnalysisWorkerClient } from '../worker/client.js';
import type { StxmDocument } from './document.js';
import { bytesToBase64 } from './base64.js';
import { pathEntry } from './files.js';
import { ARRAY_METHODS, type Method } from '../core/contract/contract.js';
import {
  METHOD_PARAMS,
  type MethodParams,
  type MethodResults
} from '../core/contract/generated.js';
import type { JsonObject } from '../core/contract/check.js';
import type { PhaseMapResult } from '../core/model/result.js';
import {
  ProtocolError,
  checked,
  outArray,
  type InArray,
  type JSONObject,
  type OutArray
} from './protocol-arrays.js';
import {
  optionalPath,
  parseOpenArrays,
  parsePipelineParams,
  parseReferences,
  parseSimulate,
  serverPath,
  type SimulateParams
} from './protocol-params.js';
import { encodeReferences, encodeResult, jsonSafe, stackArrays } from './protocol-result.js';
import { FACTORY_NAME, type IStxmTracker } from './tokens.js';

export interface MethodRequest {
  id: string;
  method: Method;
  params: JSONObject;
  arrays: Record<string, InArray>;
}

export interface MethodContext {
  /** Aborted when the kernel cancels the request. */
  signal: AbortSignal;
  progress(event: ProgressEvent): void;
}

export interface MethodReply {
  json: JSONObject;
  arrays?: Record<string, OutArray>;
}

export interface CommMethodsOptions {
  tracker: IStxmTracker;
  docManager: IDocumentManager;
  contents: Contents.IManager;
  serverSettings: ServerConnection.ISettings;
  /** The worker that writes and reads stack files (created on first use). */
  worker: () => AnalysisWorkerClient;
}

/** Upload slices of this many bytes (base64 in JSON through the contents API). */
const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
/** Reference spectra the simulator returns: 505–550 eV in 0.25 eV steps. */
const SIM_REF_GRID = Float64Array.from({ length: 181 }, (_, i) => 505 + 0.25 * i);

/** One method: its request checked and turned into `I`, the work (→ `O`), the reply. */
interface MethodEntry<M extends Method, I, O> {
  validate(params: MethodParams[M] & JSONObject, arrays: Record<string, InArray>): I;
  handle(methods: CommMethods, input: I, ctx: MethodContext): Promise<O>;
  encode(output: O): { json: MethodResults[M]; arrays?: Record<string, OutArray> };
}

interface AnyEntry {
  call(
    methods: CommMethods,
    params: JSONObject,
    arrays: Record<string, InArray>,
    ctx: MethodContext
  ): Promise<MethodReply>;
}

function entry<M extends Method, I, O>(e: MethodEntry<M, I, O>): AnyEntry {
  return {
    async call(methods, params, arrays, ctx) {
      const input = e.validate(params as MethodParams[M] & JSONObject, arrays);
      const { json, arrays: out } = e.encode(await e.handle(methods, input, ctx));
      return { json, arrays: out };
    }
  };
}

const info = (stack: StackInfo): JsonObject => jsonSafe(stack) as JsonObject;
const encodeStack = ({ path, info: i }: { path: string; info: StackInfo }) => ({
  json: { path, info: info(i) }
});
const encodeRun = ({ path, result }: { path: string; result: PhaseMapResult }) =>
  encodeResult(result, path);

/** The comm methods: name → validate, handle, encode (the contract says what each takes and answers). */
const METHOD_TABLE: { [M in Method]: AnyEntry } = {
  list_workbenches: entry<'list_workbenches', null, JSONObject[]>({
    validate: () => null,
    handle: m => Promise.resolve(m.list()),
    encode: workbenches => ({
      json: { workbenches } as unknown as MethodResults['list_workbenches']
    })
  }),
  get_stack: entry<
    'get_stack',
    string | undefined,
    { path: string; info: StackInfo; stack: Stack }
  >({
    validate: p => optionalPath(p),
    handle: async (m, path) => {
      const doc = await m.settled(path);
      // a copy from the workbench's stack worker, dropped once encoded
      const stack = await doc.model.stackCopy();
      return { path: doc.context.path, info: m.infoOf(doc), stack };
    },
    encode: out => ({ ...encodeStack(out), arrays: stackArrays(out.stack) })
  }),
  open: entry<'open', string, { path: string; info: StackInfo }>({
    validate: p => serverPath(p.path),
    handle: (m, path) => m.open(path),
    encode: encodeStack
  }),
  open_arrays: entry({
    validate: (p, arrays) => parseOpenArrays(p, arrays),
    handle: (m, p: ReturnType<typeof parseOpenArrays>) => m.openArrays(p),
    encode: ({
      path,
      info: i,
      timings
    }: {
      path: string;
      info: StackInfo;
      timings: { write: number; upload: number; open: number };
    }) => ({
      json: { path, info: info(i), timings }
    })
  }),
  set_references: entry({
    validate: (p, arrays) => parseReferences(p, arrays),
    handle: (m, p: ReturnType<typeof parseReferences>) => m.setReferences(p),
    encode: ({ path, set }: { path: string; set: ReferenceSet }) => ({
      json: { path, names: set.spectra.map(r => r.name), source: set.source }
    })
  }),
  get_references: entry<'get_references', string | undefined, { path: string; set: ReferenceSet }>({
    validate: p => optionalPath(p),
    handle: async (m, path) => {
      const doc = await m.settled(path);
      const set = doc.model.references;
      if (!set) {
        throw new ProtocolError('not-found', `${doc.context.path}: no reference spectra are set`);
      }
      return { path: doc.context.path, set };
    },
    encode: ({ path, set }) => {
      const { json, arrays } = encodeReferences(set);
      return { json: { ...json, path } as MethodResults['get_references'], arrays };
    }
  }),
  run: entry<
    'run',
    { path: string | undefined; params: ReturnType<typeof parsePipelineParams> },
    { path: string; result: PhaseMapResult }
  >({
    validate: p => ({ params: parsePipelineParams(p.params), path: optionalPath(p) }),
    handle: (m, input, ctx) => m.run(input.path, input.params, ctx),
    encode: encodeRun
  }),
  get_result: entry<'get_result', string | undefined, { path: string; result: PhaseMapResult }>({
    validate: p => optionalPath(p),
    handle: async (m, path) => {
      const doc = await m.settled(path);
      const result = doc.model.result;
      if (!result) {
        throw new ProtocolError(
          'not-found',
          `${doc.context.path}: no result yet (run the pipeline first)`
        );
      }
      return { path: doc.context.path, result };
    },
    encode: encodeRun
  }),
  simulate: entry<'simulate', SimulateParams, MethodReply>({
    validate: p => parseSimulate(p),
    handle: (m, p) => m.simulate(p),
    encode: reply => reply as { json: MethodResults['simulate']; arrays?: Record<string, OutArray> }
  })
};

export class CommMethods {
  constructor(private readonly options: CommMethodsOptions) {}

  async call(req: MethodRequest, ctx: MethodContext): Promise<MethodReply> {
    if (!ARRAY_METHODS.includes(req.method) && Object.keys(req.arrays).length) {
      throw new ProtocolError('invalid-request', `"${req.method}" takes no arrays`);
    }
    checked(METHOD_PARAMS[req.method], req.params, 'params');
    return METHOD_TABLE[req.method].call(this, req.params, req.arrays, ctx);
  }

  list(): JSONObject[] {
    const out: JSONObject[] = [];
    const current = this.options.tracker.currentWidget;
    this.options.tracker.forEach(doc => {
      const wb = doc.model;
      out.push({
        path: doc.context.path,
        current: doc === current,
        status: wb.status,
        error: wb.error,
        info: jsonSafe(wb.info),
        references: wb.references ? wb.references.spectra.map(r => r.name) : null,
        runState: wb.runState,
        hasResult: wb.result !== null
      });
    });
    return out;
  }

  private find(path: string | undefined): StxmDocument {
    const { tracker } = this.options;
    if (path) {
      const doc = tracker.find(d => d.context.path === path);
      if (!doc) {
        throw new ProtocolError('not-found', `no STXM workbench is open for "${path}"`);
      }
      return doc;
    }
    const doc = tracker.currentWidget;
    if (!doc) {
      throw new ProtocolError('not-found', 'no STXM stack is open in JupyterLab');
    }
    return doc;
  }

  /** The workbench, once it has finished loading. */
  async settled(path: string | undefined): Promise<StxmDocument> {
    const doc = this.find(path);
    await waitUntilSettled(doc);
    return doc;
  }

  /** The description of the workbench's stack (the cube stays in its stack worker). */
  infoOf(doc: StxmDocument): StackInfo {
    const info = doc.model.info;
    if (!doc.model.stack || !info) {
      throw new ProtocolError('failed', doc.model.error ?? `${doc.context.path}: no stack loaded`);
    }
    return info;
  }

  private async exists(path: string): Promise<boolean> {
    return (await pathEntry(this.options.contents, path)) !== null;
  }

  /**
   * Only stack files open in a workbench: a folder or a notebook would make
   * JupyterLab show a modal error (or leave an STXM tab with an error).
   */
  private async checkOpenable(path: string): Promise<void> {
    const entry = await pathEntry(this.options.contents, path);
    if (!entry) {
      throw new ProtocolError('not-found', `${path}: no such file on the Jupyter server`);
    }
    if (entry.type === 'directory') {
      throw new ProtocolError('invalid-request', `${path} is a folder, not an STXM stack file`);
    }
    const lower = path.toLowerCase();
    if (entry.type !== 'file' || !ALL_STACK_EXTENSIONS.some(ext => lower.endsWith(ext))) {
      throw new ProtocolError(
        'invalid-request',
        `${path} is not an STXM stack file (a ${entry.type}; stacks end with ${ALL_STACK_EXTENSIONS.join(', ')})`
      );
    }
  }

  async open(path: string): Promise<{ path: string; info: StackInfo }> {
    if (!this.options.tracker.find(d => d.context.path === path)) {
      await this.checkOpenable(path);
    }
    // Beside the notebook, without taking the focus from it.
    this.options.docManager.openOrReveal(path, FACTORY_NAME, undefined, {
      mode: 'split-right',
      activate: false
    });
    const doc = await this.waitForDocument(path);
    await waitUntilSettled(doc);
    if (doc.isDisposed) {
      throw new ProtocolError('failed', `${path}: the workbench was closed before it had loaded`);
    }
    if (doc.model.status === 'error') {
      throw new ProtocolError('failed', doc.model.error ?? `${path}: could not be read`);
    }
    return { path, info: this.infoOf(doc) };
  }

  private async waitForDocument(path: string): Promise<StxmDocument> {
    for (let i = 0; i < 600; i++) {
      const doc = this.options.tracker.find(d => d.context.path === path);
      if (doc) {
        return doc;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new ProtocolError('failed', `${path}: the workbench did not open within 30 s`);
  }

  async openArrays(p: ReturnType<typeof parseOpenArrays>): Promise<{
    path: string;
    info: StackInfo;
    timings: { write: number; upload: number; open: number };
  }> {
    if (!p.overwrite && (await this.exists(p.path))) {
      throw new ProtocolError(
        'failed',
        `${p.path} exists already; pass overwrite=True to replace it`
      );
    }
    const stack: Stack = {
      data: p.data,
      energies: p.energies,
      x: p.x,
      y: p.y,
      control: p.control,
      source: { file: p.path, format: 'NXstxm (HDF5)', dialect: 'arrays from Python' },
      metadata: { scanType: 'sample image stack', title: p.title }
    };
    const worker = this.options.worker();
    const t0 = performance.now();
    const bytes = await worker.writeStack(stack);
    const t1 = performance.now();
    await this.upload(p.path, bytes);
    const t2 = performance.now();
    const doc = this.options.tracker.find(d => d.context.path === p.path);
    if (doc) {
      // Already open (overwrite): read the new file into the same workbench.
      await doc.load();
    }
    const opened = await this.open(p.path);
    const ms = (v: number): number => Math.round(v);
    return {
      ...opened,
      timings: { write: ms(t1 - t0), upload: ms(t2 - t1), open: ms(performance.now() - t2) }
    };
  }

  /** Save bytes through the contents API, in chunks (the file browser's upload protocol). */
  private async upload(path: string, bytes: ArrayBuffer): Promise<void> {
    const { contents } = this.options;
    const n = Math.max(1, Math.ceil(bytes.byteLength / UPLOAD_CHUNK_BYTES));
    const name = path.split('/').pop()!;
    for (let i = 0; i < n; i++) {
      const slice = bytes.slice(i * UPLOAD_CHUNK_BYTES, (i + 1) * UPLOAD_CHUNK_BYTES);
      const chunk = n > 1 ? { chunk: i === n - 1 ? -1 : i + 1 } : {};
      const content = bytesToBase64(slice);
      await contents.save(path, { type: 'file', format: 'base64', name, content, ...chunk });
    }
  }

  async setReferences(
    p: ReturnType<typeof parseReferences>
  ): Promise<{ path: string; set: ReferenceSet }> {
    const doc = await this.settled(p.path);
    let set: ReferenceSet;
    try {
      if (p.csv !== undefined) {
        set = parseReferenceCsv(p.csv, p.source);
      } else {
        set = {
          source: p.source,
          spectra: p.spectra!.map(s => ({
            name: s.name,
            energies: s.energies,
            values: s.values,
            source: p.source
          }))
        };
        validateReferenceSet(set);
      }
    } catch (err) {
      throw new ProtocolError('failed', oneLine(err));
    }
    doc.model.setReferences(set);
    return { path: doc.context.path, set };
  }

  async run(
    path: string | undefined,
    pipelineParams: ReturnType<typeof parsePipelineParams>,
    ctx: MethodContext
  ): Promise<{ path: string; result: PhaseMapResult }> {
    const doc = await this.settled(path);
    this.infoOf(doc);
    doc.model.setParams(pipelineParams);
    const onProgress = (_: unknown, event: ProgressEvent): void => ctx.progress(event);
    const onAbort = (): void => doc.model.cancel();
    doc.model.progressChanged.connect(onProgress);
    ctx.signal.addEventListener('abort', onAbort);
    try {
      return { path: doc.context.path, result: await doc.run() };
    } catch (err) {
      if (err instanceof CancelledError) {
        throw new ProtocolError('cancelled', `${doc.context.path}: the run was cancelled`);
      }
      throw new ProtocolError('failed', oneLine(err));
    } finally {
      doc.model.progressChanged.disconnect(onProgress);
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  /** In the worker: a 2048 × 2048 particle takes seconds, which the page must not freeze for. */
  async simulate(p: SimulateParams): Promise<MethodReply> {
    const { stack, truth } = await this.options.worker().simulateArrays({
      seed: p.seed,
      ny: p.ny,
      nx: p.nx,
      pixelUm: p.pixelSize,
      front: Math.sqrt(1 - p.soc)
    });
    const arrays: Record<string, OutArray> = {
      ...stackArrays(stack),
      control: outArray(stack.control!, [stack.energies.length, p.ny, p.nx]),
      truth_phase: outArray(truth.phase, [p.ny, p.nx]),
      truth_mix: outArray(truth.mix, [p.ny, p.nx])
    };
    // Reference spectra of the two phases, on a fine grid covering the stack's energies.
    const valences = [3.0, 4.0];
    truth.phaseNames.forEach((_, i) => {
      arrays[`energies:${i}`] = outArray(SIM_REF_GRID, [SIM_REF_GRID.length]);
      arrays[`values:${i}`] = outArray(nvpfSpectrum(SIM_REF_GRID, valences[i]), [
        SIM_REF_GRID.length
      ]);
    });
    return {
      json: {
        info: jsonSafe(describeStack(stack)),
        phaseNames: truth.phaseNames,
        seed: p.seed,
        soc: p.soc,
        title: stack.metadata.title ?? null
      },
      arrays
    };
  }
}

/** Wait while the workbench is still loading its stack (and is still open). */
export function waitUntilSettled(doc: StxmDocument): Promise<void> {
  const model = doc.model;
  if (model.status !== 'loading' || doc.isDisposed) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    const done = (): void => {
      if (model.status !== 'loading' || doc.isDisposed) {
        model.stackChanged.disconnect(done);
        doc.disposed.disconnect(done);
        resolve();
      }
    };
    model.stackChanged.connect(done);
    doc.disposed.connect(done);
  });
}
