/**
 * The resolution methods, one module each, in one registry. The ids are the
 * parameter model's (`RESOLUTION_METHODS`, src/core/model/params.ts: the
 * settings' choices, the CLI's `--method`, Python's specs); the compiler
 * holds this record to exactly those ids and methods.spec.ts to their order.
 *
 * A new method: its module here, its line below, its id in RESOLUTION_METHODS.
 */
import { RESOLUTION_METHODS, type ResolutionMethod } from '../../model/params.js';
import { gmvaePixel } from './gmvae-pixel.js';
import { gmvae } from './gmvae.js';
import { lsq, nnls } from './least-squares.js';
import { pcaKmeansMethod } from './pca-kmeans.js';
import { pcc } from './pcc.js';
import type { ResolutionMethodInfo, ResolutionMethodModule } from './types.js';

export { DEFAULT_NEIGHBOUR_WEIGHT } from './gmvae.js';
export type {
  MethodInput,
  MethodResolution,
  ResolutionMethodInfo,
  ResolutionMethodModule
} from './types.js';

export const RESOLUTION_METHOD_MODULES: {
  readonly [M in ResolutionMethod]: ResolutionMethodModule<M>;
} = {
  gmvae,
  'gmvae-pixel': gmvaePixel,
  pcc,
  'pca-kmeans': pcaKmeansMethod,
  lsq,
  nnls
};

/** The module of a method id; a RangeError names an unknown one. */
export function resolutionMethod(id: ResolutionMethod): ResolutionMethodModule {
  const module: ResolutionMethodModule | undefined = Object.hasOwn(RESOLUTION_METHOD_MODULES, id)
    ? RESOLUTION_METHOD_MODULES[id]
    : undefined;
  if (!module) {
    throw new RangeError(`unknown resolution method "${String(id)}"`);
  }
  return module;
}

/** Every method's facts, in display order (the run bar's choices). */
export const RESOLUTION_METHOD_INFO: readonly ResolutionMethodInfo[] = RESOLUTION_METHODS.map(id =>
  resolutionMethod(id)
);
