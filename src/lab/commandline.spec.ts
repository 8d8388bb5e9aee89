import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { DEFAULT_PARAMS, withDefaults } from '../core/model/params.js';
import { commandLine, localPath, shellWord, type ReferencesOrigin } from './commandline.js';

const csv = (files: string[], edited = false): ReferencesOrigin => ({
  files,
  edited,
  source: files.join(', ')
});

/** What a POSIX shell makes of a word (sh's printf prints each argument on a line). */
function throughTheShell(word: string): string {
  const out = spawnSync('sh', ['-c', `printf '%s\\n' ${word}`], { encoding: 'utf8' });
  return out.stdout.replace(/\n$/, '');
}

describe('the run as a command line', () => {
  it('gives the stack and the references file under the server root, and only changed options', () => {
    const text = commandLine({
      stackPath: 'data/particle 7.h5',
      serverRoot: '/home/me/beamtime',
      references: csv(['data/refs.csv']),
      params: withDefaults({ method: 'pcc', preprocess: { align: false, energyShift: -0.25 } })
    });
    expect(text).toBe(
      "stxm-phasemap map '/home/me/beamtime/data/particle 7.h5' --refs /home/me/beamtime/data/refs.csv " +
        '--method pcc --align off --energy-shift=-0.25\n'
    );
    expect(
      commandLine({
        stackPath: 's.h5',
        serverRoot: null,
        references: csv(['r.csv']),
        params: DEFAULT_PARAMS
      })
    ).toBe('stxm-phasemap map s.h5 --refs r.csv\n');
  });

  it('says what it cannot carry in comments instead of inventing a path', () => {
    const demo = commandLine({
      stackPath: 's.h5',
      serverRoot: '/srv',
      references: { files: [], edited: false, source: 'simulator model spectra (NVPF)' },
      params: withDefaults({
        preprocess: { i0: { mode: 'spectrum', values: [1, 2], source: 'i0.txt' } }
      })
    }).split('\n');
    expect(demo[0]).toMatch(
      /^# the references in use have no file \(simulator model spectra \(NVPF\)\)/
    );
    expect(demo[1]).toMatch(/^# --i0: a measured I0 spectrum \(i0\.txt\): --i0 takes its file$/);
    expect(demo[2]).toBe('stxm-phasemap map /srv/s.h5 --refs REFERENCES.csv');
    const texts = commandLine({
      stackPath: 's.h5',
      serverRoot: '/srv',
      references: csv(['a.txt', 'b.txt']),
      params: DEFAULT_PARAMS
    });
    expect(texts).toMatch(/^# the references were read from a\.txt, b\.txt; --refs reads one/);
    const edited = commandLine({
      stackPath: 's.h5',
      serverRoot: '/srv',
      references: csv(['r.csv'], true),
      params: DEFAULT_PARAMS
    });
    expect(edited).toMatch(/^# the references were renamed or removed in the workbench/);
    expect(edited).toMatch(/--refs \/srv\/r\.csv\n$/);
    const none = commandLine({
      stackPath: 's.h5',
      serverRoot: null,
      references: null,
      params: DEFAULT_PARAMS
    });
    expect(none).toMatch(/^# no reference spectra are set/);
  });

  it('quotes every word so that a shell gives it back as it was', () => {
    for (const word of [
      "it's",
      'a b',
      '$(rm -rf x)',
      '`x`',
      'é ü',
      '"q"',
      'back\\slash',
      'plain.h5',
      '*.h5',
      ''
    ]) {
      expect(throughTheShell(shellWord(word)), word).toBe(word);
    }
    expect(shellWord('~/data/a b.h5')).toBe("~/'data/a b.h5'");
    expect(localPath('/x/y.h5', '/srv/')).toBe('/srv/x/y.h5');
    expect(localPath('x/y.h5', '/')).toBe('/x/y.h5');
  });

  it('keeps a file name with a line break on its comment line', () => {
    const text = commandLine({
      stackPath: 's.h5',
      serverRoot: null,
      references: csv(['a\nrm -rf x.txt']),
      params: DEFAULT_PARAMS
    });
    expect(text.split('\n').filter(l => l !== '' && !l.startsWith('#'))).toEqual([
      'stxm-phasemap map s.h5 --refs REFERENCES.csv'
    ]);
  });
});
