/**
 * What the views ask JupyterLab to do (commands, files, the worker): the
 * lab implements it (src/lab/actions.ts). The views' only way out besides
 * the model's intents.
 */

/** What the views ask JupyterLab to do (commands, files, the worker). */
export interface IWorkbenchActions {
  run(): void;
  cancel(): void;
  /** Pick a references file in the Jupyter file browser (contents API). */
  loadReferencesFromServer(): void;
  /** The file types the references file picker offers (`.csv`, `.txt` …). */
  readonly referenceFileTypes: readonly string[];
  /** Files chosen with the browser's file picker (upload), combined into one set. */
  loadReferencesFiles(files: File[]): void;
  /** References computed from the simulator's model spectra (demo stacks). */
  loadDemoReferences(): void;
  /** Export a view of this workbench. */
  exportView(view: ExportableViewId, format: 'png' | 'svg'): void;
  exportCsv(kind: 'fractions' | 'spectra'): void;
  exportResult(): void;
  /** Put `stxm-phasemap map …` with this workbench's stack, references and parameters on the clipboard. */
  copyCommandLine(): void;
  /** Save the complete parameters as JSON (what `--params FILE.json` reads) next to the stack. */
  saveParameters(): void;
  /** Pick a measured I0 spectrum (two-column text) for the I0 of the optical density. */
  loadI0Spectrum(): void;
}

export type ExportableViewId =
  'image' | 'spectrum' | 'preprocess' | 'maps' | 'latent' | 'training' | 'references';
