import { describe, expect, it } from 'vitest';

import { displayText } from './text.js';

const RLO = '\u202E';

describe('text from data, for display', () => {
  it('drops every bidirectional control, so a phase name cannot reverse what follows it', () => {
    const name = `Na${RLO}3`;
    expect(displayText(`${name}  11.8 %`)).toBe('Na3  11.8 %');
    const controls = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    expect(displayText(`a${controls}b`)).toBe('ab');
    expect(displayText('Na₃ µm ×')).toBe('Na₃ µm ×'); // everything else stays
  });
});
