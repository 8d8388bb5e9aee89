import { describe, expect, it, vi } from 'vitest';

import { simulateSample } from '../../simulate/sample.js';
import { runPipeline } from '../pipeline.js';
import { useBackend } from './backend.js';

// as where WebAssembly SIMD is missing (this file runs in a process of its own)
vi.mock('./gmvae-wasm.js', () => ({
  gmvaeKernelUnavailable: () => 'WebAssembly SIMD is not supported'
}));

describe('training backend without the wasm SIMD kernel', () => {
  it('falls back to tfjs wasm, with a note', async () => {
    expect(await useBackend('kernel')).toEqual({
      backend: 'wasm',
      note: 'GMVAE training kernel unavailable (WebAssembly SIMD is not supported): used tfjs wasm'
    });
    // an explicit tfjs choice needs no note
    expect(await useBackend('wasm')).toEqual({ backend: 'wasm', note: null });
  });

  it('the pipeline records the fallback in its training summary', async () => {
    const { stack, references } = simulateSample({ morphology: 'grains', ny: 24, nx: 24, seed: 4 });
    const result = await runPipeline(stack, references, { method: 'gmvae', gmvae: { epochs: 2 } });
    expect(result.params.gmvae.backend).toBe('kernel');
    expect(result.training!.backend).toBe('wasm');
    expect(result.training!.backendNote).toMatch(/kernel unavailable .*used tfjs wasm/);
    expect(result.versions['tfjs-backend']).toBe('wasm');
  });
});
