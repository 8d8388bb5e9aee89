/**
 * The `stxm-phasemap` command line: the TypeScript core, headless, for batch
 * work and benchmarks.
 *
 * Exit status: 0 success; 2 a file it cannot use or wrong arguments (one-line
 * reason on stderr); 1 an internal error.
 */
import { PreprocessError, ReferenceSetError, StackReadError, oneLine } from '../core/index.js';
import { batchCommand } from './batch.js';
import { infoCommand } from './info.js';
import { mapCommand } from './map.js';
import { parameterHelp } from './params.js';
import { planCommand } from './plan.js';
import { simulateCommand } from './simulate.js';
import { EXTENSION_VERSION } from '../version.js';
import { UsageError, nodeIO, type CommandIO } from './io.js';

const USAGE_TEMPLATE = `usage: stxm-phasemap <command> [options]

commands:
  info FILE [--json] [--frames] [--entry NAME] [--channel NAME] [--energies FILE]
                       format, dialect, scan type, shape (energies, y, x),
                       energy range, pixel size and value type of a scan file:
                       NXstxm (.h5 .hdf5 .nxs .stxm), aXis2000 .hdr (+ .xim
                       beside it), multi-page TIFF (+ energy list); --entry
                       picks an ALS entry or aXis2000 region. An HDF5 file's
                       data are not read: --frames reads them to list NaN and
                       empty frames
  map FILE --refs REFS.csv [--out RESULT.h5] [--json] [--quiet] [parameters]
                       the whole pipeline: optical density, alignment and
                       energy calibration decided from the data, Pearson maps,
                       ambiguity, resolution; progress and warnings on
                       stderr, a summary on stdout; the result as NeXus/HDF5
                       with --out. Parameters (all optional):
\${PARAMETERS}
  batch FILES… | --manifest M.csv --refs REFS.csv --out DIR [--jobs N] [--force]
        [--x COLUMN] [--json] [--quiet] [parameters]
                       map many stacks: DIR/NAME.h5 per stack (its record
                       NAME.json beside it), DIR/summary.csv (one row per
                       stack: fractions, counts, warnings, timings, error)
                       and DIR/summary.svg (fractions per stack, against
                       --x or the manifest's first numeric column); the
                       manifest's columns: file, refs, name, any other is
                       carried to the table. A stack that fails gives its
                       error row, the others go on (exit 2 at the end); a
                       re-run keeps results made with the same parameters
                       and inputs (--force maps again). --jobs: processes
                       (default: one per core)
  simulate --out FILE [--seed N] [--json]
                       write the built-in demo stack (an NVPF particle,
                       Na3 core / Na1 shell, 12 energies) as NXstxm
  simulate --out FILE --soc S [--seed N] [--size 48x64] [--refs REFS.csv] [--truth TRUTH.h5]
                       a two-phase NVPF particle (Na3 core, Na1 shell) at state
                       of charge S (the Na1 share, 0…1), for series
  simulate --out FILE --scenario NAME | --material nvpf|lfp|carbon
           [--morphology core-shell|grains|particles] [--size 64x64]
           [--pixel-nm 30] [--energies hand:N|planned:N|uniform:N|E1,E2,…]
           [--i0 2000] [--drift PX] [--energy-offset EV] [--mismatch 1]
           [--band PX] [--missing-phase NAME] [--refs REFS.csv] [--truth TRUTH.h5]
                       the general simulator; --list-scenarios names the
                       benchmark's stacks
  plan --refs REFS.csv -n N [--range LO:HI] [--min-spacing EV] [--include E,…] [--json]
                       the N energies that best separate the reference phases

options:
  -h, --help           show this help
  -V, --version        show the version`;

const USAGE = USAGE_TEMPLATE.replace('${PARAMETERS}', parameterHelp('      '));

const COMMANDS: Record<string, (args: string[], io: CommandIO) => Promise<number>> = {
  batch: batchCommand,
  info: infoCommand,
  map: mapCommand,
  plan: planCommand,
  simulate: simulateCommand
};

/** The package version (src/version.ts, kept equal to package.json's by a test). */
export const VERSION: string = EXTENSION_VERSION;

export async function main(argv: string[], io: CommandIO = nodeIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-V' || command === '--version') {
    io.out(VERSION);
    return 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run) {
      throw new UsageError(`unknown command "${command}"`);
    }
    if (rest.includes('-h') || rest.includes('--help')) {
      io.out(USAGE);
      return 0;
    }
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(
        `stxm-phasemap: ${err.message}\n(stxm-phasemap --help lists the commands and options)`
      );
      return 2;
    }
    if (
      err instanceof StackReadError ||
      err instanceof PreprocessError ||
      err instanceof ReferenceSetError
    ) {
      io.err(`stxm-phasemap: ${oneLine(err)}`);
      return 2;
    }
    io.err(`stxm-phasemap: internal error: ${oneLine(err)}`);
    return 1;
  }
}
