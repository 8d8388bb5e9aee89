import { describe, expect, it } from 'vitest';

import { configureWasm, isWasmConfigured, useBackend } from './backend.js';

describe('tfjs backend', () => {
  it('falls back to cpu, with a note, when the wasm binaries cannot be loaded', async () => {
    // this test file runs in a process of its own: the bad path stays here
    configureWasm('/nonexistent/tfjs-wasm/');
    expect(isWasmConfigured()).toBe(true);
    const chosen = await useBackend('wasm');
    expect(chosen.backend).toBe('cpu');
    expect(chosen.note).toMatch(/wasm backend unavailable/);
    // and asking for cpu gives cpu without a note
    expect(await useBackend('cpu')).toEqual({ backend: 'cpu', note: null });
  });
});
