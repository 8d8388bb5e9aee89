import { describe, expect, it } from 'vitest';

import { Rng } from '../../simulate/rng.js';
import { initialWeights } from './init.js';
import { parameterCount, parameterLayout } from './layout.js';
import { initWeights } from './model.js';

describe('initial weights', () => {
  it.each([
    { inputDim: 20, hidden: 32, components: 5, latentDim: 2 },
    { inputDim: 7, hidden: 9, components: 3, latentDim: 4 }
  ])('tfjs variables and the kernel start from the same arrays, in the layout order: %o', shape => {
    const plain = initialWeights(shape, new Rng(42));
    const vars = initWeights(shape, new Rng(42));
    const slots = parameterLayout(shape);
    expect(Object.keys(plain)).toEqual(slots.map(s => s.name));
    expect(Object.keys(vars)).toEqual(slots.map(s => s.name));
    for (const slot of slots) {
      expect(plain[slot.name].shape).toEqual(slot.shape);
      expect(vars[slot.name].shape).toEqual(slot.shape);
      expect(Array.from(vars[slot.name].dataSync())).toEqual(Array.from(plain[slot.name].values));
      vars[slot.name].dispose();
    }
    expect(slots.reduce((n, s) => n + s.size, 0)).toBe(parameterCount(shape));
    // Glorot-uniform within its limit, biases 0, decoder log-variance −1
    const limit = Math.sqrt(6 / (shape.inputDim + shape.hidden));
    expect(plain.enc1W.values.every(v => Math.abs(v) <= limit)).toBe(true);
    expect(plain.enc1b.values.every(v => v === 0)).toBe(true);
    expect(plain.decLogVar.values.every(v => v === -1)).toBe(true);
  });
});
