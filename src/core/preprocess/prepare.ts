/**
 * From raw counts to an optical-density stack ready for analysis, each step
 * recorded in the provenance (so it is visible, and undone by running again
 * with other parameters; the input stack is never modified):
 *
 * 1. frames with no data (all NaN, all zero, > 1 % NaN) are dropped;
 * 2. ring-current (`control`) and dwell normalisation, when present;
 * 3. I0: automatic (bright-pixel histogram), a region, or a measured spectrum;
 * 4. `OD = −ln(I / I0)`; zero, negative and NaN counts become NaN (counted);
 * 5. alignment (FFT phase correlation, sub-pixel), cropped to the common area:
 *    the drift is measured on every stack, and with `align: 'auto'` the frames
 *    are aligned when it matters (align-step.ts);
 * 6. optional b × b binning;
 * 7. particle mask (Otsu or a mean-OD threshold);
 * 8. global energy shift of the references: estimated whenever references are
 *    given, applied with `energyShift: 'auto'` when trustworthy, or fixed
 *    (calibrate-step.ts).
 *
 * With references, frames at energies the references do not cover are left
 * out (with a warning) before step 2.
 */
import type { PreparedStack } from '../model/prepared.js';
import { validateParams } from '../model/param-specs.js';
import type { DeepPartial } from '../model/params.js';
import { ReferenceSetError, type ReferenceSet } from '../model/references.js';
import type { PreprocessParams, ProvenanceStep } from '../model/result.js';
import { stackShape, type Stack } from '../model/stack.js';
import { WARNING_LIMITS, type RunWarning } from '../model/warnings.js';
import { alignStep } from './align-step.js';
import { binCube } from './bin.js';
import { calibrateStep } from './calibrate-step.js';
import { PreprocessError } from './errors.js';
import { checkFrames, selectFrames } from './frames.js';
import { autoI0, roiI0, spectrumI0, type I0Result } from './i0.js';
import { particleMask } from './mask.js';
import { normaliseDwell, normaliseRingCurrent } from './normalise.js';

