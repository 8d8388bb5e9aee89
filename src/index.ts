import commPlugin from './lab/comm-plugin.js';
import workbenchPlugin from './lab/plugin.js';

export default [workbenchPlugin, commPlugin];
