/**
 * What the automatic pre-processing decided, in one line each, from the
 * provenance a prepared stack (or a result) records: the measured drift and
 * whether the frames were aligned; the estimated energy shift of the
 * references and whether it was applied. Pure: the pre-processing tab shows
 * these lines.
 */
import type { ProvenanceStep } from '../../core/model/result.js';

export interface Decision {
  key: 'alignment' | 'calibration';
  /** "Alignment (automatic)", "Energy calibration (fixed)" … */
  title: string;
  /** The numbers and the decision. */
  text: string;
  /** Whether the step changed the data (frames moved, references shifted); null = not decided. */
  applied: boolean | null;
}

type Details = ProvenanceStep['details'];

const num = (d: Details, key: string): number | null => {
  const v = d[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** "+0.30 eV", "−0.27 eV". */
export function signedEv(v: number): string {
  return `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(2)} eV`;
}

const px = (v: number): string => `${Number(v.toPrecision(2))} px`;

const MODE_LABEL: Record<string, string> = {
  auto: 'automatic',
  true: 'on',
  false: 'off',
  fixed: 'fixed'
};

export function alignmentDecision(steps: readonly ProvenanceStep[]): Decision | null {
  const step = steps.find(s => s.step === 'alignment');
  if (!step) {
    return null;
  }
  const d = step.details;
  const mode = MODE_LABEL[String(d.mode)] ?? String(d.mode);
  const title = `Alignment (${mode})`;
  const drift = num(d, 'measuredDriftPx');
  const min = num(d, 'minDriftPx');
  if (d.applied === true) {
    const crop = d.crop;
    const cropText =
      Array.isArray(crop) && crop.length === 4
        ? `, cropped to rows ${crop[0]}–${crop[1]}, columns ${crop[2]}–${crop[3]}`
        : '';
    const ref = num(d, 'referenceFrameEv');
    const driftText =
      drift !== null
        ? `measured drift ${px(drift)}${d.mode === 'auto' && min !== null ? ` (aligns from ${px(min)})` : ''}`
        : 'frames registered';
    return {
      key: 'alignment',
      title,
      text: `${driftText}: frames aligned${ref !== null ? ` to the ${ref} eV frame` : ''}${cropText}`,
      applied: true
    };
  }
  const reason = typeof d.reason === 'string' ? d.reason : 'not aligned';
  return {
    key: 'alignment',
    title,
    text:
      drift !== null
        ? `measured drift ${px(drift)}: frames not aligned (${reason})`
        : `frames not aligned (${reason})`,
    applied: false
  };
}

export function calibrationDecision(steps: readonly ProvenanceStep[]): Decision {
  const step = steps.find(s => s.step === 'energy shift');
  if (!step) {
    return {
      key: 'calibration',
      title: 'Energy calibration (off)',
      text: 'the references’ energies are used as they are',
      applied: false
    };
  }
  const d = step.details;
  const est = num(d, 'estimatedShiftEv');
  const shift = num(d, 'shiftEv') ?? 0;
  const before = num(d, 'meanCorrelationUnshifted');
  const after = num(d, 'meanCorrelation');
  const fit =
    before !== null && after !== null
      ? ` (mean correlation ${before.toFixed(3)} → ${after.toFixed(3)})`
      : '';
  if (d.mode === 'fixed') {
    return {
      key: 'calibration',
      title: 'Energy calibration (fixed)',
      text:
        `references shifted by ${signedEv(shift)}` +
        (est !== null ? `; the data fit best at ${signedEv(est)}${fit}` : ''),
      applied: shift !== 0
    };
  }
  const title = 'Energy calibration (automatic)';
  if (est === null) {
    const reason = typeof d.reason === 'string' ? d.reason : 'not estimated';
    return { key: 'calibration', title, text: `not estimated: ${reason}`, applied: null };
  }
  const decision = typeof d.decision === 'string' ? d.decision : '';
  return {
    key: 'calibration',
    title,
    text:
      `estimated shift of the references ${signedEv(est)}${fit}: ` +
      (d.applied === true ? 'applied' : `not applied${decision ? ` (${decision})` : ''}`),
    applied: d.applied === true
  };
}

/** The decisions of a pre-processing, in the order they were taken. */
export function preprocessDecisions(steps: readonly ProvenanceStep[]): Decision[] {
  const align = alignmentDecision(steps);
  return [...(align ? [align] : []), calibrationDecision(steps)];
}
