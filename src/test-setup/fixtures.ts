/**
 * Shared helpers for the Node tests: h5wasm for Node, temporary folders,
 * synthetic NXstxm files written with h5wasm, and the real shared data.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import h5wasm from 'h5wasm/node';
import type { Group } from 'h5wasm';

import { createH5Runtime, type H5Runtime } from '../core/io/h5.js';

export async function nodeRuntime(): Promise<H5Runtime> {
  return createH5Runtime(h5wasm.File, await h5wasm.ready);
}

export function tempDir(prefix = 'stxm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** ../shared/data, or $STXM_SHARED_DATA. */
export const SHARED_DATA = resolve(
  process.env.STXM_SHARED_DATA ?? new URL('../../../shared/data', import.meta.url).pathname
);
export const REAL_STACK = join(SHARED_DATA, 'stxm', 'sls_pollux_stack_C-K.hdf5');
export const HAVE_SHARED = existsSync(REAL_STACK);
if (!HAVE_SHARED) {
  console.warn(`shared data not found at ${SHARED_DATA}: tests on real beamline files are skipped`);
}

export interface SyntheticOptions {
  shape?: [number, number, number];
  axes?: string[] | null;
  energies?: number[];
  x?: number[];
  y?: number[];
  units?: string;
  scanType?: string | null;
  groupName?: string;
  entryName?: string;
  nxEntry?: boolean;
  /** Mark the detector group NX_class=NXdata (default true). */
  nxData?: boolean;
  data?: Float64Array;
}

/** Write a small NXstxm-like file; every part can be bent to make a bad input. */
export function writeSynthetic(path: string, o: SyntheticOptions = {}): Float64Array {
  const shape = o.shape ?? [3, 4, 5];
  const n = shape.reduce((a, b) => a * b, 1);
  const data = o.data ?? Float64Array.from({ length: n }, (_, i) => 100 + i);
  const file = new h5wasm.File(path, 'w');
  try {
    const entry = file.create_group(o.entryName ?? 'entry1');
    if (o.nxEntry !== false) {
      entry.create_attribute('NX_class', 'NXentry');
    }
    const g: Group = entry.create_group(o.groupName ?? 'counter0');
    if (o.nxData !== false) {
      g.create_attribute('NX_class', 'NXdata');
    }
    g.create_attribute('signal', 'data');
    if (o.axes !== null) {
      g.create_attribute('axes', o.axes ?? ['energy', 'sample_y', 'sample_x']);
    }
    g.create_dataset({ name: 'data', data, shape, dtype: '<d' });
    const axes = o.axes ?? ['energy', 'sample_y', 'sample_x'];
    const lengthOf = (name: string): number => shape[axes.indexOf(name)] ?? shape[0];
    const energies = o.energies ?? Array.from({ length: lengthOf('energy') }, (_, i) => 512 + i);
    g.create_dataset({ name: 'energy', data: Float64Array.from(energies), dtype: '<d' });
    const y = o.y ?? Array.from({ length: lengthOf('sample_y') }, (_, i) => 10 + i * 0.05);
    const x = o.x ?? Array.from({ length: lengthOf('sample_x') }, (_, i) => -5 + i * 0.02);
    g.create_dataset({
      name: 'sample_y',
      data: Float64Array.from(y),
      dtype: '<d'
    }).create_attribute('units', o.units ?? 'µm');
    g.create_dataset({
      name: 'sample_x',
      data: Float64Array.from(x),
      dtype: '<d'
    }).create_attribute('units', o.units ?? 'µm');
    if (o.scanType !== null) {
      g.create_dataset({ name: 'stxm_scan_type', data: [o.scanType ?? 'sample image stack'] });
    }
  } finally {
    file.close();
  }
  return data;
}

// ---------------------------------------------------------------------------
// More dialects, written the way the beamlines write them.

type Attrs = Record<string, string | number | string[] | number[]>;

function putAttrs(
  target: { create_attribute: Group['create_attribute'] },
  attrs: Attrs = {}
): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'number') {
      target.create_attribute(k, v, null, Number.isInteger(v) ? '<i4' : '<d');
    } else {
      target.create_attribute(k, v as string | string[]);
    }
  }
}

export interface FieldSpec {
  data: Float64Array | Float32Array | number[] | string | string[];
  shape?: number[];
  dtype?: string;
  attrs?: Attrs;
}

