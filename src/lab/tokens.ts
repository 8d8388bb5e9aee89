import type { IWidgetTracker } from '@jupyterlab/apputils';
import { Token } from '@lumino/coreutils';

import type { StxmDocument } from './document.js';

/** Tracks every open STXM workbench (document panel). */
export type IStxmTracker = IWidgetTracker<StxmDocument>;
export const IStxmTracker = new Token<IStxmTracker>(
  'stxm-phasemap:IStxmTracker',
  'The open STXM PhaseMap workbenches.'
);

export const PLUGIN_ID = 'stxm-phasemap:plugin';
export const FACTORY_NAME = 'STXM PhaseMap';
export const MODEL_NAME = 'stxm-phasemap-nocontent';
export const FILE_TYPE = 'stxm-nexus';

export namespace CommandIDs {
  export const open = 'stxm-phasemap:open';
  export const openDemo = 'stxm-phasemap:open-demo';
}
