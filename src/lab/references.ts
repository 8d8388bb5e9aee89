/**
 * Reference spectra for a workbench: the demo's model spectra, a CSV read
 * through the Jupyter contents API, and the conventional companion file next
 * to a stack (`<stem>_references.csv`) that the workbench loads by itself.
 */
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';

import { formatReferenceCsv } from '../core/io/references-csv.js';
import { referencesFromTexts } from '../core/io/references-read.js';
import type { ReferenceSet } from '../core/model/references.js';
import { nvpfSpectrum } from '../core/simulate/xanes.js';
import { pathEntry } from './files.js';

/** The two phases of the demo particle (Na3 core, Na1 shell), as the simulator models them. */
export const DEMO_PHASES = [
  { name: 'Na3', valence: 3.0 },
  { name: 'Na1', valence: 4.0 }
] as const;

/** Model spectra of the demo's phases on a 0.1 eV grid across the V L and O K edges. */
export function demoReferenceSet(): ReferenceSet {
  const energies = Float64Array.from({ length: 501 }, (_, i) => Number((505 + i * 0.1).toFixed(1)));
  return {
    source: 'simulator model spectra (NVPF)',
    spectra: DEMO_PHASES.map(p => ({
      name: p.name,
      energies,
      values: nvpfSpectrum(energies, p.valence),
      source: 'simulator'
    }))
  };
}

export function demoReferenceCsv(): string {
  const set = demoReferenceSet();
  const e = set.spectra[0].energies;
  return (
    '# Model XANES of the STXM PhaseMap demo particle (NVPF, simulator), absorption per µm\n' +
    formatReferenceCsv(
      set.spectra.map(s => s.name),
      e,
      (i, k) => set.spectra[i].values[k]
    )
  );
}

/** The companion references file of a stack: `dir/stem_references.csv`. */
export function companionReferencesPath(stackPath: string): string {
  const dir = PathExt.dirname(stackPath);
  const stem = PathExt.basename(stackPath, PathExt.extname(stackPath));
  return PathExt.join(dir, `${stem}_references.csv`);
}

/** A text file on the server. Errors name the file. */
export async function readText(contents: Contents.IManager, path: string): Promise<string> {
  const model = await contents.get(path, { content: true, format: 'text', type: 'file' });
  if (typeof model.content !== 'string') {
    throw new Error(`${path}: not a text file`);
  }
  return model.content;
}

/**
 * Read reference files on the server (a references CSV, or two-column text
 * files) and combine them into one set. Errors name the file.
 */
export async function readReferenceFiles(
  contents: Contents.IManager,
  paths: string[]
): Promise<ReferenceSet> {
  const texts = await Promise.all(
    paths.map(async p => ({ name: PathExt.basename(p), text: await readText(contents, p) }))
  );
  return referencesFromTexts(texts);
}

/** Whether a file exists on the server (asked of its folder's listing: no 404 when it does not). */
export async function fileExists(contents: Contents.IManager, path: string): Promise<boolean> {
  return (await pathEntry(contents, path)) !== null;
}
