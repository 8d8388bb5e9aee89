/**
 * The cube as the page sees it. The page keeps no copy of a stack's cube:
 * its description (`StackMeta`: axes, source, metadata, shape) and the
 * pre-processing's small outputs (`PreparedMeta`: mask, I0, shifts,
 * provenance) are what views draw from, and they ask whoever owns the cube
 * (the stack worker in the browser) for a frame or a spectrum. The readers
 * below are what that owner computes them with.
 */
import type { PreparedStack } from './prepared.js';
import type { ReferenceSet } from './references.js';
import type {
  DeepPartial,
  PhaseMapResult,
  PipelineParams,
  PreprocessParams,
  ProgressEvent
} from './result.js';
import type { Stack, StackShape } from './stack.js';

/** A stack without its cube (and without the per-pixel ring current, which is cube-sized). */
export type StackMeta = Omit<Stack, 'data' | 'control'> & {
  readonly shape: StackShape;
  /** Whether the stack carries a ring-current (control) cube. */
  readonly hasControl: boolean;
};

/** A prepared stack without its optical-density cube. */
export type PreparedMeta = Omit<PreparedStack, 'stack'> & { readonly stack: StackMeta };

/** Which cube a request is about: the raw stack or the prepared optical density. */
export type CubeKind = 'raw' | 'od';

/** A pixel rectangle [x0, x1) × [y0, y1). */
export interface PixelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Who owns a stack's cube and its pre-processed optical density, and answers
 * small requests about them (the stack worker in the browser:
 * src/worker/store.ts; `LocalCubeStore` in this thread). Requests are
 * answered in the order they are made, so a frame asked for after `put`
 * is a frame of the new stack.
 */
export interface CubeStore {
  /** Hold `stack` from now on (its buffers may be transferred: do not use them after). */
  put(stack: Stack): Promise<void>;
  /** Pre-process the stack held, keep the optical density, answer its description. */
  prepare(params: PreprocessParams, references?: ReferenceSet): Promise<PreparedMeta>;
  /** Frame `e` of the raw stack or of the optical density. */
  frame(kind: CubeKind, e: number): Promise<Float32Array>;
  /** The spectrum of pixel (ix, iy). */
  spectrum(kind: CubeKind, ix: number, iy: number): Promise<Float64Array>;
  /** The mean spectrum of a pixel rectangle or of the pre-processing's mask (NaN skipped). */
  meanSpectrum(kind: CubeKind, region: PixelBox | 'mask'): Promise<Float64Array>;
  /** The raw stack whole, in buffers of its own (for a run or for Python). */
  copy(): Promise<Stack>;
  /**
   * Run the pipeline where the cube is, on the stack held (one read into the
   * store, too large to move: `HeldStack`). Only stores that can (the stack
   * worker of the full bundle); cancel through `signal`.
   */
  runInPlace?(
    references: ReferenceSet,
    params: DeepPartial<PipelineParams>,
    options: { signal?: AbortSignal; onProgress?: (event: ProgressEvent) => void }
  ): Promise<PhaseMapResult>;
  dispose(): void;
}

/**
 * A stack its store read itself and holds (too large to move between
 * workers): its description and its first frame, no cube.
 */
export interface HeldStack {
  held: StackMeta;
  firstFrame: Float32Array;
}

export function isHeldStack(s: object): s is HeldStack {
  return 'held' in s && 'firstFrame' in s;
}

/** Whether a prepared stack made with (`params`, `references`) fits a run with these. */
export function samePreparation(
  a: { params: PreprocessParams; references?: ReferenceSet },
  b: { params: PreprocessParams; references?: ReferenceSet }
): boolean {
  return (
    JSON.stringify(a.params) === JSON.stringify(b.params) &&
    (a.references === b.references ||
      JSON.stringify(a.references ?? null) === JSON.stringify(b.references ?? null))
  );
}

/** What views may ask of the cube. */
export type CubeReader = Pick<CubeStore, 'frame' | 'spectrum' | 'meanSpectrum'>;

export function stackMeta(stack: Stack): StackMeta {
  const { data: _data, control, ...rest } = stack;
  void _data;
  return {
    ...rest,
    // the axes are copied: the stack's own buffers may be transferred to the cube's owner
    energies: stack.energies.slice(),
    x: stack.x.slice(),
    y: stack.y.slice(),
    shape: [stack.energies.length, stack.y.length, stack.x.length],
    hasControl: control !== undefined
  };
}

export function preparedMeta(prepared: PreparedStack): PreparedMeta {
  return { ...prepared, stack: stackMeta(prepared.stack) };
}

/** Frame `e` of a cube (a copy, so it can be transferred). */
export function frameOf(cube: Float32Array, ny: number, nx: number, e: number): Float32Array {
  return cube.slice(e * ny * nx, (e + 1) * ny * nx);
}

export function pixelSpectrum(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  ix: number,
  iy: number
): Float64Array {
  const out = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    out[e] = cube[(e * ny + iy) * nx + ix];
  }
  return out;
}

/** Mean spectrum over pixels [x0, x1) × [y0, y1) (NaN pixels skipped). */
export function rectSpectrum(
  cube: Float32Array,
  ne: number,
  ny: number,
  nx: number,
  r: { x0: number; x1: number; y0: number; y1: number }
): Float64Array {
  const out = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    let s = 0;
    let n = 0;
    for (let y = r.y0; y < r.y1; y++) {
      for (let x = r.x0; x < r.x1; x++) {
        const v = cube[(e * ny + y) * nx + x];
        if (Number.isFinite(v)) {
          s += v;
          n++;
        }
      }
    }
    out[e] = n ? s / n : Number.NaN;
  }
  return out;
}

/** Mean spectrum over the pixels where `mask` is 1. */
export function maskedSpectrum(cube: Float32Array, ne: number, mask: Uint8Array): Float64Array {
  const npx = mask.length;
  const out = new Float64Array(ne);
  for (let e = 0; e < ne; e++) {
    let s = 0;
    let n = 0;
    for (let p = 0; p < npx; p++) {
      if (mask[p]) {
        const v = cube[e * npx + p];
        if (Number.isFinite(v)) {
          s += v;
          n++;
        }
      }
    }
    out[e] = n ? s / n : Number.NaN;
  }
  return out;
}