/** A group tree: `{ name: FieldSpec | { group: attrs, children } }`. */
export interface GroupSpec {
  attrs?: Attrs;
  children: Record<string, FieldSpec | GroupSpec>;
}

const isGroupSpec = (v: FieldSpec | GroupSpec): v is GroupSpec => 'children' in v;

function writeTree(g: Group, spec: GroupSpec): void {
  putAttrs(g, spec.attrs);
  for (const [name, child] of Object.entries(spec.children)) {
    if (isGroupSpec(child)) {
      writeTree(g.create_group(name), child);
    } else {
      const data =
        typeof child.data === 'string'
          ? child.data
          : Array.isArray(child.data) && typeof child.data[0] === 'string'
            ? (child.data as string[])
            : child.data instanceof Float32Array
              ? child.data
              : Float64Array.from(child.data as ArrayLike<number>);
      const ds = g.create_dataset({
        name,
        data,
        shape: child.shape ?? null,
        dtype:
          child.dtype ??
          (typeof data === 'string' || Array.isArray(data)
            ? null
            : data instanceof Float32Array
              ? '<f'
              : '<d')
      });
      putAttrs(ds, child.attrs);
    }
  }
}

/** Write any tree of groups and datasets as an HDF5 file. */
export function writeTreeFile(path: string, root: GroupSpec): void {
  const file = new h5wasm.File(path, 'w');
  try {
    writeTree(file, root);
  } finally {
    file.close();
  }
}

export const ramp = (n: number, start = 0, step = 1): number[] =>
  Array.from({ length: n }, (_, i) => start + i * step);

/** The value the synthetic cubes hold at (e, y, x): every pixel tells where it is. */
export const cubeValue = (e: number, y: number, x: number): number =>
  1000 * e + 100 + 10 * y + x / 10;

/** A cube (E, y, x) laid out in the file's order of dimensions `order` (e.g. ['x', 'y', 'e']). */
export function cubeInOrder(
  [ne, ny, nx]: [number, number, number],
  order: ('e' | 'y' | 'x')[] = ['e', 'y', 'x']
): { data: Float64Array; shape: number[] } {
  const sizes = { e: ne, y: ny, x: nx };
  const shape = order.map(k => sizes[k]);
  const data = new Float64Array(ne * ny * nx);
  let k = 0;
  const idx = { e: 0, y: 0, x: 0 };
  for (let a = 0; a < shape[0]; a++) {
    for (let b = 0; b < shape[1]; b++) {
      for (let c = 0; c < shape[2]; c++) {
        idx[order[0]] = a;
        idx[order[1]] = b;
        idx[order[2]] = c;
        data[k++] = cubeValue(idx.e, idx.y, idx.x);
      }
    }
  }
  return { data, shape };
}

/** Older Diamond I08: Counter1, photon_energy, per-field `axis`, `signal = 1`, scan_type. */
export function writeI08Old(
  path: string,
  dims: [number, number, number],
  order: ('e' | 'y' | 'x')[] = ['e', 'y', 'x'],
  extra: Partial<{ scanType: string; energyUnits: string; energies: number[] }> = {}
): void {
  const [ne, ny, nx] = dims;
  const { data, shape } = cubeInOrder(dims, order);
  const axis = (k: 'e' | 'y' | 'x'): number => order.indexOf(k) + 1;
  writeTreeFile(path, {
    children: {
      entry1: {
        attrs: { NX_class: 'NXentry' },
        children: {
          definition: { data: 'NXstxm' },
          scan_type: { data: [extra.scanType ?? 'sample image stack'] },
          Counter1: {
            attrs: { NX_class: 'NXdata' },
            children: {
              data: { data, shape, attrs: { signal: 1 } },
              photon_energy: {
                data: extra.energies ?? ramp(ne, 700, 0.5),
                attrs: { axis: axis('e'), units: extra.energyUnits ?? 'eV' }
              },
              sample_y: { data: ramp(ny, -3, 0.05), attrs: { axis: axis('y'), units: 'um' } },
              sample_x: { data: ramp(nx, 2, 0.03), attrs: { axis: axis('x'), units: 'um' } }
            }
          },
          instrument: { attrs: { NX_class: 'NXinstrument' }, children: { name: { data: ['I08'] } } }
        }
      }
    }
  });
}

