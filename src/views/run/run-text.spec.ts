import { describe, expect, it } from 'vitest';

import type { PhaseMapResult } from '../../core/model/result.js';
import { progressStatus, resultSummary, runStatus } from './run-text.js';

const result = {
  phaseNames: ['Na3', 'Na1'],
  fractions: Float64Array.from([0.25, 0.75]),
  counts: { particle: 400 }
} as unknown as PhaseMapResult;

describe('the run bar’s text', () => {
  const base = { runError: null, hasStack: true, hasReferences: true, shown: null };

  it('says what to do next, and how a run went', () => {
    expect(runStatus({ ...base, runState: 'idle', hasStack: false }).text).toBe('');
    expect(runStatus({ ...base, runState: 'idle', hasReferences: false }).text).toBe(
      'Load reference spectra (References tab), then Run.'
    );
    expect(runStatus({ ...base, runState: 'idle' }).text).toBe('Ready to run.');
    expect(runStatus({ ...base, runState: 'running' }).text).toBe('Running in a Web Worker…');
    expect(runStatus({ ...base, runState: 'done', shown: result }).text).toBe(
      'Done. 400 particle pixels: Na3 25 %, Na1 75 %'
    );
    expect(runStatus({ ...base, runState: 'cancelled', shown: result }).text).toBe(
      'Cancelled; the previous result is kept.'
    );
    expect(
      runStatus({ ...base, runState: 'failed', runError: 'a.h5: no particle pixel', shown: result })
    ).toEqual({
      text: 'Run failed: a.h5: no particle pixel — the previous result is kept.',
      error: true
    });
  });

  it('summarises a result and follows the progress', () => {
    expect(resultSummary(result)).toBe('400 particle pixels: Na3 25 %, Na1 75 %');
    expect(progressStatus({ stage: 'train', fraction: 0.5, epoch: 3, loss: 1.25 })).toBe(
      'Training: epoch 3, loss 1.25'
    );
    expect(progressStatus({ stage: 'pcc', fraction: 0, message: 'Correlating' })).toBe(
      'Correlating'
    );
    expect(progressStatus({ stage: 'pcc', fraction: 1 })).toBeNull();
  });
});
