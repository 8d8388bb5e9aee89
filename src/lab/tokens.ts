import type { IWidgetTracker } from '@jupyterlab/apputils';
import { Token } from '@lumino/coreutils';

import type { StxmDocument } from './document.js';

/** Tracks every open STXM stack document (its content the workbench panel, its `model` the workbench model). */
export type IStxmTracker = IWidgetTracker<StxmDocument>;
export const IStxmTracker = new Token<IStxmTracker>(
  'stxm-phasemap:IStxmTracker',
  'The open STXM PhaseMap workbenches.'
);

export const PLUGIN_ID = 'stxm-phasemap:plugin';
export const FACTORY_NAME = 'STXM PhaseMap';
export const FILE_TYPE = 'stxm-nexus';
export const AXIS2000_FILE_TYPE = 'stxm-axis2000';

export namespace CommandIDs {
  export const open = 'stxm-phasemap:open';
  export const openDemo = 'stxm-phasemap:open-demo';
  export const run = 'stxm-phasemap:run';
  export const cancel = 'stxm-phasemap:cancel';
  export const loadReferences = 'stxm-phasemap:load-references';
  export const demoReferences = 'stxm-phasemap:demo-references';
  export const exportPng = 'stxm-phasemap:export-png';
  export const exportSvg = 'stxm-phasemap:export-svg';
  export const exportResult = 'stxm-phasemap:export-result';
  export const exportFractions = 'stxm-phasemap:export-fractions';
  export const exportSpectra = 'stxm-phasemap:export-spectra';
  export const setThreshold = 'stxm-phasemap:set-threshold';
  export const showView = 'stxm-phasemap:show-view';
  export const openComparison = 'stxm-phasemap:open-comparison';
  export const copyCommandLine = 'stxm-phasemap:copy-command-line';
  export const saveParameters = 'stxm-phasemap:save-parameters';
}

/** Namespace of the comparison view in the layout restorer. */
export const COMPARISON_NAMESPACE = 'stxm-phasemap-comparison';
