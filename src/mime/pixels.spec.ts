import { describe, expect, it } from 'vitest';

import { legendLabel, titleText } from './pixels.js';

describe('notebook output text', () => {
  it('draws a phase name without its bidi controls: "11.8 %" stays in order', () => {
    expect(legendLabel('Na\u202E3', 0.118)).toBe('Na3  11.8 %');
  });

  it('shows the whole title (a "/" in it is no path to cut), without bidi controls', () => {
    expect(titleText('NVPF 50/50 charged')).toBe('NVPF 50/50 charged');
    expect(titleText('run \u202Eevil')).toBe('run evil');
    expect(titleText('')).toBe('phase map');
  });
});
