/**
 * The energy-calibration step of pre-processing. Whenever references are
 * given, the global shift of their energies that best fits the particle is
 * estimated (`estimateEnergyShift`). With `energyShift: 'auto'` it is applied
 * when `calibrationVerdict` trusts it, and left out with a warning otherwise;
 * a fixed shift is used as given, with a warning when the data clearly prefer
 * another. The estimate and the decision are recorded.
 */
import type { ReferenceSet } from '../model/references.js';
import type { PreprocessParams, ProvenanceStep } from '../model/result.js';
import { describeShift, type RunWarning } from '../model/warnings.js';
import { leaveOutUncovered } from './coverage.js';
import {
  DEFAULT_CALIBRATION_CRITERIA,
  calibrationVerdict,
  estimateEnergyShift,
  type EnergyShiftResult
} from './energy-shift.js';
import { outcome, type PrepareStep } from './steps.js';

export interface CalibrateStepResult {
  shiftEv: number;
  provenance?: ProvenanceStep;
  warnings: RunWarning[];
}

/** A shift this much larger than the one set by hand, with a clear gain, is worth a warning. */
const DISAGREE_EV = 0.1;
/** An applied shift this large is reported as a warning, not a note. */
const LARGE_SHIFT_EV = 0.75;

/**
 * The calibration step of the list (prepare.ts): the shift decided, and the
 * frames the shifted references no longer cover left out of the analysis.
 */
export const calibrationStep: PrepareStep = {
  name: 'energy calibration of the references',
  run(state, { params, references, file }) {
    const mask = state.mask;
    if (!mask) {
      throw new Error(`${file}: the energy calibration needs the particle mask first`);
    }
    const c = calibrateStep(
      state.data,
      state.frames.energies,
      mask,
      state.nx,
      references,
      params,
      file
    );
    const calibrated = { ...state, energyShiftEv: c.shiftEv };
    const provenance = c.provenance ? [c.provenance] : [];
    if (!references || c.shiftEv === (params.energyShift === 'auto' ? 0 : params.energyShift)) {
      return outcome(calibrated, provenance, c.warnings);
    }
    const covered = leaveOutUncovered(calibrated, references, c.shiftEv, file);
    return outcome(
      covered.state,
      [...provenance, ...covered.provenance],
      [...c.warnings, ...covered.warnings]
    );
  }
};

export function calibrateStep(
  od: Float32Array,
  energies: Float64Array,
  mask: Uint8Array,
  width: number,
  references: ReferenceSet | undefined,
  params: PreprocessParams,
  file: string
): CalibrateStepResult {
  const fixed = params.energyShift === 'auto' ? undefined : params.energyShift;
  const empty = !mask.some(v => v === 1);
  if (!references || energies.length < 3 || empty) {
    const shiftEv = fixed ?? 0;
    const reason = !references
      ? 'no references given'
      : empty
        ? 'no particle pixel'
        : 'fewer than 3 energies';
    return {
      shiftEv,
      warnings: [],
      ...(fixed === undefined
        ? {
            provenance: {
              step: 'energy shift',
              details: { mode: 'auto', applied: false, reason, shiftEv }
            }
          }
        : fixed !== 0
          ? { provenance: { step: 'energy shift', details: { mode: 'fixed', shiftEv } } }
          : {})
    };
  }
  const search = searchFrames(energies, references, params.energyRangeEv, params.energyStepEv);
  if (!search) {
    const reason = 'the references end where the stack does: no room to shift them';
    return {
      shiftEv: fixed ?? 0,
      warnings: [],
      provenance: {
        step: 'energy shift',
        details:
          fixed === undefined
            ? { mode: 'auto', applied: false, reason, shiftEv: 0 }
            : { mode: 'fixed', shiftEv: fixed, reason }
      }
    };
  }
  const est = estimateEnergyShift(
    od,
    energies,
    mask,
    references,
    { rangeEv: search.rangeEv, stepEv: params.energyStepEv, width, frames: search.frames },
    file
  );
  const verdict = calibrationVerdict(est);
  const estimate = {
    estimatedShiftEv: est.shiftEv,
    meanCorrelation: round(est.meanCorrelation, 4),
    meanCorrelationUnshifted: round(est.meanCorrelationAtZero, 4),
    gain: round(est.gain, 4),
    gainStdError: round(est.gainStdError, 3),
    atEdge: est.atEdge,
    searchedEv: est.rangeEv,
    stepEv: est.stepEv,
    sectorShiftsEv: est.sectorShiftsEv.map(v => round(v, 3)),
    sectorSpreadEv: round(est.sectorSpreadEv, 3),
    rivalShiftEv: verdict.rival ? round(verdict.rival.shiftEv, 3) : null,
    rivalMeanCorrelation: verdict.rival ? round(verdict.rival.meanCorrelation, 4) : null,
    pixels: est.pixels,
    energiesUsed: search.frames.length,
    criteria: JSON.stringify(DEFAULT_CALIBRATION_CRITERIA)
  };
  if (fixed !== undefined) {
    const warnings: RunWarning[] =
      verdict.apply && Math.abs(est.shiftEv - fixed) >= DISAGREE_EV
        ? [
            {
              code: 'energy-shift-declined',
              level: 'warning',
              message: `references would fit best ${describeShift(est.shiftEv)} (mean correlation ${est.meanCorrelation.toFixed(3)}), the shift set is ${fixed.toFixed(2)} eV`
            }
          ]
        : [];
    return {
      shiftEv: fixed,
      warnings,
      provenance: { step: 'energy shift', details: { mode: 'fixed', shiftEv: fixed, ...estimate } }
    };
  }
  const shiftEv = verdict.apply ? est.shiftEv : 0;
  return {
    shiftEv,
    warnings: calibrationWarnings(est, verdict),
    provenance: {
      step: 'energy shift',
      details: {
        mode: 'auto',
        applied: verdict.apply,
        decision: verdict.reason,
        shiftEv,
        ...estimate
      }
    }
  };
}

