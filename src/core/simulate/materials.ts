/**
 * The simulator's materials: a set of phases with model absorption spectra,
 * the energy range the references cover, and hand-picked sparse energy sets
 * (what a beamline scientist chooses by eye: edges, peaks, shoulders, a pre-
 * and a post-edge point).
 */
import { CARBON_PHASES, carbonAbsorption } from './carbon.js';
import { LFP_PHASES, lfpAbsorption } from './lfp.js';
import { NVPF_PHASES, nvpfAbsorption } from './xanes.js';

export interface MaterialPhase {
  name: string;
  /** Absorption per µm at photon energy `e` (eV). */
  absorption(e: number): number;
}

export type MaterialId = 'nvpf' | 'lfp' | 'carbon';

export interface Material {
  id: MaterialId;
  label: string;
  phases: MaterialPhase[];
  /** Energy range of the reference spectra, eV. */
  range: [number, number];
  /** Hand-picked sparse energy sets by size (5, 8, 12, 20; NVPF also 6). */
  handPicked: Record<number, number[]>;
}

export const NVPF: Material = {
  id: 'nvpf',
  label: 'NaxV2(PO4)2F3, V L2,3 and O K edges',
  phases: NVPF_PHASES.map(p => ({ name: p.name, absorption: e => nvpfAbsorption(e, p.valence) })),
  range: [505, 550],
  handPicked: {
    5: [515.2, 516.6, 517.6, 529.8, 545.0],
    6: [512.0, 515.2, 516.6, 517.6, 529.8, 545.0],
    8: [512.0, 515.2, 516.6, 517.6, 523.8, 529.8, 531.5, 545.0],
    12: [512.0, 515.0, 516.2, 517.0, 518.0, 521.5, 523.8, 527.0, 529.8, 531.5, 534.0, 545.0],
    20: [
      510.0, 513.5, 514.8, 515.5, 516.0, 516.5, 517.0, 517.5, 518.2, 519.5, 522.5, 523.5, 524.5,
      526.0, 529.0, 529.8, 530.6, 531.5, 534.0, 545.0
    ]
  }
};

export const LFP: Material = {
  id: 'lfp',
  label: 'LiFePO4 / FePO4, Fe L2,3 edges',
  phases: LFP_PHASES.map(p => ({ name: p.name, absorption: e => lfpAbsorption(e, p.ferric) })),
  range: [700, 735],
  handPicked: {
    5: [704.0, 707.8, 708.8, 709.7, 725.0],
    8: [704.0, 707.0, 707.8, 708.8, 709.7, 710.8, 720.6, 723.0],
    12: [704.0, 706.8, 707.5, 707.9, 708.4, 709.0, 709.7, 710.5, 712.0, 720.6, 722.8, 728.0],
    20: [
      702.0, 705.0, 706.5, 707.2, 707.6, 707.9, 708.2, 708.6, 709.0, 709.4, 709.8, 710.3, 711.0,
      713.0, 719.5, 720.6, 721.5, 722.5, 723.5, 728.0
    ]
  }
};

export const CARBON: Material = {
  id: 'carbon',
  label: 'carbon black / polystyrene / PVDF, C K edge',
  phases: CARBON_PHASES.map(kind => ({ name: kind, absorption: e => carbonAbsorption(e, kind) })),
  range: [275, 330],
  handPicked: {
    5: [280.0, 284.5, 285.0, 287.9, 320.0],
    8: [280.0, 284.5, 285.0, 285.5, 287.5, 288.5, 292.5, 320.0],
    12: [280.0, 283.5, 284.5, 285.0, 285.3, 286.0, 287.5, 288.5, 290.0, 292.7, 295.0, 320.0],
    20: [
      280.0, 283.0, 284.0, 284.5, 284.8, 285.0, 285.2, 285.5, 286.0, 286.8, 287.5, 288.0, 288.6,
      289.5, 290.5, 292.0, 293.0, 294.5, 300.0, 320.0
    ]
  }
};

export const MATERIALS: Record<MaterialId, Material> = { nvpf: NVPF, lfp: LFP, carbon: CARBON };

/** A regular grid over a material's range, for reference spectra (default 0.1 eV). */
export function referenceGrid(material: Material, step = 0.1): Float64Array {
  const [lo, hi] = material.range;
  const n = Math.round((hi - lo) / step) + 1;
  return Float64Array.from({ length: n }, (_, i) => Number((lo + i * step).toFixed(6)));
}

/** Hand-picked energies closest in size to `n` (an exact set for 5, 8, 12, 20). */
export function handPickedEnergies(material: Material, n: number): number[] {
  const sizes = Object.keys(material.handPicked).map(Number);
  const best = sizes.reduce((a, b) => (Math.abs(b - n) < Math.abs(a - n) ? b : a));
  return material.handPicked[best].slice();
}
