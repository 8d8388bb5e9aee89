/**
 * Galata (Playwright) configuration for the STXM PhaseMap UI tests.
 *
 * Offline setup (see /work/shared/TOOLCHAIN.md): Playwright's own browsers are
 * never downloaded; the tests drive Debian's Chromium (CHROMIUM_PATH).
 * The JupyterLab server comes from the repository's venv (../.venv) when it
 * exists, otherwise from PATH (override with JUPYTER=/path/to/jupyter).
 */
const fs = require('fs');
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const port = Number(process.env.STXM_UI_PORT || 8877);
const baseURL = `http://localhost:${port}`;
const venvJupyter = path.resolve(__dirname, '..', '.venv', 'bin', 'jupyter');
const jupyter = process.env.JUPYTER || (fs.existsSync(venvJupyter) ? venvJupyter : 'jupyter');

module.exports = {
  ...baseConfig,
  testDir: './tests',
  outputDir: './test-results',
  workers: 1,
  fullyParallel: false,
  // No retries: a flaky test is a failing test here.
  retries: 0,
  timeout: 120 * 1000,
  expect: { timeout: 30 * 1000 },
  // The JSON report feeds the failure summary `make test-ui` prints last (summarise-failures.mjs),
  // so that a CI log's tail names the failing tests rather than the server's log. It sits outside
  // playwright-report/, which the HTML reporter empties when it writes.
  reporter: [
    ['list'],
    ['html', { open: 'never' }],
    ['json', { outputFile: 'playwright-results.json' }]
  ],
  use: {
    ...baseConfig.use,
    baseURL,
    actionTimeout: 30 * 1000,
    navigationTimeout: 60 * 1000,
    screenshot: 'only-on-failure',
    trace: 'off',
    // Video recording needs Playwright's ffmpeg download, which is not available offline.
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    }
  },
  webServer: {
    // The server's log goes to .jupyter-test-root/server.log (git-ignored), not the test output.
    // With the repository's venv, the server runs with only the venv's bin/ on PATH: no
    // Node.js, as for a user who pip-installed the prebuilt extension (comm.spec.ts checks).
    command:
      'mkdir -p .jupyter-test-root && ' +
      (jupyter === venvJupyter ? `PATH="${path.dirname(venvJupyter)}" ` : '') +
      `exec "${jupyter}" lab --config jupyter_server_test_config.py > .jupyter-test-root/server.log 2>&1`,
    url: `${baseURL}/lab`,
    env: { ...process.env, STXM_UI_PORT: String(port) },
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe'
  }
};
