import { readFileSync } from 'node:fs';

import { expect, it } from 'vitest';

import { EXTENSION_VERSION } from './version.js';

it('EXTENSION_VERSION equals package.json version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(EXTENSION_VERSION).toBe(pkg.version);
});
