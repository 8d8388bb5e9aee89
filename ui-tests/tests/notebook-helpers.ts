/**
 * Helpers for tests that drive Python in a notebook through the comm.
 */
import * as path from 'path';

import { expect, type IJupyterLabPageFixture } from '@jupyterlab/galata';

/**
 * Run `source` in cell 0 and return its text output, failing on a Python error.
 * Always cell 0: "run" advances and may insert cells below, and the kernel keeps
 * its state between runs anyway.
 */
export async function runInCell0(
  page: IJupyterLabPageFixture,
  source: string,
  timeout = 120_000
): Promise<string> {
  await page.notebook.setCell(0, 'code', source);
  await runCell(page, 0, timeout);
  const output = ((await page.notebook.getCellTextOutput(0)) ?? []).join('\n');
  expect(output, `cell (${source}) raised`).not.toMatch(/Traceback|Error/);
  return output;
}

/** Run a cell and wait up to `timeout` ms for it to finish (Galata's own wait stops at 30 s). */
export async function runCell(
  page: IJupyterLabPageFixture,
  index: number,
  timeout = 120_000
): Promise<void> {
  expect(await page.notebook.runCell(index, { wait: false })).toBe(true);
  await expect
    .poll(
      async () =>
        page.evaluate(
          i =>
            (
              window as unknown as { galata: { haveBeenExecuted(i: number): boolean } }
            ).galata.haveBeenExecuted(i),
          index
        ),
      { timeout, intervals: [100, 250, 500] }
    )
    .toBe(true);
}

/** The last line of output that parses as JSON. */
export function lastJson(output: string): Record<string, unknown> {
  const lines = output.split('\n').filter(l => l.trim().startsWith('{'));
  expect(lines.length, `no JSON line in output: ${output}`).toBeGreaterThan(0);
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/** Upload ui-tests/tests/<name> next to the notebooks. */
export async function uploadHelper(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<void> {
  expect(await page.contents.uploadFile(path.join(__dirname, name), `${tmpPath}/${name}`)).toBe(
    true
  );
}

/** Run a JupyterLab command in the page (the app is exposed in test servers). */
export async function execute(
  page: IJupyterLabPageFixture,
  command: string,
  args: Record<string, unknown> = {}
): Promise<void> {
  await page.evaluate(
    async ({ command, args }) => {
      await (
        window as unknown as {
          jupyterapp: { commands: { execute(c: string, a: unknown): Promise<unknown> } };
        }
      ).jupyterapp.commands.execute(command, args);
    },
    { command, args }
  );
}

/**
 * Execute code in the kernel of the current notebook panel through its own
 * kernel connection (what running a cell does, without Galata's cell helpers)
 * and return its stdout; fails on an error.
 */
export async function executeInKernel(page: IJupyterLabPageFixture, code: string): Promise<string> {
  const result = await page.evaluate(async code => {
    type Msg = {
      header: { msg_type: string };
      content: { name?: string; text?: string; ename?: string; evalue?: string };
    };
    const app = (
      window as unknown as {
        jupyterapp: {
          shell: {
            currentWidget: {
              sessionContext: {
                ready: Promise<void>;
                session: {
                  kernel: {
                    requestExecute(c: { code: string }): {
                      onIOPub: (m: Msg) => void;
                      done: Promise<unknown>;
                    };
                  };
                };
              };
            };
          };
        };
      }
    ).jupyterapp;
    const context = app.shell.currentWidget.sessionContext;
    await context.ready;
    const future = context.session.kernel.requestExecute({ code });
    let out = '';
    let error = '';
    future.onIOPub = (msg: Msg) => {
      if (msg.header.msg_type === 'stream') {
        out += msg.content.text ?? '';
      } else if (msg.header.msg_type === 'error') {
        error = `${msg.content.ename}: ${msg.content.evalue}`;
      }
    };
    await future.done;
    return { out, error };
  }, code);
  expect(result.error, `kernel raised running: ${code}`).toBe('');
  return result.out;
}
