/**
 * Commands: open a stack through a file dialog; make + open a simulated demo
 * stack with its references CSV beside it; and, on the current workbench, run,
 * cancel, load references, move τ, show a view, export (PNG/SVG of a view,
 * NeXus result, CSV), copy the run as a command line, save the parameters,
 * and open the comparison view.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { FileDialog, type IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { oneLine } from '../core/io/errors.js';
import { ALL_STACK_EXTENSIONS } from '../core/io/index.js';
import { DEMO_SAMPLE } from '../core/simulate/demo-sample.js';
import type { SampleConfig } from '../core/simulate/sample.js';
import type { ExportableViewId } from '../views/shared/actions.js';
import type { AnalysisWorkerClient } from '../worker/client.js';
import type { ComparisonManager } from './comparison.js';
import { saveText } from './export.js';
import { bytesToBase64 } from './base64.js';
import { companionReferencesPath, demoReferenceCsv, fileExists } from './references.js';
import { CommandIDs, FACTORY_NAME, type IStxmTracker } from './tokens.js';

export const DEMO_FILE = 'stxm-demo.h5';

const VIEW_IDS: readonly ExportableViewId[] = [
  'image',
  'spectrum',
  'references',
  'preprocess',
  'maps',
  'latent',
  'training'
];

function num(args: ReadonlyPartialJSONObject, key: string): number | undefined {
  const v = args[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * The simulator configuration of a command's `sample` argument: known keys of
 * the right type only (the engine's simulator checks the values).
 */
export function sampleArg(v: unknown): Partial<SampleConfig> | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return null;
  }
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['material', 'morphology']) {
    if (typeof o[k] === 'string') {
      out[k] = o[k];
    }
  }
  for (const k of [
    'seed',
    'ny',
    'nx',
    'pixelUm',
    'i0',
    'driftPx',
    'energyOffsetEv',
    'mismatch',
    'bandPx',
    'ringDecay'
  ]) {
    if (typeof o[k] === 'number' && Number.isFinite(o[k])) {
      out[k] = o[k];
    }
  }
  for (const k of ['energies', 'samplePhases', 'referencePhases']) {
    const a = o[k];
    if (
      Array.isArray(a) &&
      a.length > 0 &&
      a.every(x => typeof x === 'number' && Number.isFinite(x))
    ) {
      out[k] = a;
    }
  }
  return out;
}