/**
 * The frames the search scores every shift on: those the references cover
 * across ±range, so that no shift is judged on fewer energies than another.
 * When the references end close to the stack's own ends (measured over the
 * same range), the range shrinks until at least 60 % of the frames (and 3)
 * stay; `undefined` when not even one step is left.
 */
export function searchFrames(
  energies: ArrayLike<number>,
  references: ReferenceSet,
  rangeEv: number,
  stepEv: number
): { frames: number[]; rangeEv: number } | undefined {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (const r of references.spectra) {
    lo = Math.max(lo, r.energies[0]);
    hi = Math.min(hi, r.energies[r.energies.length - 1]);
  }
  const margin = Array.from(energies, e => Math.min(e - lo, hi - e));
  const need = Math.max(3, Math.ceil(0.6 * margin.length));
  const sorted = margin.slice().sort((a, b) => b - a);
  if (sorted.length < need) {
    return undefined;
  }
  const range = Math.min(rangeEv, sorted[need - 1]);
  if (!(range >= stepEv)) {
    return undefined;
  }
  const frames = margin.map((m, e) => (m >= range - 1e-9 ? e : -1)).filter(e => e >= 0);
  return { frames, rangeEv: Number(range.toFixed(6)) };
}

function calibrationWarnings(
  est: EnergyShiftResult,
  verdict: ReturnType<typeof calibrationVerdict>
): RunWarning[] {
  const fit = `mean correlation ${est.meanCorrelationAtZero.toFixed(3)} → ${est.meanCorrelation.toFixed(3)}`;
  const best = `references fit best ${describeShift(est.shiftEv)}`;
  switch (verdict.reason) {
    case 'applied': {
      const rival = verdict.rival;
      if (rival) {
        return [
          {
            code: 'energy-shift-applied',
            level: 'warning',
            message: `${best}: applied (${fit}); ${describeShift(rival.shiftEv)} fits almost as well (${rival.meanCorrelation.toFixed(3)}): at these energies a shift resembles a change of phase, check the calibration`
          }
        ];
      }
      // calibrations off by more than this are rare: worth a look even when the fit is clear
      const large = Math.abs(est.shiftEv) >= LARGE_SHIFT_EV;
      return [
        {
          code: 'energy-shift-applied',
          level: large ? 'warning' : 'info',
          message: `${best}: applied (${fit})${large ? '; a large shift: check the calibration' : ''}`
        }
      ];
    }
    case 'no gain':
      // a shift that gains nothing is no calibration; worth a word only when it is large
      return Math.abs(est.shiftEv) >= 0.1
        ? [
            {
              code: 'energy-shift-declined',
              level: 'warning',
              message: `references fit ${describeShift(est.shiftEv)} as well as unshifted (${fit}): a shift cannot be told from a change of phase at these energies; not applied`
            }
          ]
        : [];
    case 'at edge':
      return [
        {
          code: 'energy-shift-declined',
          level: 'warning',
          message: `${best}, at the edge of the range searched (${est.rangeEv[0]}…${est.rangeEv[1]} eV): not applied; the references may not describe this sample`
        }
      ];
    case 'unstable': {
      const finite = est.sectorShiftsEv.filter(Number.isFinite);
      return [
        {
          code: 'energy-shift-declined',
          level: 'warning',
          message: `${best} (${fit}), but the quarters of the particle disagree (${Math.min(...finite).toFixed(2)}…${Math.max(...finite).toFixed(2)} eV): not applied; set the energy shift if it is known`
        }
      ];
    }
  }
}

function round(v: number, digits: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
