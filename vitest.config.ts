import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'bench/**/*.spec.mjs'],
    environment: 'node',
    testTimeout: 30_000,
    globalSetup: ['./src/test-setup/build-cli.ts']
  }
});