export function addCommands(
  app: JupyterFrontEnd,
  docManager: IDocumentManager,
  worker: AnalysisWorkerClient,
  browser: IDefaultFileBrowser | null,
  tracker: IStxmTracker,
  comparison: ComparisonManager
): void {
  const { commands } = app;
  const contents = app.serviceManager.contents;
  const open = (path: string): void => {
    docManager.openOrReveal(path, FACTORY_NAME);
  };
  const current = () => tracker.currentWidget;
  const hasStack = (): boolean => current()?.model.stack != null;
  const hasResult = (): boolean => current()?.model.result != null;
  const viewArg = (args: ReadonlyPartialJSONObject): ExportableViewId | null => {
    const v = args.view;
    if (typeof v === 'string' && (VIEW_IDS as readonly string[]).includes(v)) {
      return v as ExportableViewId;
    }
    return current()?.content.currentViewId ?? null;
  };

  commands.addCommand(CommandIDs.open, {
    label: 'Open STXM Stack…',
    caption: 'Open an STXM stack file (NeXus/HDF5) in a STXM PhaseMap workbench',
    execute: async () => {
      const result = await FileDialog.getOpenFiles({
        manager: docManager,
        title: 'Open STXM Stack',
        filter: model =>
          model.type === 'directory' ||
          ALL_STACK_EXTENSIONS.some(ext => model.name.toLowerCase().endsWith(ext))
            ? {}
            : null
      });
      for (const item of result.value ?? []) {
        if (item.type !== 'directory') {
          open(item.path);
        }
      }
    }
  });

  commands.addCommand(CommandIDs.openDemo, {
    label: args =>
      typeof args.name === 'string' ? `Open Demo Stack ${args.name}` : 'Open STXM Demo Stack',
    caption:
      'Write the built-in simulated NVPF stack and its references CSV to the current folder and open it',
    execute: async args => {
      const dir = typeof args.dir === 'string' ? args.dir : (browser?.model.path ?? '');
      const name =
        typeof args.name === 'string' && /^[\w.-]+\.h5$/.test(args.name) ? args.name : DEMO_FILE;
      const path = PathExt.join(dir, name);
      try {
        // no argument: the built-in demo stack; seed/front/ny/nx: a core–shell particle at a state of charge
        const legacy = ['seed', 'front', 'ny', 'nx'].some(k => args[k] !== undefined);
        const sample = sampleArg(args.sample) ?? (legacy ? null : DEMO_SAMPLE);
        if (!(await fileExists(contents, path))) {
          if (sample) {
            const { bytes, referencesCsv } = await worker.simulateSample(sample);
            await contents.save(path, {
              type: 'file',
              format: 'base64',
              content: bytesToBase64(bytes)
            });
            await saveText(contents, companionReferencesPath(path), referencesCsv);
          } else {
            const front = num(args, 'front');
            const bytes = await worker.simulateDemo(num(args, 'seed') ?? 1, {
              ny: num(args, 'ny'),
              nx: num(args, 'nx'),
              front: front !== undefined ? Math.min(0.98, Math.max(0.02, front)) : undefined
            });
            await contents.save(path, {
              type: 'file',
              format: 'base64',
              content: bytesToBase64(bytes)
            });
          }
        }
        const refs = companionReferencesPath(path);
        if (!(await fileExists(contents, refs))) {
          await saveText(contents, refs, demoReferenceCsv());
        }
        open(path);
        return path;
      } catch (err) {
        await showErrorMessage('STXM PhaseMap: demo stack', oneLine(err));
        return null;
      }
    }
  });

  commands.addCommand(CommandIDs.run, {
    label: 'Run Phase Mapping',
    caption: 'Run the pipeline on the current stack in a Web Worker',
    isEnabled: () => hasStack() && current()?.model.runState !== 'running',
    execute: args => {
      const doc = current();
      if (!doc) {
        return;
      }
      if (typeof args.epochs === 'number' || typeof args.method === 'string') {
        doc.model.setParams({
          ...(typeof args.method === 'string' ? { method: args.method as 'gmvae' } : {}),
          ...(typeof args.epochs === 'number' ? { gmvae: { epochs: args.epochs } } : {})
        });
      }
      doc.actions.run();
    }
  });

  commands.addCommand(CommandIDs.cancel, {
    label: 'Cancel Phase Mapping',
    caption: 'Stop the run in progress (the previous result is kept)',
    isEnabled: () => current()?.model.runState === 'running',
    execute: () => current()?.model.cancel()
  });

  commands.addCommand(CommandIDs.loadReferences, {
    label: 'Load Reference Spectra…',
    caption: 'Load a references CSV from the file browser into the current workbench',
    isEnabled: () => current() !== null,
    execute: async args => {
      const doc = current();
      if (!doc) {
        return false;
      }
      if (typeof args.path === 'string') {
        return doc.actions.loadReferencesPath(args.path);
      }
      doc.content.showView('references');
      doc.actions.loadReferencesFromServer();
      return true;
    }
  });

  commands.addCommand(CommandIDs.demoReferences, {
    label: 'Use Demo Reference Spectra',
    caption: 'Model NVPF spectra of the simulator (for the demo stacks)',
    isEnabled: () => current() !== null,
    execute: () => current()?.actions.loadDemoReferences()
  });

  commands.addCommand(CommandIDs.setThreshold, {
    label: 'Set Ambiguity Threshold τ',
    isEnabled: () => current() !== null,
    execute: args => {
      const t = num(args, 'threshold');
      if (t !== undefined && t >= 0) {
        current()?.model.setThreshold(t);
      }
    }
  });

  commands.addCommand(CommandIDs.showView, {
    label: args => `Show ${typeof args.view === 'string' ? args.view : 'View'}`,
    isEnabled: () => current() !== null,
    execute: args => {
      const v = viewArg(args);
      if (v) {
        current()?.content.showView(v);
      }
    }
  });

  for (const [id, format] of [
    [CommandIDs.exportPng, 'png'],
    [CommandIDs.exportSvg, 'svg']
  ] as const) {
    commands.addCommand(id, {
      label: `Export Current View as ${format.toUpperCase()}`,
      caption: `Save the current workbench view as ${format.toUpperCase()} next to the stack`,
      isEnabled: () => current() !== null,
      execute: async args => {
        const doc = current();
        const v = viewArg(args);
        return doc && v ? doc.actions.exportViewTo(v, format) : null;
      }
    });
  }

  commands.addCommand(CommandIDs.exportResult, {
    label: 'Export NeXus Result',
    caption: 'Save the result as a NeXus/HDF5 file next to the stack',
    isEnabled: hasResult,
    execute: () => current()?.actions.exportResultTo() ?? null
  });
  commands.addCommand(CommandIDs.exportFractions, {
    label: 'Export Phase Fractions (CSV)',
    isEnabled: hasResult,
    execute: () => current()?.actions.exportCsvTo('fractions') ?? null
  });
  commands.addCommand(CommandIDs.exportSpectra, {
    label: 'Export Spectra on Screen (CSV)',
    isEnabled: hasStack,
    execute: () => current()?.actions.exportCsvTo('spectra') ?? null
  });

  commands.addCommand(CommandIDs.copyCommandLine, {
    label: 'Copy as Command Line',
    caption:
      'Put `stxm-phasemap map STACK --refs REFS [options]` on the clipboard: this workbench’s run, ' +
      'with the parameters that differ from the defaults',
    isEnabled: hasStack,
    execute: () => current()?.actions.copyCommandLineText() ?? null
  });
  commands.addCommand(CommandIDs.saveParameters, {
    label: 'Save Parameters…',
    caption:
      'Save the complete parameters as JSON next to the stack (for stxm-phasemap map --params FILE.json)',
    isEnabled: () => current() !== null,
    execute: () => current()?.actions.saveParametersTo() ?? null
  });

  commands.addCommand(CommandIDs.openComparison, {
    label: 'Compare STXM Stacks',
    caption: 'Final maps of the open stacks side by side, and phase fractions vs state of charge',
    execute: () => {
      comparison.open();
    }
  });

  // keep the enabled state of the palette and menus in step with the workbenches
  const refresh = (): void => commands.notifyCommandChanged();
  tracker.currentChanged.connect(refresh);
  // (what they depend on: a stack, a run under way, a result)
  tracker.widgetAdded.connect((_, doc) => {
    doc.model.stackChanged.connect(refresh);
    doc.model.runStateChanged.connect(refresh);
    doc.model.resultChanged.connect(refresh);
  });
}
