/**
 * Pearson maps through the wasm SIMD kernel (wasm/pearson.ts): the cube goes
 * through the module's memory in blocks of pixels (about 512 KiB each, so a
 * block stays in cache while the kernel reads it), and the results come back
 * into the caller's arrays. Memory beyond the output arrays: one block.
 */
import type { PearsonMaps } from './pearson-maps.js';
import { PEARSON_KERNEL_WASM_BASE64 } from './pearson-kernel.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  correlate(
    x: number,
    ne: number,
    b: number,
    len: number,
    r: number,
    chunks: number,
    nRefs: number,
    mask: number,
    pcc: number,
    margin: number,
    phase: number
  ): void;
}

/** References per kernel pass (its six SIMD accumulators). */
const REFS_PER_PASS = 6;
const TARGET_BLOCK_BYTES = 512 * 1024;
const PAGE = 65536;

let kernel: KernelExports | null | undefined;

/**
 * The compiled kernel, or null where WebAssembly or its SIMD extension is
 * missing (the caller then uses the TypeScript loop). Compiled once, on first
 * use; the module is about 1 KB, under every engine's limit for synchronous
 * compilation, so this works on a page's main thread too.
 */
export function pearsonKernel(): KernelExports | null {
  if (kernel !== undefined) {
    return kernel;
  }
  kernel = null;
  try {
    if (typeof WebAssembly === 'object') {
      const bytes = Uint8Array.from(atob(PEARSON_KERNEL_WASM_BASE64), c => c.charCodeAt(0));
      if (WebAssembly.validate(bytes)) {
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
          env: {
            abort: () => {
              throw new Error('Pearson kernel aborted');
            }
          }
        });
        kernel = instance.exports as unknown as KernelExports;
      }
    }
  } catch {
    kernel = null; // no SIMD, or compilation refused: the TypeScript loop serves
  }
  return kernel;
}

/** The maps of pearsonMaps from the kernel; `rhat` holds the references centred and scaled to unit norm. */
export function pearsonWithKernel(
  k: KernelExports,
  cube: Float32Array,
  ne: number,
  rhat: Float64Array,
  nRefs: number,
  mask: Uint8Array | undefined
): PearsonMaps {
  const npx = cube.length / ne;
  const out: PearsonMaps = {
    pcc: new Float32Array(nRefs * npx),
    initialPhase: new Int16Array(npx),
    margin: new Float32Array(npx)
  };
  const chunks = Math.ceil(nRefs / REFS_PER_PASS);
  const b = Math.min(
    roundUp4(npx),
    Math.max(1024, Math.min(8192, Math.floor(TARGET_BLOCK_BYTES / (4 * ne)) & ~3))
  );
  const xOff = align16(k.heapBase());
  const rOff = xOff + 4 * ne * b;
  const maskOff = rOff + 16 * REFS_PER_PASS * ne * chunks;
  const pccOff = align16(maskOff + b);
  const marginOff = pccOff + 4 * REFS_PER_PASS * chunks * b;
  const phaseOff = marginOff + 4 * b;
  const end = phaseOff + 4 * b;
  const pages = Math.ceil(end / PAGE) - k.memory.buffer.byteLength / PAGE;
  if (pages > 0) {
    k.memory.grow(pages);
  }
  const buffer = k.memory.buffer;
  const f32 = new Float32Array(buffer);
  const u8 = new Uint8Array(buffer);
  const i32 = new Int32Array(buffer);

  // references, each value repeated in the four lanes; missing ones are 0
  for (let c = 0; c < chunks; c++) {
    for (let e = 0; e < ne; e++) {
      for (let j = 0; j < REFS_PER_PASS; j++) {
        const n = c * REFS_PER_PASS + j;
        const v = n < nRefs ? rhat[n * ne + e] : 0;
        const at = rOff / 4 + ((c * ne + e) * REFS_PER_PASS + j) * 4;
        f32[at] = v;
        f32[at + 1] = v;
        f32[at + 2] = v;
        f32[at + 3] = v;
      }
    }
  }
  if (!mask) {
    u8.fill(1, maskOff, maskOff + b);
  }
  const x = xOff / 4;
  for (let p0 = 0; p0 < npx; p0 += b) {
    const len = Math.min(b, npx - p0);
    for (let e = 0; e < ne; e++) {
      const from = e * npx + p0;
      f32.set(cube.subarray(from, from + len), x + e * b);
    }
    if (mask) {
      u8.set(mask.subarray(p0, p0 + len), maskOff);
    }
    k.correlate(xOff, ne, b, len, rOff, chunks, nRefs, maskOff, pccOff, marginOff, phaseOff);
    for (let n = 0; n < nRefs; n++) {
      const from = pccOff / 4 + n * b;
      out.pcc.set(f32.subarray(from, from + len), n * npx + p0);
    }
    out.margin.set(f32.subarray(marginOff / 4, marginOff / 4 + len), p0);
    const phase = i32.subarray(phaseOff / 4, phaseOff / 4 + len);
    for (let i = 0; i < len; i++) {
      out.initialPhase[p0 + i] = phase[i];
    }
  }
  return out;
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

function roundUp4(n: number): number {
  return (n + 3) & ~3;
}
