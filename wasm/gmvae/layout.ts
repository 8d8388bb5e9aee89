/**
 * Shape of the model, parameter offsets and the memory map of the GMVAE
 * kernel, set once per model by `configure`.
 *
 * Parameters (f32, this order, each weight matrix row-major (in, out) and
 * followed by its bias, as model.ts lists them):
 *   enc1 (D+1)×H · enc2 (H+1)×H · qy (H+1)×K · qzW H×H · qzY K×H ·
 *   qz2 (H+1)×2L · priorMu K×L · priorLogVar K×L · dec1 (L+1)×H ·
 *   dec2 (H+1)×H · dec3 (H+1)×D · decLogVar D
 *
 * Tile buffers are feature-major: one row of T (encoder) or R = K·T
 * (decoder, row k·T + b is sample b's component k) floats per feature; the
 * activations that feed a product with a bias carry a last row of ones.
 */

export let D: i32 = 0;
export let H: i32 = 0;
export let K: i32 = 0;
export let L: i32 = 0;
/** Samples per tile (multiple of 16) and decoder rows per tile. */
export let T: i32 = 0;
export let R: i32 = 0;
/** Rows of the input buffers (samples per call). */
export let CAP: i32 = 0;
/** Parameter count, and the count rounded up to 4. */
export let NP: i32 = 0;
export let NP4: i32 = 0;

// parameter offsets, in floats
export let oEnc1: i32 = 0;
export let oEnc2: i32 = 0;
export let oQy: i32 = 0;
export let oQzW: i32 = 0;
export let oQzY: i32 = 0;
export let oQz2: i32 = 0;
export let oPMu: i32 = 0;
export let oPLv: i32 = 0;
export let oDec1: i32 = 0;
export let oDec2: i32 = 0;
export let oDec3: i32 = 0;
export let oDecLv: i32 = 0;

// memory (byte addresses)
export let pParams: usize = 0;
export let pGrad: usize = 0;
export let pGrad4: usize = 0;
export let pM: usize = 0;
export let pV: usize = 0;
/** Per-step constants: clipped decLogVar, its exp(−·), clipped priorLogVar, its exp(−·). */
export let pDecVar: usize = 0;
export let pDecInv: usize = 0;
export let pPriVar: usize = 0;
export let pPriInv: usize = 0;
/** Inputs: samples row-major (CAP × D), noise row-major (CAP·K × L, row b·K + k). */
export let pIn: usize = 0;
export let pNoise: usize = 0;
/** Outputs of `encode`: latent means (CAP × L) and q(y|x) (CAP × K), row-major. */
export let pLatent: usize = 0;
export let pQyOut: usize = 0;
// encoder tile buffers (rows of T)
export let pX: usize = 0;
export let pH1: usize = 0;
export let pH2: usize = 0;
export let pLq: usize = 0;
export let pQ: usize = 0;
export let pAz: usize = 0;
export let pWt: usize = 0;
export let pRk: usize = 0;
export let pdLg: usize = 0;
export let pdA: usize = 0;
export let pdH2: usize = 0;
export let pdH1: usize = 0;
// decoder tile buffers (rows of R)
export let pHy: usize = 0;
export let pOut: usize = 0;
export let pLv: usize = 0;
export let pSd: usize = 0;
export let pEps: usize = 0;
export let pZ: usize = 0;
export let pD1: usize = 0;
export let pD2: usize = 0;
export let pXh: usize = 0;
export let pdXh: usize = 0;
export let pdD2: usize = 0;
export let pdD1: usize = 0;
export let pdZ: usize = 0;
export let pdOut: usize = 0;
export let pdHy: usize = 0;
export let pEnd: usize = 0;

let next: usize = 0;

function take(floats: i32): usize {
  const at = next;
  next = (next + (<usize>floats << 2) + 15) & ~(<usize>15);
  return at;
}

function ones(at: usize, row: i32, len: i32): void {
  const p = at + ((<usize>row * <usize>len) << 2);
  for (let i = 0; i < len; i++) {
    store<f32>(p + (<usize>i << 2), 1.0);
  }
}

/**
 * Lays out the memory for a model and tile size from `base` (16-aligned);
 * returns the first byte past it (the caller grows the memory to it, then
 * fills the ones rows with `prepare`).
 */
export function configure(d: i32, h: i32, k: i32, l: i32, t: i32, cap: i32, base: usize): usize {
  D = d;
  H = h;
  K = k;
  L = l;
  T = t;
  R = k * t;
  CAP = cap;
  let o = 0;
  oEnc1 = o;
  o += (d + 1) * h;
  oEnc2 = o;
  o += (h + 1) * h;
  oQy = o;
  o += (h + 1) * k;
  oQzW = o;
  o += h * h;
  oQzY = o;
  o += k * h;
  oQz2 = o;
  o += (h + 1) * 2 * l;
  oPMu = o;
  o += k * l;
  oPLv = o;
  o += k * l;
  oDec1 = o;
  o += (l + 1) * h;
  oDec2 = o;
  o += (h + 1) * h;
  oDec3 = o;
  o += (h + 1) * d;
  oDecLv = o;
  o += d;
  NP = o;
  NP4 = (o + 3) & ~3;

  next = (base + 15) & ~(<usize>15);
  pParams = take(NP4);
  pGrad = take(NP4);
  pGrad4 = take(4 * NP4);
  pM = take(NP4);
  pV = take(NP4);
  pDecVar = take(d);
  pDecInv = take(d);
  pPriVar = take(k * l);
  pPriInv = take(k * l);
  pIn = take(cap * d);
  pNoise = take(cap * k * l);
  pLatent = take(cap * l);
  pQyOut = take(cap * k);
  pX = take((d + 1) * t);
  pH1 = take((h + 1) * t);
  pH2 = take((h + 1) * t);
  pLq = take(k * t);
  pQ = take(k * t);
  pAz = take(h * t);
  pWt = take(t);
  pRk = take(k * t);
  pdLg = take(k * t);
  pdA = take(h * t);
  pdH2 = take(h * t);
  pdH1 = take(h * t);
  const r = R;
  pHy = take((h + 1) * r);
  pOut = take(2 * l * r);
  pLv = take(l * r);
  pSd = take(l * r);
  pEps = take(l * r);
  pZ = take((l + 1) * r);
  pD1 = take((h + 1) * r);
  pD2 = take((h + 1) * r);
  pXh = take(d * r);
  pdXh = take(d * r);
  pdD2 = take(h * r);
  pdD1 = take(h * r);
  pdZ = take(l * r);
  pdOut = take(2 * l * r);
  pdHy = take(h * r);
  pEnd = next;
  return pEnd;
}

/** Fills the constant rows of ones (after the memory has grown to `configure`'s end). */
export function prepare(): void {
  ones(pX, D, T);
  ones(pH1, H, T);
  ones(pH2, H, T);
  ones(pHy, H, R);
  ones(pZ, L, R);
  ones(pD1, H, R);
  ones(pD2, H, R);
}
