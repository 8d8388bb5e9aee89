import { describe, expect, it } from 'vitest';

import { lengthToMicrometres, repairString } from './text.js';

describe('repairString', () => {
  it('re-reads UTF-8 bytes that arrived one per character', () => {
    expect(repairString('\u00ce\u00bcm')).toBe('\u03bcm'); // CE BC 6D → μm
  });
  it('keeps Latin-1 text that is not valid UTF-8', () => {
    expect(repairString('\u00b5m')).toBe('\u00b5m');
  });
  it('leaves ASCII and already-decoded text alone', () => {
    expect(repairString('eV')).toBe('eV');
    expect(repairString('\u03bcm')).toBe('\u03bcm');
  });
});

describe('lengthToMicrometres', () => {
  it.each([
    ['µm', 1],
    ['\u03bcm', 1],
    ['\u00ce\u00bcm', 1],
    ['um', 1],
    ['nm', 1e-3],
    ['mm', 1e3],
    ['m', 1e6],
    ['Å', 1e-4],
    [' microns ', 1]
  ])('%s', (unit, factor) => {
    expect(lengthToMicrometres(unit)).toBe(factor);
  });
  it('answers undefined for units that are not lengths', () => {
    expect(lengthToMicrometres('eV')).toBeUndefined();
    expect(lengthToMicrometres('deg')).toBeUndefined();
  });
});
