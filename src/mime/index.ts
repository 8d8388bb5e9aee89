/**
 * The mime-renderer extension: a phase-map result displayed by Python
 * (`application/vnd.stxm-phasemap.v1+json`) is drawn interactively in
 * notebooks. Safe for untrusted notebooks: the payload is validated and
 * rendered without HTML or script from the data.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { MIME_TYPE } from './payload.js';
import { PhaseMapView } from './widget.js';

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  // Preferred over the bundle's image/png (rank 90) and text/plain (120).
  defaultRank: 20,
  createRenderer: options => new PhaseMapView(options)
};

const extension: IRenderMime.IExtension = {
  id: 'stxm-phasemap:mime',
  description: 'Interactive phase maps in notebook outputs.',
  rendererFactory,
  rank: 20,
  dataType: 'json'
};

export default extension;
