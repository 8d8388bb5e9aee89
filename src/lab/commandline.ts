/**
 * A workbench's run as a command line: `stxm-phasemap map STACK --refs REFS
 * [--option value …]` with only the parameters that differ from the
 * defaults, so the same run can be repeated in a shell, a batch script or on
 * a cluster. What a command line cannot carry is said in `#` comment lines
 * above it — references without a file (demo model spectra, uploaded,
 * edited in the workbench, several files combined), an I0 spectrum — never
 * an invented path. Pure: no JupyterLab.
 */
import { commandLineOptions } from '../core/model/param-format.js';
import type { PipelineParams } from '../core/model/params.js';

/** Where the workbench's references came from. */
export interface ReferencesOrigin {
  /** Server paths of the files they were read from, in order (none: no file). */
  files: readonly string[];
  /** Renamed or removed in the workbench since they were read. */
  edited: boolean;
  /** The set's own description (file names, "simulator model spectra …"). */
  source: string;
}

export interface CommandLineInput {
  /** The stack's path on the server (relative to its root). */
  stackPath: string;
  /** The server's root folder (absolute, or `~/…`), when known: paths are made absolute. */
  serverRoot: string | null;
  references: ReferencesOrigin | null;
  params: PipelineParams;
}

/** Characters a POSIX shell takes literally without quotes. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for a POSIX shell: as it is when safe, else in single quotes; `~/` stays unquoted. */
export function shellWord(word: string): string {
  if (word.startsWith('~/')) {
    return `~/${word.length > 2 ? shellWord(word.slice(2)) : ''}`;
  }
  return word !== '' && SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A server path on the machine of the server: under its root folder when that is known. */
export function localPath(serverPath: string, serverRoot: string | null): string {
  const rel = serverPath.replace(/^\/+/, '');
  if (!serverRoot) {
    return rel;
  }
  const root = serverRoot.replace(/\/+$/, '');
  return root === '' ? `/${rel}` : `${root}/${rel}`;
}

/** True for a file the command line's `--refs` reads (the references CSV of DESIGN.md §3). */
function isReferenceCsv(path: string): boolean {
  return /\.(csv|tsv)$/i.test(path);
}

const PLACEHOLDER = 'REFERENCES.csv';

/** The command line, with `#` comments first for anything it cannot carry. */
export function commandLine(input: CommandLineInput): string {
  const notes: string[] = [];
  const refs = input.references;
  let refsWord = PLACEHOLDER;
  if (!refs) {
    notes.push('no reference spectra are set: give a references CSV (DESIGN.md §3)');
  } else if (refs.files.length === 0) {
    notes.push(
      `the references in use have no file (${refs.source}): save them as a references CSV ` +
        `(DESIGN.md §3) and give it as ${PLACEHOLDER}`
    );
  } else if (refs.files.length > 1 || !isReferenceCsv(refs.files[0])) {
    notes.push(
      `the references were read from ${refs.files.join(', ')}; --refs reads one references ` +
        `CSV (DESIGN.md §3): combine them into ${PLACEHOLDER}`
    );
  } else {
    refsWord = shellWord(localPath(refs.files[0], input.serverRoot));
    if (refs.edited) {
      notes.push(
        `the references were renamed or removed in the workbench since they were read ` +
          `from ${refs.files[0]}: the file gives the phases as it has them`
      );
    }
  }
  const { args, omitted } = commandLineOptions(input.params);
  for (const o of omitted) {
    notes.push(`--${o.cli}: ${o.reason}`);
  }
  const words = [
    'stxm-phasemap',
    'map',
    shellWord(localPath(input.stackPath, input.serverRoot)),
    '--refs',
    refsWord,
    ...args.map(a => (a.startsWith('--') ? a : shellWord(a)))
  ];
  return [...notes.map(n => `# ${oneLine(n)}`), words.join(' ')].join('\n') + '\n';
}

/** Comment text on one line (a file name with a line break cannot end the comment). */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
