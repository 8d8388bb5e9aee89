/** What the run bar says about the run, as pure functions (tested in Node, run-text.spec.ts). */
import type { PhaseMapResult, ProgressEvent } from '../../core/model/result.js';
import type { RunState } from '../../lab/model-types.js';
import { fmt } from '../shared/dom.js';

/** The run's status line, and whether it is an error. */
export function runStatus(o: {
  runState: RunState;
  runError: string | null;
  hasStack: boolean;
  hasReferences: boolean;
  shown: PhaseMapResult | null;
}): { text: string; error: boolean } {
  switch (o.runState) {
    case 'idle':
      return {
        text: !o.hasStack
          ? ''
          : !o.hasReferences
            ? 'Load reference spectra (References tab), then Run.'
            : 'Ready to run.',
        error: false
      };
    case 'running':
      return { text: 'Running in a Web Worker…', error: false };
    case 'done':
      return { text: o.shown ? `Done. ${resultSummary(o.shown)}` : 'Done.', error: false };
    case 'cancelled':
      return {
        text: o.shown ? 'Cancelled; the previous result is kept.' : 'Cancelled.',
        error: false
      };
    case 'failed':
      return {
        text: `Run failed: ${o.runError ?? 'unknown error'}${o.shown ? ' — the previous result is kept.' : ''}`,
        error: true
      };
  }
}

/** "N particle pixels: Na3 40 %, Na1 60 %". */
export function resultSummary(r: PhaseMapResult): string {
  const f = r.phaseNames.map((n, i) => `${n} ${fmt(100 * r.fractions[i], 3)} %`).join(', ');
  return `${r.counts.particle} particle pixels: ${f}`;
}

/** The status line during a run, from a progress event (null: keep the line as it is). */
export function progressStatus(p: ProgressEvent): string | null {
  if (p.message) {
    return p.message;
  }
  if (p.epoch !== undefined) {
    return `Training: epoch ${p.epoch}, loss ${fmt(p.loss ?? Number.NaN)}`;
  }
  return null;
}