export interface AlsRegion {
  dims: [number, number, number] | [number, number];
  scanType: string;
}

/** ALS .stxm: entry0, entry1, … one per region, each a Pixelator-like counter0. */
export function writeAlsMulti(path: string, regions: AlsRegion[]): void {
  const children: Record<string, GroupSpec> = {};
  regions.forEach((r, i) => {
    const image = r.dims.length === 2;
    const dims: [number, number, number] = image
      ? [1, r.dims[0], r.dims[1]]
      : (r.dims as [number, number, number]);
    const { data } = cubeInOrder(dims);
    const shape = image ? [dims[1], dims[2]] : [...dims];
    children[`entry${i}`] = {
      attrs: { NX_class: 'NXentry' },
      children: {
        definition: { data: 'NXstxm' }, // a scalar string
        counter0: {
          attrs: {
            NX_class: 'NXdata',
            signal: 'data',
            axes: image ? ['sample_y', 'sample_x'] : ['energy', 'sample_y', 'sample_x']
          },
          children: {
            data: { data, shape },
            energy: { data: image ? [530] : ramp(dims[0], 525 + i, 1) },
            sample_y: { data: ramp(dims[1], 100 * i, 0.1) },
            sample_x: { data: ramp(dims[2], 100 * i, 0.04) },
            stxm_scan_type: { data: [r.scanType] }
          }
        },
        collection: { children: { beamline: { data: ['ALS 11.0.2'] } } }
      }
    };
  });
  writeTreeFile(path, { children });
}

/** A tiny uncompressed little-endian multi-page TIFF (test input only). */
export function tiffBytes(
  pages: ArrayLike<number>[],
  width: number,
  height: number,
  sample: 'u16' | 'i16' | 'f32' | 'u8' = 'u16',
  resolution?: { perCm: number }
): Uint8Array {
  const bps = sample === 'f32' ? 32 : sample === 'u8' ? 8 : 16;
  const format = sample === 'f32' ? 3 : sample === 'i16' ? 2 : 1;
  const bytesPerPage = (width * height * bps) / 8;
  const tags = (offset: number): [number, number, number, number][] => {
    const t: [number, number, number, number][] = [
      [256, 4, 1, width],
      [257, 4, 1, height],
      [258, 3, 1, bps],
      [259, 3, 1, 1],
      [262, 3, 1, 1],
      [273, 4, 1, offset],
      [277, 3, 1, 1],
      [278, 4, 1, height],
      [279, 4, 1, bytesPerPage]
    ];
    if (resolution) {
      t.push([282, 5, 1, -1], [283, 5, 1, -1], [296, 3, 1, 3]);
    }
    t.push([339, 3, 1, format]);
    return t;
  };
  const ifdSize = (n: number): number => 2 + 12 * n + 4 + (resolution ? 16 : 0);
  const nTags = tags(0).length;
  const total = 8 + pages.length * (bytesPerPage + ifdSize(nTags) + 2);
  const buf = new ArrayBuffer(total);
  const dv = new DataView(buf);
  dv.setUint8(0, 0x49);
  dv.setUint8(1, 0x49);
  dv.setUint16(2, 42, true);
  let pos = 8;
  let prevNext = 4;
  for (const page of pages) {
    const dataAt = pos;
    for (let i = 0; i < width * height; i++) {
      const v = page[i];
      if (sample === 'f32') {
        dv.setFloat32(pos + 4 * i, v, true);
      } else if (sample === 'u8') {
        dv.setUint8(pos + i, v);
      } else if (sample === 'i16') {
        dv.setInt16(pos + 2 * i, v, true);
      } else {
        dv.setUint16(pos + 2 * i, v, true);
      }
    }
    pos += bytesPerPage;
    pos += pos % 2;
    dv.setUint32(prevNext, pos, true);
    const ifd = pos;
    const t = tags(dataAt);
    dv.setUint16(ifd, t.length, true);
    const rationalAt = ifd + 2 + 12 * t.length + 4;
    t.forEach(([tag, type, count, value], i) => {
      const at = ifd + 2 + 12 * i;
      dv.setUint16(at, tag, true);
      dv.setUint16(at + 2, type, true);
      dv.setUint32(at + 4, count, true);
      if (type === 5) {
        const r = rationalAt + (tag === 282 ? 0 : 8);
        dv.setUint32(r, Math.round((resolution as { perCm: number }).perCm * 1000), true);
        dv.setUint32(r + 4, 1000, true);
        dv.setUint32(at + 8, r, true);
      } else if (type === 3) {
        dv.setUint16(at + 8, value, true);
      } else {
        dv.setUint32(at + 8, value, true);
      }
    });
    prevNext = ifd + 2 + 12 * t.length;
    dv.setUint32(prevNext, 0, true);
    pos = ifd + ifdSize(t.length);
  }
  return new Uint8Array(buf, 0, pos);
}

