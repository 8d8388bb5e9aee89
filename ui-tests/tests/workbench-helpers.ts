/**
 * Helpers for the workbench Galata tests: open simulated demo stacks, run the
 * pipeline from the Run button, switch tabs, read exported files back.
 */
import { expect, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { waitForStatus } from './helpers';

export const VIEWPORT = { width: 1500, height: 950 };

export interface DemoOptions {
  name?: string;
  seed?: number;
  ny?: number;
  nx?: number;
  /** Core–shell front radius (fraction of the particle): smaller = more charged. */
  front?: number;
  /** A configuration of the engine's simulator (material, morphology, i0, …) instead. */
  sample?: { [key: string]: string | number | boolean };
}

/** Write a simulated stack (and its references CSV) into `dir` and open it; returns its view. */
export async function openDemo(
  page: IJupyterLabPageFixture,
  dir: string,
  options: DemoOptions = {}
): Promise<Locator> {
  const name = options.name ?? 'stxm-demo.h5';
  const path = await page.evaluate(
    async ({ dir, options }) =>
      (await window.jupyterapp.commands.execute('stxm-phasemap:open-demo', {
        dir,
        ...options
      })) as string | null,
    { dir, options: { ...options, name } }
  );
  expect(path, 'the demo command failed').toBe(`${dir}/${name}`);
  const panel = await page.activity.getPanelLocator(name);
  expect(panel, `no panel for ${name}`).not.toBeNull();
  const view = panel!.locator('.jp-STXMView');
  await waitForStatus(view, 'ready', 90_000);
  return view;
}

/** Click Run and wait for the run to end; fails with the run bar's text when it failed. */
export async function runAndWait(view: Locator, timeout = 120_000): Promise<void> {
  const run = view.locator('button.jp-STXMRunBar-run');
  await expect(run).toBeEnabled();
  await run.click();
  await expect(view).toHaveAttribute('data-run-state', /^(done|failed|cancelled)$/, { timeout });
  const state = await view.getAttribute('data-run-state');
  if (state !== 'done') {
    const text = await view.locator('.jp-STXMRunBar-status').textContent();
    throw new Error(`run ended ${state}: ${text}`);
  }
}

/** Bring a tab of the workbench to the front. */
export async function showTab(view: Locator, label: string): Promise<void> {
  await view.locator('.jp-STXMTabs .lm-TabBar-tab', { hasText: label }).click();
}

/** Bytes of a file on the server (contents API, base64). */
export async function serverFile(page: IJupyterLabPageFixture, path: string): Promise<Buffer> {
  const b64 = await page.evaluate(async p => {
    const model = await window.jupyterapp.serviceManager.contents.get(p, {
      content: true,
      format: 'base64',
      type: 'file'
    });
    return model.content as string;
  }, path);
  return Buffer.from(b64.replace(/\s/g, ''), 'base64');
}

/** Text of a file on the server. */
export async function serverText(page: IJupyterLabPageFixture, path: string): Promise<string> {
  return (await serverFile(page, path)).toString('utf8');
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), 'not a PNG file').toBe(true);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}