export { PreprocessError } from './errors.js';

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
  const file = stack.source.file;
  const [ne0, ny, nx] = stackShape(stack);
  const npx = ny * nx;
  const provenance: ProvenanceStep[] = [];
  const warnings: RunWarning[] = [];
  const params = validateParams({ preprocess: userParams }).preprocess;
  const isOd = stack.metadata.quantity === 'optical density';
  provenance.push({
    step: 'input',
    details: {
      file,
      quantity: isOd ? 'optical density' : 'counts',
      shape: [ne0, ny, nx],
      scanKind: stack.metadata.scanKind ?? 'image stack'
    }
  });

  // 1. frames with no data
  const frames = checkFrames(stack.data, ne0, npx, !isOd);
  const at = (list: number[]): number[] => list.map(e => stack.energies[e]);
  if (frames.keep.length === 0) {
    throw new PreprocessError(
      file,
      `no usable frame: ${frames.nan.length} all NaN, ${frames.zero.length} all zero, ${frames.incomplete.length} more than 1 % NaN`
    );
  }
  const dropped = [...frames.nan, ...frames.zero, ...frames.incomplete].sort((a, b) => a - b);
  if (dropped.length > 0) {
    provenance.push({
      step: 'drop frames',
      details: {
        allNanEv: at(frames.nan),
        allZeroEv: at(frames.zero),
        incompleteEv: at(frames.incomplete),
        kept: frames.keep.length
      }
    });
    warnings.push({
      code: 'dropped-frames',
      level: 'warning',
      message: `${dropped.length} frame(s) without usable data left out: ${at(dropped).join(', ')} eV`
    });
  }
  // frames the references do not cover
  let keep = frames.keep;
  if (references) {
    const fixedShift = params.energyShift === 'auto' ? 0 : params.energyShift;
    const [lo, hi] = referenceRange(references, fixedShift);
    const outside = keep.filter(
      e => !(stack.energies[e] >= lo - 1e-9 && stack.energies[e] <= hi + 1e-9)
    );
    if (outside.length > 0) {
      keep = keep.filter(e => !outside.includes(e));
      if (keep.length < 3) {
        throw new ReferenceSetError(
          `${references.source}: the references cover ${fmtEv(lo)}–${fmtEv(hi)} eV, where ${keep.length} of the ${ne0} energies of ${file} lie (${rangeText(at(frames.keep))} eV); a correlation needs at least 3`
        );
      }
      const ev = at(outside);
      provenance.push({
        step: 'coverage',
        details: {
          referencesEv: [Number(fmtEv(lo)), Number(fmtEv(hi))],
          leftOutEv: ev,
          kept: keep.length
        }
      });
      warnings.push({
        code: 'coverage',
        level: 'warning',
        message: `references do not cover ${rangeText(ev)} eV: ${outside.length} frame(s) left out`
      });
    }
  }
  const s = selectFrames(stack, keep);
  const ne = s.energies.length;
  const work = s.data === stack.data && !options.inPlace ? new Float32Array(stack.data) : s.data;

  let i0: Float64Array = new Float64Array(ne).fill(Number.NaN);
  let spare: ArrayBuffer | undefined;
  if (!isOd) {
    // 2. ring current and dwell
    let ringCurrentMa: number | undefined;
    if (params.ringCurrent && s.control) {
      const r = normaliseRingCurrent(work, s.control);
      ringCurrentMa = r.meanCurrent;
      if (options.inPlace) {
        // consumed: the ring current has been applied, its cube is not needed again
        // (its memory becomes the alignment's work space instead of waiting for the GC)
        spare = s.control.byteOffset === 0 ? (s.control.buffer as ArrayBuffer) : undefined;
        stack.control = undefined;
        s.control = undefined;
      }
      provenance.push({
        step: 'ring current',
        details: {
          applied: true,
          meanCurrent: round(r.meanCurrent),
          pixelsWithoutCurrent: r.skipped
        }
      });
    } else {
      provenance.push({
        step: 'ring current',
        details: {
          applied: false,
          reason: params.ringCurrent ? 'the file has no ring current (control)' : 'turned off'
        }
      });
    }
    let dwellMs: number | undefined;
    const dwell = s.metadata.dwellMs;
    if (dwell && dwell.length === ne) {
      const d = params.dwell === false ? undefined : normaliseDwell(work, dwell, npx);
      dwellMs = d?.referenceMs ?? dwell[0];
      if (d) {
        provenance.push({
          step: 'dwell',
          details: { applied: true, referenceMs: round(d.referenceMs) }
        });
      }
    }

    // 3. I0
    let r: I0Result;
    if (params.i0.mode === 'auto') {
      r = autoI0(work, ne, npx, file);
    } else if (params.i0.mode === 'roi') {
      r = roiI0(work, ne, ny, nx, params.i0, file);
    } else {
      r = spectrumI0(params.i0, s.energies, { dwellMs, ringCurrentMa }, file);
    }
    for (let e = 0; e < ne; e++) {
      if (!(r.values[e] > 0) || !Number.isFinite(r.values[e])) {
        throw new PreprocessError(
          file,
          `I0 at ${s.energies[e]} eV is ${r.values[e]}: no incident intensity to divide by (all-zero or NaN background?)`
        );
      }
    }
    i0 = r.values;
    provenance.push({ step: 'I0', details: { ...r.details, i0: Array.from(i0, v => round(v)) } });

    // 4. optical density
    let nonPositive = 0;
    let nonFinite = 0;
    for (let e = 0; e < ne; e++) {
      const inv = 1 / i0[e];
      for (let p = e * npx; p < (e + 1) * npx; p++) {
        const c = work[p];
        if (!Number.isFinite(c)) {
          work[p] = Number.NaN;
          nonFinite++;
        } else if (c <= 0) {
          work[p] = Number.NaN;
          nonPositive++;
        } else {
          work[p] = -Math.log(c * inv);
        }
      }
    }
    provenance.push({
      step: 'optical density',
      details: {
        formula: '-ln(I/I0)',
        zeroOrNegativeCounts: nonPositive,
        nanCounts: nonFinite,
        note: 'zero, negative and NaN counts give NaN (those pixels leave the mask)'
      }
    });
  }

  // 5. alignment
  const aligned = alignStep(work, s.energies, ny, nx, params, file, spare);
  provenance.push(aligned.provenance);
  warnings.push(...aligned.warnings);
  let data: Float32Array = aligned.data;
  const crop = aligned.crop;
  let h = crop.y1 - crop.y0;
  let w = crop.x1 - crop.x0;
  let y: Float64Array = s.y.slice(crop.y0, crop.y1);
  let x: Float64Array = s.x.slice(crop.x0, crop.x1);
  const { dx, dy } = aligned;

  // 6. binning
  const b = params.binning;
  if (b > 1) {
    if (Math.floor(h / b) < 1 || Math.floor(w / b) < 1) {
      throw new PreprocessError(file, `binning ${b} × ${b} leaves no pixel of a ${h} × ${w} image`);
    }
    const binned = binCube(data, ne, h, w, y, x, b);
    provenance.push({
      step: 'binning',
      details: { factor: b, from: [h, w], to: [binned.ny, binned.nx] }
    });
    data = binned.data;
    h = binned.ny;
    w = binned.nx;
    y = binned.y;
    x = binned.x;
  }

  // 7. particle mask
  const mask = particleMask(data, ne, h * w, params.mask);
  provenance.push({
    step: 'particle mask',
    details: {
      mode: params.mask.mode,
      meanOdThreshold: round(mask.threshold),
      pixels: mask.count,
      pixelsWithNan: mask.incomplete
    }
  });

  // 8. energy shift of the references
  const calibration = calibrateStep(data, s.energies, mask.mask, w, references, params, file);
  if (calibration.provenance) {
    provenance.push(calibration.provenance);
  }
  warnings.push(...calibration.warnings);
  const energyShiftEv = calibration.shiftEv;
  // frames the shifted references no longer cover leave the analysis
  let final = { stack: s, data, i0, dx, dy, keep };
  if (references && energyShiftEv !== (params.energyShift === 'auto' ? 0 : params.energyShift)) {
    final = leaveOutUncovered(final, references, energyShiftEv, h * w, provenance, warnings, file);
  }
  const ef = final.stack.energies;
  if (ef.length < WARNING_LIMITS.fewEnergies) {
    warnings.push({
      code: 'few-energies',
      level: 'warning',
      message: `${ef.length} energies: correlations from so few points separate only phases that differ strongly there (stxm-phasemap plan suggests energies)`
    });
  }

  return {
    stack: {
      ...final.stack,
      data: final.data,
      y,
      x,
      control: undefined,
      metadata: { ...final.stack.metadata, quantity: 'optical density' }
    },
    mask: mask.mask,
    i0: final.i0,
    shifts: { dx: final.dx, dy: final.dy },
    energyShiftEv,
    provenance,
    warnings,
    droppedFrames: Array.from({ length: ne0 }, (_, e) => e).filter(e => !final.keep.includes(e)),
    crop,
    binning: b
  };
}

