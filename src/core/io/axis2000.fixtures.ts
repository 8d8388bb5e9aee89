/** Test writer of aXis2000 scans: the .hdr and its .xim / .xsp data files. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cubeValue, ramp } from '../../test-setup/fixtures.js';

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
