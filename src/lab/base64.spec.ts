import { describe, expect, it } from 'vitest';

import { bytesToBase64 } from './base64.js';

describe('bytesToBase64', () => {
  it('matches Node for every tail length and random bytes', () => {
    for (let n = 0; n < 10; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) % 256);
      expect(bytesToBase64(b)).toBe(Buffer.from(b).toString('base64'));
    }
    const big = Uint8Array.from({ length: 1_000_003 }, (_, i) => (i * 2654435761) >>> 24);
    expect(bytesToBase64(big.buffer)).toBe(Buffer.from(big).toString('base64'));
  });
});
