/**
 * From raw counts to an optical-density stack ready for analysis: a list of
 * steps (`PREPARE_STEPS`, each in its own file), run in order, each
 * recording what it did in the provenance and what it found in the warnings
 * (so it is visible, and undone by running again with other parameters; the
 * input stack is never modified):
 *
 * 1. frames: those with no data (all NaN, all zero, > 1 % NaN) are dropped,
 *    and with references, those at energies the references do not cover;
 * 2. ring-current (`control`) and dwell normalisation, when present;
 * 3. I0: automatic (bright-pixel histogram), a region, or a measured spectrum;
 * 4. `OD = −ln(I / I0)`; zero, negative and NaN counts become NaN (counted);
 * 5. alignment (FFT phase correlation, sub-pixel), cropped to the common area:
 *    the drift is measured on every stack, and with `align: 'auto'` the frames
 *    are aligned when it matters (align-step.ts);
 * 6. optional b × b binning;
 * 7. particle mask (Otsu or a mean-OD threshold);
 * 8. global energy shift of the references: estimated whenever references are
 *    given, applied with `energyShift: 'auto'` when trustworthy, or fixed;
 *    frames the shifted references no longer cover are left out
 *    (calibrate-step.ts);
 * 9. a warning when few energies are left.
 *
 * Steps 2–4 do nothing for a stack already in optical density.
 */
import type { PreparedStack } from '../model/prepared.js';
import { validateParams } from '../model/param-specs.js';
import type { DeepPartial } from '../model/params.js';
import type { ReferenceSet } from '../model/references.js';
import type { PreprocessParams, ProvenanceStep } from '../model/result.js';
import { stackShape, type Stack } from '../model/stack.js';
import type { RunWarning } from '../model/warnings.js';
import { alignmentStep } from './align-step.js';
import { binningStep } from './bin-step.js';
import { calibrationStep } from './calibrate-step.js';
import { fewEnergiesStep, framesStep } from './frames-step.js';
import { i0Step } from './i0-step.js';
import { maskStep } from './mask-step.js';
import { normaliseStep } from './normalise-step.js';
import { odStep } from './od-step.js';
import type { PrepareContext, PrepareState, PrepareStep } from './steps.js';

export { PreprocessError } from './errors.js';

/** The steps, in the order they run. */
export const PREPARE_STEPS: readonly PrepareStep[] = [
  framesStep,
  normaliseStep,
  i0Step,
  odStep,
  alignmentStep,
  binningStep,
  maskStep,
  calibrationStep,
  fewEnergiesStep
];

export function prepareStack(
  stack: Stack,
  userParams: DeepPartial<PreprocessParams> = {},
  references?: ReferenceSet,
  options: {
    /**
     * The optical density may be computed in `stack.data` itself (which then
     * no longer holds the counts): for a caller whose stack is a private copy
     * it will not use again — the worker's clone of the page's stack, the
     * CLI's freshly read file. Saves one cube of memory; its ring current
     * (`control`) is dropped once applied, another.
     */
    inPlace?: boolean;
  } = {}
): PreparedStack {
  const [ne0, ny, nx] = stackShape(stack);
  const context: PrepareContext = {
    input: stack,
    file: stack.source.file,
    params: validateParams({ preprocess: userParams }).preprocess,
    references,
    isOd: stack.metadata.quantity === 'optical density',
    inPlace: options.inPlace === true
  };
  let state: PrepareState = {
    frames: stack,
    keep: Array.from({ length: ne0 }, (_, e) => e),
    data: stack.data,
    ny,
    nx,
    y: stack.y,
    x: stack.x,
    i0: new Float64Array(ne0).fill(Number.NaN),
    dx: new Float64Array(ne0),
    dy: new Float64Array(ne0),
    crop: { y0: 0, y1: ny, x0: 0, x1: nx },
    binning: 1,
    mask: null,
    energyShiftEv: 0
  };
  const provenance: ProvenanceStep[] = [];
  const warnings: RunWarning[] = [];
  for (const step of PREPARE_STEPS) {
    const out = step.run(state, context);
    state = out.state;
    provenance.push(...out.provenance);
    warnings.push(...out.warnings);
  }

  const { frames, keep } = state;
  return {
    stack: {
      ...frames,
      data: state.data,
      y: state.y,
      x: state.x,
      control: undefined,
      metadata: { ...frames.metadata, quantity: 'optical density' }
    },
    mask: state.mask ?? new Uint8Array(state.ny * state.nx),
    i0: state.i0,
    shifts: { dx: state.dx, dy: state.dy },
    energyShiftEv: state.energyShiftEv,
    provenance,
    warnings,
    droppedFrames: Array.from({ length: ne0 }, (_, e) => e).filter(e => !keep.includes(e)),
    crop: state.crop,
    binning: state.binning
  };
}