export interface Axis2000Spec {
  type?: string;
  flags?: string;
  nx?: number;
  ny?: number;
  energies?: number[];
  regions?: number;
  channels?: string[];
  dwell?: number;
  /** Per-image Energy lines (defaults to the energies). */
  imageEnergies?: number[];
  /** Line scans: PAxis is the energy, QAxis the positions. */
  line?: boolean;
  /** Point spectra (.xsp per region). */
  points?: boolean;
  /** Skip writing these data files. */
  skip?: string[];
}

const points = (values: number[]): string =>
  `(${values.length}, ${values.map(v => v.toFixed(4)).join(', ')})`;

/** Write `<dir>/<base>.hdr` and its data files; returns the data file names. */
export function writeAxis2000(dir: string, base: string, s: Axis2000Spec = {}): string[] {
  const nx = s.nx ?? 6;
  const ny = s.ny ?? 4;
  const energies = s.energies ?? [700, 701, 702];
  const regions = s.regions ?? 1;
  const channels = s.channels ?? ['PMT'];
  const written: string[] = [];
  const xs = ramp(nx, -188.3, 0.05);
  const ys = ramp(ny, 6061.2, 0.05);
  const regionBlock = (r: number): string =>
    s.line
      ? `{\n PAxis = { Name = "Energy"; Unit = "eV"; Min = 0; Max = 1; Dir = 1;\n  Points = ${points(energies)};\n};\n QAxis = { Name = "Sample"; Unit = "um"; Min = 0; Max = 1; Dir = 1;\n  Points = ${points(ramp(ny, 0, 0.1))};\n};\n}`
      : s.points
        ? `{\n PAxis = { Name = "Energy"; Unit = "eV"; Min = 0; Max = 1; Dir = 1;\n  Points = ${points(energies)};\n};\n}`
        : `{\n PAxis = { Name = "Sample X"; Unit = "um"; Min = 0; Max = 1; Dir = 1;\n  Points = ${points(xs.map(v => v + r))};\n};\n QAxis = { Name = "Sample Y"; Unit = "um"; Min = 0; Max = 1; Dir = 1;\n  Points = ${points(ys.map(v => v + r))};\n};\n}`;
  const type =
    s.type ?? (s.line ? 'NEXAFS Line Scan' : s.points ? 'NEXAFS Point Scan' : 'NEXAFS Image Scan');
  const flags =
    s.flags ??
    (s.line ? 'Image' : s.points ? 'Spectra' : energies.length > 1 ? 'Image Stack' : 'Image');
  const lines = [
    `ScanDefinition = { Label = "${base}.hdr"; Type = "${type}"; Flags = "${flags}"; Dwell = ${s.dwell ?? 1};`,
    `\tRegions = (${regions},`,
    Array.from({ length: regions }, (_, r) => regionBlock(r)).join(',\n') + ');',
    s.line || s.points
      ? ''
      : `\tStackAxis = { Name = "Energy"; Unit = "eV"; Min = 0; Max = 1; Dir = 1;\n\t\tPoints = ${points(energies)};\n};`,
    `\tChannels = (${channels.length},`,
    channels.map(c => `{ Name = "${c}"; Unit = "Hz";}`).join(',\n') + ');',
    '};',
    ' Time = "2020 October 15 11:59:33"; BeamFeedback = false;'
  ];
  (s.imageEnergies ?? energies).forEach((e, i) => {
    for (let r = 0; r < regions; r++) {
      lines.push(
        `Image${String(i).padStart(3, '0')}_${r} = {StorageRingCurrent = ${250 - i}; Energy = ${e}; Time = "x";};`
      );
    }
  });
  writeFileSync(join(dir, `${base}.hdr`), lines.join('\n') + '\n');
  const write = (name: string, text: string): void => {
    if (!s.skip?.includes(name)) {
      writeFileSync(join(dir, name), text);
      written.push(name);
    }
  };
  const grid = (rows: number, cols: number, v: (r: number, c: number) => number): string =>
    Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => String(v(r, c))).join('\t')
    ).join('\r\n') + '\r\n';
  const letters = 'abcdefgh';
  for (let r = 0; r < regions; r++) {
    const reg = regions > 1 ? String(r) : '';
    if (s.points) {
      write(
        `${base}_${r}.xsp`,
        energies.map((e, i) => `${e}\t${1000 - 10 * i - r}`).join('\n') + '\n'
      );
      continue;
    }
    channels.forEach((_, c) => {
      const L = letters[c];
      if (s.line) {
        write(
          `${base}_${L}${reg}.xim`,
          grid(ny, energies.length, (row, col) => cubeValue(col, 0, row) + c)
        );
      } else if (energies.length === 1 || flags === 'Image') {
        write(
          `${base}_${L}${reg}.xim`,
          grid(ny, nx, (y, x) => cubeValue(0, y, x) + 10000 * c + 100000 * r)
        );
      } else {
        energies.forEach((_e, e) => {
          write(
            `${base}_${L}${String(e).padStart(3, '0')}${reg}.xim`,
            grid(ny, nx, (y, x) => cubeValue(e, y, x) + 10000 * c + 100000 * r)
          );
        });
      }
    });
  }
  return written;
}

