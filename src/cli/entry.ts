/**
 * The command line as one program: the entry of the single-file engine bundle
 * that the Python wheel carries (`npm run build:engine`, scripts/build-engine.mjs)
 * and of the child processes `batch` starts. `bin/stxm-phasemap` does the same
 * from lib/.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
