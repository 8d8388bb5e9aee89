/**
 * Reader for an image stack stored as a multi-page TIFF (one page per
 * energy, as MANTiS, aXis2000 and ImageJ export them) plus an energy list.
 *
 * Decoding is done by the `tiff` package (image-js): synchronous like every
 * reader here, typed arrays of the native sample type (8/16-bit, float32/64),
 * uncompressed, LZW, Deflate and PackBits, TypeScript types, pure JS (runs in
 * Node and in the Web Worker). Signed samples are reinterpreted (it returns
 * them unsigned); 32-bit integer and multi-sample (RGB) pages are refused.
 *
 * Energies: `options.energies`, else a text file beside the TIFF with the
 * same base name (`.energies`, `_energies.txt`, `.txt`, `.csv`, `.dat`), one
 * energy per line (first column). Pixel size: `options.pixelSizeUm`, else
 * the TIFF resolution tags when they are in cm or inch, else pixel indices.
 */
import { decode, type TiffIfd } from 'tiff';

import { assertStackConsistent, type Stack } from '../model/stack.js';
import { checkMonotonic, checkSize } from './checks.js';
import { StackReadError } from './errors.js';
import { baseName, decodeText, sibling, stripExtension, type FileAccess } from './files.js';
import { cleanText } from './text.js';

export interface TiffOptions {
  /** Photon energies (eV), one per page. */
  energies?: number[];
  /** Pixel size in µm (square pixels). */
  pixelSizeUm?: number;
}

/** Candidate names of the energy list beside `<base>.tif`. */
export function energyListNames(tiffName: string): string[] {
  const base = baseName(stripExtension(tiffName));
  return [`${base}.energies`, `${base}_energies.txt`, `${base}.txt`, `${base}.csv`, `${base}.dat`];
}

/** Does the file start like a TIFF (II*\0 or MM\0*)? */
export function isTiff(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) ||
      (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a))
  );
}

export function readTiffStack(
  files: FileAccess,
  path: string,
  displayName = path,
  options: TiffOptions = {}
): Stack {
  const fail = (reason: string): never => {
    throw new StackReadError(displayName, reason);
  };
  if (files.size(path) === undefined) {
    fail('file not found or not readable');
  }
  const bytes = files.readBytes(path);
  if (bytes.length === 0) {
    fail('file is empty (0 bytes)');
  }
  if (!isTiff(bytes)) {
    fail('not a TIFF file (no TIFF signature)');
  }
  let pages: TiffIfd[];
  try {
    pages = decode(bytes).filter(p => (p.newSubfileType & 1) === 0); // skip thumbnails
  } catch (err) {
    return fail(`cannot decode the TIFF: ${cleanText((err as Error).message, 200)}`);
  }
  if (pages.length === 0) {
    fail('the TIFF holds no image');
  }
  const { width: nx, height: ny } = pages[0];
  const ne = pages.length;
  checkSize([ne, ny, nx], 'the TIFF stack', fail);
  const data = new Float32Array(ne * ny * nx);
  pages.forEach((page, e) => {
    if (page.width !== nx || page.height !== ny) {
      fail(`page ${e + 1} is ${page.width} × ${page.height}, page 1 is ${nx} × ${ny}`);
    }
    if (page.samplesPerPixel !== 1) {
      fail(
        `page ${e + 1} has ${page.samplesPerPixel} samples per pixel (colour?), not one detector value`
      );
    }
    const values = samples(page);
    if (values.length !== ny * nx) {
      fail(`page ${e + 1} holds ${values.length} values for ${ny} × ${nx} pixels`);
    }
    data.set(values, e * ny * nx);
  });

  const energies = Float64Array.from(
    options.energies ?? readEnergyList(files, path, displayName, fail)
  );
  if (energies.length !== ne) {
    fail(`${energies.length} energies for ${ne} TIFF pages`);
  }
  checkMonotonic(energies, 'the energy list', 'eV', fail);

  let step = options.pixelSizeUm;
  if (step !== undefined && !(step > 0)) {
    fail(`pixel size ${step} µm is not positive`);
  }
  step ??= resolutionStep(pages[0]);
  const positions = (n: number): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => i * (step ?? 1));

  const stack: Stack = {
    data,
    energies,
    x: positions(nx),
    y: positions(ny),
    source: { file: displayName, format: 'TIFF + energy list', dialect: 'multi-page TIFF' },
    metadata: {
      scanType: ne > 1 ? 'sample image stack' : 'sample image',
      scanKind: ne > 1 ? 'image stack' : 'image',
      quantity: 'counts',
      title: pages[0].imageDescription ? cleanText(pages[0].imageDescription, 200) : undefined,
      positionUnits: step === undefined ? 'pixel' : 'µm'
    }
  };
  assertStackConsistent(stack);
  return stack;
}

function samples(page: TiffIfd): ArrayLike<number> {
  const d = page.data;
  if (page.sampleFormat === 2 && d instanceof Uint16Array) {
    return new Int16Array(d.buffer, d.byteOffset, d.length);
  }
  if (page.sampleFormat === 2 && d instanceof Uint8Array) {
    return new Int8Array(d.buffer, d.byteOffset, d.length);
  }
  return d;
}

/** µm per pixel from XResolution when the unit is cm (3) or inch (2). */
function resolutionStep(page: TiffIfd): number | undefined {
  try {
    const res = page.xResolution;
    const unit = page.resolutionUnit;
    if (!(res > 0)) {
      return undefined;
    }
    return unit === 3 ? 1e4 / res : unit === 2 ? 25400 / res : undefined;
  } catch {
    return undefined;
  }
}

function readEnergyList(
  files: FileAccess,
  path: string,
  displayName: string,
  fail: (reason: string) => never
): number[] {
  for (const name of energyListNames(path)) {
    const p = sibling(path, name);
    if (files.size(p) !== undefined) {
      return parseEnergyList(decodeText(files.readBytes(p)), name, fail);
    }
  }
  return fail(
    `no energy list: give the energies, or put ${energyListNames(baseName(displayName))[0]} (one energy per line) beside the TIFF`
  );
}

/** One energy per line (first column); `#` comments and a header line allowed. */
export function parseEnergyList(
  text: string,
  name: string,
  fail: (reason: string) => never
): number[] {
  const out: number[] = [];
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || /^[#*!%;]/.test(t)) {
      return;
    }
    const first = t.split(/[\s,;]+/)[0];
    const v = Number(first);
    if (!Number.isFinite(v)) {
      if (out.length === 0 && /[a-z]/i.test(first)) {
        return; // a header line
      }
      fail(`${name}, line ${i + 1}: "${cleanText(first, 20)}" is not an energy`);
    }
    out.push(v);
  });
  return out;
}