// ---------------------------------------------------------------------------
// Synthetic scenes with exactly known shifts, for the alignment tests.

export interface DriftScene {
  ny: number;
  nx: number;
  /** True displacement of each frame's content, px (content at +dy, +dx). */
  dy: number[];
  dx: number[];
  /** OD cube (E, y, x), noise-free. */
  od: Float32Array;
}

/**
 * A textured particle (soft-edged ellipse, Gaussian grains whose contrast
 * changes with energy), rendered analytically at each frame's displacement:
 * the shift is exact, not an interpolation.
 */
export function driftScene(
  ny: number,
  nx: number,
  dy: number[],
  dx: number[],
  seed = 3
): DriftScene {
  const ne = dy.length;
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const grains = Array.from({ length: 9 }, () => ({
    y: ny * (0.3 + 0.4 * rnd()),
    x: nx * (0.3 + 0.4 * rnd()),
    r: 1.5 + 3 * rnd(),
    a: Array.from({ length: ne }, () => 0.2 + 0.6 * rnd())
  }));
  const od = new Float32Array(ne * ny * nx);
  for (let e = 0; e < ne; e++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const yy = y - dy[e];
        const xx = x - dx[e];
        const r = Math.hypot((yy - ny / 2) / (ny * 0.3), (xx - nx / 2) / (nx * 0.28));
        const body = 0.5 * (1 - Math.tanh((r - 1) * Math.min(ny, nx) * 0.3)); // ~1.5 px edge
        let v = (0.6 + 0.1 * e) * body;
        for (const g of grains) {
          v += g.a[e] * Math.exp(-((yy - g.y) ** 2 + (xx - g.x) ** 2) / (2 * g.r * g.r)) * body;
        }
        od[(e * ny + y) * nx + x] = v;
      }
    }
  }
  return { ny, nx, dy, dx, od };
}

/**
 * A hard-edged disk of OD `contrast` on an empty background, area-sampled
 * (16 × 16 sub-pixels) at each frame's displacement.
 */
export function hardDisk(
  ny: number,
  nx: number,
  dy: number[],
  dx: number[],
  contrast = 2
): Float32Array {
  const ne = dy.length;
  const out = new Float32Array(ne * ny * nx);
  const R = Math.min(ny, nx) * 0.3;
  const sub = 16;
  for (let e = 0; e < ne; e++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        let inside = 0;
        for (let i = 0; i < sub; i++) {
          for (let j = 0; j < sub; j++) {
            const yy = y - 0.5 + (i + 0.5) / sub - dy[e] - ny / 2;
            const xx = x - 0.5 + (j + 0.5) / sub - dx[e] - nx / 2;
            if (yy * yy + xx * xx < R * R) {
              inside++;
            }
          }
        }
        out[(e * ny + y) * nx + x] = (contrast * inside) / (sub * sub);
      }
    }
  }
  return out;
}
