/**
 * A τ move in two steps (core/analysis/threshold.ts), as the model keeps it:
 * the preview is shown at once, its complete result (confidence and flags)
 * is finished when the slider settles — or earlier, silently, when someone
 * reads the model's `result`; `settle` then still owes the announcement.
 */
import { thresholdInSteps, type ThresholdSteps } from '../core/analysis/threshold.js';
import type { PhaseMapResult } from '../core/model/result.js';

export class ThresholdMove {
  /** Forget a pending second step (τ was set in one step). */
  drop(): void {
    this._steps = null;
  }

  /** The first step of moving `result` to `threshold`; the second waits for `finish`/`settle`. */
  preview(result: PhaseMapResult, threshold: number): PhaseMapResult {
    const steps = thresholdInSteps(result, threshold);
    this._steps = steps.pending ? steps : null;
    return steps.preview;
  }

  /**
   * Finish a pending second step: the complete result replaces the preview
   * (through `replace`) when the preview is still the one shown. True when a
   * step was pending.
   */
  finish(shown: PhaseMapResult | null, replace: (result: PhaseMapResult) => void): boolean {
    const steps = this._steps;
    if (!steps) {
      return false;
    }
    this._steps = null;
    if (shown === steps.preview) {
      replace(steps.finish());
      this._unannounced = true;
    }
    return true;
  }

  /** The second step, to be announced: true when there was a step to finish or to announce. */
  settle(shown: PhaseMapResult | null, replace: (result: PhaseMapResult) => void): boolean {
    const finished = this.finish(shown, replace);
    if (finished || this._unannounced) {
      this._unannounced = false;
      return true;
    }
    return false;
  }

  private _steps: ThresholdSteps | null = null;
  private _unannounced = false;
}
