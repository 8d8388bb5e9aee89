import plugins from './lab/plugin.js';

export default plugins;
