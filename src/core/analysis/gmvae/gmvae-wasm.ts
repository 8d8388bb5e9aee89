/**
 * The GMVAE training kernel (wasm/gmvae/, wasm SIMD) behind a small class:
 * it compiles the module once, gives each model its own instance and memory,
 * and moves samples, noise and weights between JavaScript and that memory.
 * The input buffers are views of the module's memory: callers write a batch
 * straight into them, with no copy.
 */
import { GMVAE_KERNEL_WASM_BASE64 } from './gmvae-kernel.js';
import { parameterCount, parameterLayout, type GmvaeShape, type NamedWeights } from './layout.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  configure(d: number, h: number, k: number, l: number, t: number, cap: number): number;
  prepare(): void;
  paramsPtr(): number;
  gradPtr(): number;
  inputPtr(): number;
  noisePtr(): number;
  latentPtr(): number;
  qyPtr(): number;
  gradients(n: number): number;
  adam(learningRate: number): void;
  step(n: number, learningRate: number): number;
  evaluate(n: number): number;
  encode(n: number): void;
  mapTanh(src: number, dst: number, n: number): void;
  mapExp(src: number, dst: number, n: number): void;
}

const PAGE = 65536;

let compiled: WebAssembly.Module | null = null;
let failure: string | null = null;

/**
 * Why the kernel cannot run here (no WebAssembly, no SIMD, compilation
 * refused), or null when it can. Compiles the module on first use.
 */
export function gmvaeKernelUnavailable(): string | null {
  if (compiled || failure) {
    return failure;
  }
  try {
    if (typeof WebAssembly !== 'object') {
      failure = 'WebAssembly is not available';
      return failure;
    }
    const bytes = Uint8Array.from(atob(GMVAE_KERNEL_WASM_BASE64), c => c.charCodeAt(0));
    if (!WebAssembly.validate(bytes)) {
      failure = 'WebAssembly SIMD is not supported';
      return failure;
    }
    compiled = new WebAssembly.Module(bytes);
  } catch (err) {
    failure = `the kernel did not compile (${err instanceof Error ? err.message : String(err)})`;
  }
  return failure;
}

/**
 * Samples per tile: each tile goes through the whole network and back with
 * K·T decoder rows, about 320 of them, so that its activations stay in
 * cache. A function of the shape only (results depend on it, never on the
 * machine).
 */
export function tileSamples(shape: GmvaeShape): number {
  // a multiple of 16: the kernel's products take 16 samples at a time
  const t = 16 * Math.round(320 / (16 * shape.components));
  return Math.max(16, Math.min(256, t));
}

/** One model's instance of the kernel. */
export class GmvaeKernel {
  readonly shape: GmvaeShape;
  /** Samples per call (rows of `input`). */
  readonly capacity: number;
  /** Samples, row-major (capacity × inputDim): write a batch here. */
  readonly input: Float32Array;
  /** Standard-normal draws, row-major (capacity·K × L, row b·K + k): write a batch's here. */
  readonly noise: Float32Array;
  private readonly k: KernelExports;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;

  constructor(shape: GmvaeShape, capacity: number) {
    const reason = gmvaeKernelUnavailable();
    if (reason !== null || !compiled) {
      throw new Error(`GMVAE kernel unavailable: ${reason ?? 'not compiled'}`);
    }
    const instance = new WebAssembly.Instance(compiled, {
      env: {
        abort: () => {
          throw new Error('GMVAE kernel aborted');
        }
      }
    });
    this.k = instance.exports as unknown as KernelExports;
    this.shape = shape;
    this.capacity = capacity;
    const { inputDim: d, hidden: h, components: c, latentDim: l } = shape;
    const end = this.k.configure(d, h, c, l, tileSamples(shape), capacity);
    const pages = Math.ceil(end / PAGE) - this.k.memory.buffer.byteLength / PAGE;
    if (pages > 0) {
      this.k.memory.grow(pages);
    }
    this.k.prepare();
    const buffer = this.k.memory.buffer;
    const n = parameterCount(shape);
    this.params = new Float32Array(buffer, this.k.paramsPtr(), n);
    this.grads = new Float32Array(buffer, this.k.gradPtr(), n);
    this.input = new Float32Array(buffer, this.k.inputPtr(), capacity * d);
    this.noise = new Float32Array(buffer, this.k.noisePtr(), capacity * c * l);
  }

  setWeights(weights: NamedWeights): void {
    for (const slot of parameterLayout(this.shape)) {
      const w = weights[slot.name];
      if (!w || w.values.length !== slot.size) {
        throw new RangeError(`weights: ${slot.name} missing or not of size ${slot.size}`);
      }
      this.params.set(w.values, slot.offset);
    }
  }

  weights(): NamedWeights {
    return this.named(this.params);
  }

  /**
   * One Adam step on the first `n` samples of `input` and their noise; the
   * batch's mean loss (before the update).
   */
  step(n: number, learningRate: number): number {
    this.checkCount(n);
    return this.k.step(n, learningRate);
  }

  /** Mean loss and its gradient for the first `n` samples, without an update (the tests'). */
  gradients(n: number): { loss: number; gradients: NamedWeights } {
    this.checkCount(n);
    const sum = this.k.gradients(n);
    return { loss: sum / n, gradients: this.named(this.grads) };
  }

  /** Loss summed over the first `n` samples with zero noise (validation); no update. */
  lossSum(n: number): number {
    this.checkCount(n);
    return this.k.evaluate(n);
  }

  /** Latent means (n × L) and q(y|x) (n × K) of the first `n` samples, as views (valid until the next call). */
  encode(n: number): { latent: Float32Array; qy: Float32Array } {
    this.checkCount(n);
    this.k.encode(n);
    const buffer = this.k.memory.buffer;
    return {
      latent: new Float32Array(buffer, this.k.latentPtr(), n * this.shape.latentDim),
      qy: new Float32Array(buffer, this.k.qyPtr(), n * this.shape.components)
    };
  }

  /** tanh or exp of each value, as the kernel computes them (for the tests of their accuracy). */
  map(fn: 'tanh' | 'exp', values: Float32Array): Float32Array {
    const out = new Float32Array(values.length);
    const chunk = this.input.length & ~3;
    const f = fn === 'tanh' ? this.k.mapTanh : this.k.mapExp;
    for (let i = 0; i < values.length; i += chunk) {
      const n = Math.min(chunk, values.length - i);
      const n4 = (n + 3) & ~3;
      this.input.fill(0, 0, n4);
      this.input.set(values.subarray(i, i + n));
      f(this.input.byteOffset, this.input.byteOffset, n4);
      out.set(this.input.subarray(0, n), i);
    }
    return out;
  }

  private named(flat: Float32Array): NamedWeights {
    const out: NamedWeights = {};
    for (const slot of parameterLayout(this.shape)) {
      out[slot.name] = {
        shape: slot.shape.slice(),
        values: flat.slice(slot.offset, slot.offset + slot.size)
      };
    }
    return out;
  }

  private checkCount(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.capacity) {
      throw new RangeError(`kernel call on ${n} samples: 1…${this.capacity} expected`);
    }
  }
}
