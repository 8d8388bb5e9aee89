/**
 * `LocalCubeStore`: a cube store that holds the stack in this thread. It is
 * what the model uses where no worker exists (Node: tests, the CLI's
 * helpers), and what the stack worker does inside the worker
 * (src/worker/worker.ts holds one); the lab's model uses it in Node. The browser's workbench gives its model
 * the worker's store instead (src/worker/store.ts), so the page keeps no
 * copy of the cube.
 */
import {
  frameOf,
  maskedSpectrum,
  pixelSpectrum,
  preparedMeta,
  rectSpectrum,
  type CubeKind,
  type CubeStore,
  type PixelBox,
  type PreparedMeta,
  samePreparation
} from '../model/cube.js';
import type { PreparedStack } from '../model/prepared.js';
import type { ReferenceSet } from '../model/references.js';
import type { PreprocessParams } from '../model/result.js';
import type { Stack } from '../model/stack.js';
import { prepareStack } from './prepare.js';

/** What pre-processes a stack (prepareStack, or a test's stand-in). */
export type PrepareFn = (
  stack: Stack,
  params: PreprocessParams,
  references?: ReferenceSet
) => Promise<PreparedStack>;

export class LocalCubeStore implements CubeStore {
  /** The stack held (the page's own in Node). */
  get stack(): Stack | null {
    return this._raw;
  }
  get prepared(): PreparedStack | null {
    return this._prepared;
  }

  put(stack: Stack): Promise<void> {
    this._raw = stack;
    this._prepared = null;
    this._preparedWith = null;
    return Promise.resolve();
  }

  async prepare(params: PreprocessParams, references?: ReferenceSet): Promise<PreparedMeta> {
    return this.prepareWith(
      (s, p, r) => Promise.resolve(prepareStack(s, p, r)),
      params,
      references
    );
  }

  /** Pre-process with `runner` (a test's, or prepareStack) and keep its answer. */
  async prepareWith(
    runner: PrepareFn,
    params: PreprocessParams,
    references?: ReferenceSet
  ): Promise<PreparedMeta> {
    const raw = this._need();
    const prepared = await runner(raw, params, references);
    if (raw === this._raw) {
      this._prepared = prepared;
      this._preparedWith = { params, references };
    }
    return preparedMeta(prepared);
  }

  frame(kind: CubeKind, e: number): Promise<Float32Array> {
    const s = this._cube(kind);
    return Promise.resolve(frameOf(s.data, s.y.length, s.x.length, e));
  }

  spectrum(kind: CubeKind, ix: number, iy: number): Promise<Float64Array> {
    const s = this._cube(kind);
    return Promise.resolve(
      pixelSpectrum(s.data, s.energies.length, s.y.length, s.x.length, ix, iy)
    );
  }

  meanSpectrum(kind: CubeKind, region: PixelBox | 'mask'): Promise<Float64Array> {
    const s = this._cube(kind);
    const ne = s.energies.length;
    if (region === 'mask') {
      const mask = this._prepared?.mask;
      if (!mask || kind !== 'od') {
        return Promise.reject(new Error('no mask: the stack is not pre-processed'));
      }
      return Promise.resolve(maskedSpectrum(s.data, ne, mask));
    }
    return Promise.resolve(rectSpectrum(s.data, ne, s.y.length, s.x.length, region));
  }

  /** The stack held itself (in this thread nothing is transferred; the stack worker copies). */
  copy(): Promise<Stack> {
    return Promise.resolve(this._need());
  }

  /**
   * The prepared stack held, itself (not a copy), when it was made with
   * these parameters and references; else null. For a run in this thread
   * or worker, which reads it and writes nothing into it.
   */
  preparedFor(params: PreprocessParams, references?: ReferenceSet): PreparedStack | null {
    const prepared = this._prepared;
    return prepared &&
      this._preparedWith &&
      samePreparation(this._preparedWith, { params, references })
      ? prepared
      : null;
  }

  /** Let the prepared stack go (before another is made: one OD cube at a time). */
  dropPrepared(): void {
    this._prepared = null;
    this._preparedWith = null;
  }

  dispose(): void {
    this._raw = null;
    this._prepared = null;
    this._preparedWith = null;
  }

  private _need(): Stack {
    if (!this._raw) {
      throw new Error('no stack is loaded');
    }
    return this._raw;
  }

  private _cube(kind: CubeKind): Stack {
    if (kind === 'od') {
      if (!this._prepared) {
        throw new Error('the stack is not pre-processed yet');
      }
      return this._prepared.stack;
    }
    return this._need();
  }

  private _raw: Stack | null = null;
  private _prepared: PreparedStack | null = null;
  private _preparedWith: { params: PreprocessParams; references?: ReferenceSet } | null = null;
}

/** A copy of `stack` in buffers of its own. */
export function copyStack(stack: Stack): Stack {
  return {
    ...stack,
    data: stack.data.slice(),
    energies: stack.energies.slice(),
    x: stack.x.slice(),
    y: stack.y.slice(),
    control: stack.control?.slice()
  };
}
