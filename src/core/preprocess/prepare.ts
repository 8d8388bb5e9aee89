/**
 * From raw counts to an optical-density stack ready for analysis, each step
 * recorded in the provenance (so it is visible, and undone by running again
 * with other parameters; the input stack is never modified):
 *
 * 1. frames with no data (all NaN, all zero, > 1 % NaN) are dropped;
 * 2. ring-current (`control`) and dwell normalisation, when present;
 * 3. I0: automatic (bright-pixel histogram), a region, or a measured spectrum;
 * 4. `OD = −ln(I / I0)`; zero, negative and NaN counts become NaN (counted);
 * 5. alignment (FFT phase correlation, sub-pixel), cropped to the common area;
 * 6. optional b × b binning;
 * 7. particle mask (Otsu or a mean-OD threshold);
 * 8. global energy shift of the references: a parameter, or estimated.
 */
import type { PreparedStack } from '../model/prepared.js';
import type { ReferenceSet } from '../model/references.js';
import type { PreprocessParams, ProvenanceStep } from '../model/result.js';
import { DEFAULT_PREPROCESS } from '../model/result.js';
import { stackShape, type Stack } from '../model/stack.js';
import { alignFrames } from './align.js';
import { binCube } from './bin.js';
import { estimateEnergyShift } from './energy-shift.js';
import { PreprocessError } from './errors.js';
import { checkFrames, selectFrames } from './frames.js';
import { autoI0, roiI0, spectrumI0, type I0Result } from './i0.js';
import { particleMask } from './mask.js';
import { normaliseDwell, normaliseRingCurrent } from './normalise.js';

export { PreprocessError } from './errors.js';

export function prepareStack(
  stack: Stack,
  params: PreprocessParams = DEFAULT_PREPROCESS,
  references?: ReferenceSet,
  options: {
    /**
     * The optical density may be computed in `stack.data` itself (which then
     * no longer holds the counts): for a caller whose stack is a private copy
     * it will not use again — the worker's clone of the page's stack, the
     * CLI's freshly read file. Saves one cube of memory.
     */
    inPlace?: boolean;
  } = {}
): PreparedStack {
  const file = stack.source.file;
  const [ne0, ny, nx] = stackShape(stack);
  const npx = ny * nx;
  const provenance: ProvenanceStep[] = [];
  checkParams(params, file);
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
  }
  const s = selectFrames(stack, frames.keep);
  const ne = s.energies.length;
  const work = s.data === stack.data && !options.inPlace ? new Float32Array(stack.data) : s.data;

  let i0: Float64Array = new Float64Array(ne).fill(Number.NaN);
  if (!isOd) {
    // 2. ring current and dwell
    let ringCurrentMa: number | undefined;
    if (params.ringCurrent && s.control) {
      const r = normaliseRingCurrent(work, s.control);
      ringCurrentMa = r.meanCurrent;
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
  let data: Float32Array = work;
  let h = ny;
  let w = nx;
  let y: Float64Array = s.y;
  let x: Float64Array = s.x;
  let dx: Float64Array = new Float64Array(ne);
  let dy: Float64Array = new Float64Array(ne);
  let crop = { y0: 0, y1: ny, x0: 0, x1: nx };
  if (params.align && ne > 1) {
    const a = alignFrames(work, ne, ny, nx, params.alignment, file);
    data = a.data;
    crop = a.box;
    h = crop.y1 - crop.y0;
    w = crop.x1 - crop.x0;
    y = s.y.slice(crop.y0, crop.y1);
    x = s.x.slice(crop.x0, crop.x1);
    dx = a.dx;
    dy = a.dy;
    provenance.push({
      step: 'alignment',
      details: {
        method: 'FFT phase correlation, sub-pixel (upsampled DFT)',
        referenceFrameEv: s.energies[a.reference],
        interpolation: a.interpolation,
        upsample: a.upsample,
        maxShiftPx: a.maxShiftPx,
        dx: Array.from(dx, v => round(v, 4)),
        dy: Array.from(dy, v => round(v, 4)),
        peak: Array.from(a.peaks, v => round(v, 3)),
        crop: [crop.y0, crop.y1, crop.x0, crop.x1]
      }
    });
  } else if (params.align) {
    provenance.push({ step: 'alignment', details: { applied: false, reason: 'a single frame' } });
  }

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
  let energyShiftEv = params.energyShiftEv;
  if (params.autoEnergyShift) {
    if (!references) {
      throw new PreprocessError(file, 'automatic energy calibration needs the reference spectra');
    }
    const opts = typeof params.autoEnergyShift === 'object' ? params.autoEnergyShift : {};
    const est = estimateEnergyShift(data, s.energies, mask.mask, references, opts, file);
    energyShiftEv = est.shiftEv;
    provenance.push({
      step: 'energy shift',
      details: {
        source: 'estimated (max mean correlation over the particle)',
        shiftEv: est.shiftEv,
        meanCorrelation: round(est.meanCorrelation, 4),
        meanCorrelationUnshifted: round(est.meanCorrelationAtZero, 4),
        rangeEv: opts.rangeEv ?? 2,
        stepEv: opts.stepEv ?? 0.05,
        pixels: est.pixels
      }
    });
  } else if (energyShiftEv !== 0) {
    provenance.push({
      step: 'energy shift',
      details: { source: 'parameter', shiftEv: energyShiftEv }
    });
  }

  return {
    stack: {
      ...s,
      data,
      y,
      x,
      control: undefined,
      metadata: { ...s.metadata, quantity: 'optical density' }
    },
    mask: mask.mask,
    i0,
    shifts: { dx, dy },
    energyShiftEv,
    provenance,
    droppedFrames: dropped,
    crop,
    binning: b
  };
}

function checkParams(p: PreprocessParams, file: string): void {
  if (!Number.isInteger(p.binning) || p.binning < 1) {
    throw new PreprocessError(file, `binning must be a whole number ≥ 1, not ${p.binning}`);
  }
  if (!Number.isFinite(p.energyShiftEv)) {
    throw new PreprocessError(file, `energy shift must be a number of eV, not ${p.energyShiftEv}`);
  }
  if (p.mask.mode === 'threshold' && !Number.isFinite(p.mask.od)) {
    throw new PreprocessError(file, `mask threshold must be a number, not ${p.mask.od}`);
  }
}

function round(v: number, digits = 6): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
