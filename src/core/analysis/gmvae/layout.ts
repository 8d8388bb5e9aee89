/**
 * The GMVAE's shape and its parameters as plain arrays: names, shapes and
 * their order, which is also the order of the flat parameter vector of the
 * wasm training kernel (wasm/gmvae/layout.ts). No tfjs here: the kernel path
 * never loads it.
 */

export interface GmvaeShape {
  /** Input (and reconstruction) features. */
  inputDim: number;
  hidden: number;
  components: number;
  latentDim: number;
}

/** Weights by name, as plain arrays (row-major). */
export type NamedWeights = Record<string, { shape: number[]; values: Float32Array }>;

export interface ParameterSlot {
  name: string;
  shape: number[];
  /** Offset in the flat parameter vector, in floats. */
  offset: number;
  size: number;
}

/**
 * Every parameter, in the model's order: each weight matrix (in, out) is
 * followed by its bias, so the two form one (in + 1) × out block.
 */
export function parameterLayout(shape: GmvaeShape): ParameterSlot[] {
  const { inputDim: d, hidden: h, components: k, latentDim: l } = shape;
  const shapes: [string, number[]][] = [
    ['enc1W', [d, h]],
    ['enc1b', [h]],
    ['enc2W', [h, h]],
    ['enc2b', [h]],
    ['qyW', [h, k]],
    ['qyb', [k]],
    ['qzW', [h, h]],
    ['qzY', [k, h]],
    ['qz2W', [h, 2 * l]],
    ['qz2b', [2 * l]],
    ['priorMu', [k, l]],
    ['priorLogVar', [k, l]],
    ['dec1W', [l, h]],
    ['dec1b', [h]],
    ['dec2W', [h, h]],
    ['dec2b', [h]],
    ['dec3W', [h, d]],
    ['dec3b', [d]],
    ['decLogVar', [d]]
  ];
  let offset = 0;
  return shapes.map(([name, s]) => {
    const size = s.reduce((a, b) => a * b, 1);
    const slot = { name, shape: s, offset, size };
    offset += size;
    return slot;
  });
}

/** Number of parameters of a model of this shape. */
export function parameterCount(shape: GmvaeShape): number {
  const slots = parameterLayout(shape);
  const last = slots[slots.length - 1];
  return last.offset + last.size;
}
