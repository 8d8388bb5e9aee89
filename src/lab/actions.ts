/**
 * What the workbench's buttons ask of JupyterLab, for one document: run and
 * cancel, load references (file browser, upload, demo), export views, CSV and
 * the NeXus result through the contents API, the run as a command line (on
 * the clipboard) and the parameters as JSON. Failures are reported in the
 * workbench (references, run) or as a notification (exports), on one line.
 */
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { PageConfig, PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { FileDialog } from '@jupyterlab/filebrowser';
import type { Contents } from '@jupyterlab/services';

import { oneLine } from '../core/io/errors.js';
import { REFERENCE_EXTENSIONS, referencesFromTexts } from '../core/io/references-read.js';
import { parseSpectrumText } from '../core/io/references-text.js';
import { serializeSvg, svgToPng } from '../views/shared/figure.js';
import type { PhaseMapResult } from '../core/model/result.js';
import type { ExportableViewId, IWorkbenchActions } from '../views/shared/actions.js';
import type { WorkbenchPanel } from '../views/workbench-panel.js';
import { commandLine } from './commandline.js';
import { fractionsCsv, spectraCsv } from './csv.js';
import { freePath, saveBytes, saveText } from './export.js';
import type { WorkbenchModel } from './model.js';
import { demoReferenceSet, readReferenceFiles, readText } from './references.js';

function isReferenceFile(name: string): boolean {
  const lower = name.toLowerCase();
  return REFERENCE_EXTENSIONS.some(ext => lower.endsWith(ext));
}

/** What the actions act on: a stack document (document.ts), as far as they use it. */
export interface ActionTarget {
  readonly context: { readonly path: string };
  readonly model: WorkbenchModel;
  readonly content: WorkbenchPanel;
  run(): Promise<PhaseMapResult>;
  writeResult(): Promise<ArrayBuffer>;
}

export interface ActionServices {
  contents: Contents.IManager;
  docManager: IDocumentManager;
}

export class WorkbenchActions implements IWorkbenchActions {
  constructor(
    private readonly _doc: () => ActionTarget,
    private readonly _services: ActionServices
  ) {}

  readonly referenceFileTypes: readonly string[] = REFERENCE_EXTENSIONS;

  run(): void {
    const doc = this._doc();
    if (doc.model.stack && !doc.model.references) {
      doc.model.setReferencesError(
        'Load reference spectra before running: a phase map needs at least two references.'
      );
      doc.content.showView('references');
      return;
    }
    // a failed or cancelled run is shown by the workbench (run bar), the previous result kept
    doc.run().catch(() => undefined);
  }

  cancel(): void {
    this._doc().model.cancel();
  }

  loadReferencesFromServer(): void {
    void this._pickReferences();
  }

  loadReferencesFiles(files: File[]): void {
    const model = this._doc().model;
    Promise.all(files.map(async f => ({ name: f.name, text: await f.text() })))
      .then(texts => model.setReferences(referencesFromTexts(texts)))
      .catch(err => model.setReferencesError(oneLine(err)));
  }

  loadI0Spectrum(): void {
    void this._pickI0();
  }

  loadDemoReferences(): void {
    this._doc().model.setReferences(demoReferenceSet());
  }

  exportView(view: ExportableViewId, format: 'png' | 'svg'): void {
    void this.exportViewTo(view, format);
  }

  /** Export a view; resolves with the saved path (null when there was nothing to export). */
  async exportViewTo(view: ExportableViewId, format: 'png' | 'svg'): Promise<string | null> {
    const doc = this._doc();
    try {
      const svg = doc.content.view(view).exportSvg();
      if (!svg) {
        Notification.warning(`Nothing to export in ${view} yet.`, { autoClose: 4000 });
        return null;
      }
      const path = await freePath(this._services.contents, doc.context.path, view, format);
      if (format === 'svg') {
        await saveText(this._services.contents, path, serializeSvg(svg));
      } else {
        await saveBytes(this._services.contents, path, await svgToPng(svg, 2));
      }
      Notification.success(`Saved ${path}`, { autoClose: 4000 });
      return path;
    } catch (err) {
      Notification.error(`Export failed: ${oneLine(err)}`, { autoClose: false });
      return null;
    }
  }

  exportCsv(kind: 'fractions' | 'spectra'): void {
    void this.exportCsvTo(kind);
  }

  async exportCsvTo(kind: 'fractions' | 'spectra'): Promise<string | null> {
    const doc = this._doc();
    const model = doc.model;
    try {
      let text: string;
      if (kind === 'fractions') {
        if (!model.result) {
          throw new Error('no result yet: run the pipeline first');
        }
        text = fractionsCsv(doc.context.path, model.result);
      } else {
        const stack = model.prepared?.stack ?? model.stack;
        if (!stack) {
          throw new Error('no stack loaded');
        }
        const ne = stack.energies.length;
        const spectra = doc.content.spectrum.series
          .filter(s => s.x.length === ne && s.y.length === ne && s.x[0] === stack.energies[0])
          .map(s => ({ name: s.name, values: s.y }));
        text = spectraCsv(stack.energies, spectra);
      }
      const path = await freePath(this._services.contents, doc.context.path, kind, 'csv');
      await saveText(this._services.contents, path, text);
      Notification.success(`Saved ${path}`, { autoClose: 4000 });
      return path;
    } catch (err) {
      Notification.error(`Export failed: ${oneLine(err)}`, { autoClose: false });
      return null;
    }
  }

  exportResult(): void {
    void this.exportResultTo();
  }

  async exportResultTo(): Promise<string | null> {
    const doc = this._doc();
    try {
      const bytes = await doc.writeResult();
      const path = await freePath(this._services.contents, doc.context.path, 'phasemap', 'h5');
      await saveBytes(this._services.contents, path, bytes);
      Notification.success(`Saved ${path}`, { autoClose: 4000 });
      return path;
    } catch (err) {
      Notification.error(`Export failed: ${oneLine(err)}`, { autoClose: false });
      return null;
    }
  }

  copyCommandLine(): void {
    this.copyCommandLineText();
  }

  /**
   * Put `stxm-phasemap map …` for this workbench's stack, references and
   * parameters on the clipboard; returns the text (null without a stack).
   */
  copyCommandLineText(): string | null {
    const doc = this._doc();
    const model = doc.model;
    if (!model.stack) {
      Notification.warning('No stack loaded yet.', { autoClose: 4000 });
      return null;
    }
    const text = commandLine({
      stackPath: doc.context.path,
      serverRoot: PageConfig.getOption('serverRoot') || null,
      references: model.referencesOrigin,
      params: model.params
    });
    Clipboard.copyToSystem(text);
    const lines = text.trimEnd().split('\n');
    const notes = lines.length - 1;
    Notification.info(
      `Copied to the clipboard: ${lines[lines.length - 1]}` +
        (notes ? ` (and ${notes} note${notes > 1 ? 's' : ''} as # comments)` : ''),
      { autoClose: 8000 }
    );
    return text;
  }

  saveParameters(): void {
    void this.saveParametersTo();
  }

  /**
   * Save the complete parameters as JSON next to the stack (`<stem>_parameters.json`,
   * never overwriting), the form `stxm-phasemap map --params FILE.json` reads.
   */
  async saveParametersTo(): Promise<string | null> {
    const doc = this._doc();
    try {
      const text = `${JSON.stringify(doc.model.params, null, 2)}\n`;
      const path = await freePath(this._services.contents, doc.context.path, 'parameters', 'json');
      await saveText(this._services.contents, path, text);
      Notification.success(
        `Saved the parameters to ${path} (stxm-phasemap map … --params ${PathExt.basename(path)})`,
        { autoClose: 6000 }
      );
      return path;
    } catch (err) {
      Notification.error(`Saving the parameters failed: ${oneLine(err)}`, { autoClose: false });
      return null;
    }
  }

  private async _pickReferences(): Promise<void> {
    const doc = this._doc();
    const picked = await FileDialog.getOpenFiles({
      manager: this._services.docManager,
      title: 'Load reference spectra (CSV or two-column text; several files are combined)',
      filter: m => (m.type === 'directory' || isReferenceFile(m.name) ? {} : null),
      defaultPath: PathExt.dirname(doc.context.path)
    });
    const items = (picked.value ?? []).filter(i => i.type !== 'directory');
    if (items.length) {
      await this.loadReferencesPath(items.map(i => i.path));
    }
  }

  private async _pickI0(): Promise<void> {
    const doc = this._doc();
    const picked = await FileDialog.getOpenFiles({
      manager: this._services.docManager,
      title: 'Measured I0 spectrum (two columns: energy in eV, I0 counts)',
      filter: m => (m.type === 'directory' || isReferenceFile(m.name) ? {} : null),
      defaultPath: PathExt.dirname(doc.context.path)
    });
    const item = (picked.value ?? []).find(i => i.type !== 'directory');
    if (item) {
      await this.loadI0Path(item.path);
    }
  }

  /** Use a measured I0 spectrum (two-column text on the server) for the optical density. */
  async loadI0Path(path: string): Promise<boolean> {
    const doc = this._doc();
    try {
      const text = await readText(this._services.contents, path);
      const s = parseSpectrumText(text, PathExt.basename(path))[0];
      doc.model.setParams({
        preprocess: {
          i0: {
            mode: 'spectrum',
            energies: Array.from(s.energies),
            values: Array.from(s.values),
            source: PathExt.basename(path)
          }
        }
      });
      return true;
    } catch (err) {
      Notification.error(`I0 spectrum: ${oneLine(err)}`, { autoClose: false });
      return false;
    }
  }

  /** Load reference files from the server into this workbench (several are combined). */
  async loadReferencesPath(paths: string | string[]): Promise<boolean> {
    const model = this._doc().model;
    const list = typeof paths === 'string' ? [paths] : paths;
    try {
      model.setReferences(await readReferenceFiles(this._services.contents, list), {
        files: list
      });
      return true;
    } catch (err) {
      model.setReferencesError(oneLine(err));
      return false;
    }
  }
}