interface Frames {
  stack: Stack;
  data: Float32Array;
  i0: Float64Array;
  dx: Float64Array;
  dy: Float64Array;
  /** Input frame index of each frame. */
  keep: number[];
}

/** The frames the references cover once shifted by `shiftEv`; the others left out, with a warning. */
function leaveOutUncovered(
  f: Frames,
  references: ReferenceSet,
  shiftEv: number,
  npx: number,
  provenance: ProvenanceStep[],
  warnings: RunWarning[],
  file: string
): Frames {
  const [lo, hi] = referenceRange(references, shiftEv);
  const e = f.stack.energies;
  const inside = Array.from(e, (_, i) => i).filter(i => e[i] >= lo - 1e-9 && e[i] <= hi + 1e-9);
  if (inside.length === e.length) {
    return f;
  }
  const out = Array.from(e, (_, i) => i).filter(i => !inside.includes(i));
  if (inside.length < 3) {
    throw new ReferenceSetError(
      `${references.source}: shifted by ${shiftEv} eV the references cover ${fmtEv(lo)}–${fmtEv(hi)} eV, where only ${inside.length} energies of ${file} lie; a correlation needs at least 3`
    );
  }
  const data = new Float32Array(inside.length * npx);
  inside.forEach((i, k) => data.set(f.data.subarray(i * npx, (i + 1) * npx), k * npx));
  const ev = out.map(i => e[i]);
  provenance.push({
    step: 'coverage',
    details: {
      referencesEv: [Number(fmtEv(lo)), Number(fmtEv(hi))],
      shiftEv,
      leftOutEv: ev,
      kept: inside.length
    }
  });
  // a consequence of the calibration applied (said just before), not a doubt about the map
  warnings.push({
    code: 'coverage',
    level: 'info',
    message: `the shifted references do not cover ${rangeText(ev)} eV: ${out.length} frame(s) left out`
  });
  const dwell = f.stack.metadata.dwellMs;
  return {
    stack: {
      ...f.stack,
      data,
      energies: Float64Array.from(inside, i => e[i]),
      metadata: {
        ...f.stack.metadata,
        dwellMs: dwell && dwell.length === e.length ? inside.map(i => dwell[i]) : dwell
      }
    },
    data,
    i0: Float64Array.from(inside, i => f.i0[i]),
    dx: Float64Array.from(inside, i => f.dx[i]),
    dy: Float64Array.from(inside, i => f.dy[i]),
    keep: inside.map(i => f.keep[i])
  };
}

/** The energies every reference covers, after adding `shiftEv`. */
function referenceRange(references: ReferenceSet, shiftEv: number): [number, number] {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (const r of references.spectra) {
    if (r.energies.length > 0) {
      lo = Math.max(lo, r.energies[0] + shiftEv);
      hi = Math.min(hi, r.energies[r.energies.length - 1] + shiftEv);
    }
  }
  return [lo, hi];
}

/** "540–545" for a list of energies, or the single energy. */
function rangeText(ev: number[]): string {
  const lo = Math.min(...ev);
  const hi = Math.max(...ev);
  return lo === hi ? fmtEv(lo) : `${fmtEv(lo)}–${fmtEv(hi)}`;
}

function fmtEv(v: number): string {
  return String(Number(v.toFixed(2)));
}

function round(v: number, digits = 6): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
