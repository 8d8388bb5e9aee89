/**
 * Shared helpers for the STXM PhaseMap Galata tests.
 */
import * as fs from 'fs';
import * as path from 'path';

import { expect, type IJupyterLabPageFixture, type JupyterLabPage } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

/** The repository root (ui-tests/..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Folder with the shared real STXM files (never copied into the project). */
export const SHARED_DATA =
  process.env.STXM_SHARED_DATA ?? path.resolve(REPO_ROOT, '..', 'shared', 'data');

export const REAL_STACK_NAME = 'sls_pollux_stack_C-K.hdf5';
export const REAL_STACK = path.join(SHARED_DATA, 'stxm', REAL_STACK_NAME);
export const HAVE_REAL_STACK = fs.existsSync(REAL_STACK);
export const NO_REAL_STACK_MESSAGE =
  `real stack ${REAL_STACK} is absent: set STXM_SHARED_DATA to the folder ` +
  'holding stxm/sls_pollux_stack_C-K.hdf5 (default <repo>/../shared/data)';

/** Where documentation screenshots go. */
export const DOCS_IMAGES = path.join(REPO_ROOT, 'docs', 'images');
/** Screenshot options for the docs: JupyterLab's toasts (e.g. "Saved …") hidden while shooting. */
export const DOC_SHOT = { style: '.Toastify { display: none !important; }' } as const;

/** The STXM view (`.jp-STXMView`) inside the main-area panel whose tab is `name`. */
export async function stackView(page: IJupyterLabPageFixture, name: string): Promise<Locator> {
  const panel = await page.activity.getPanelLocator(name);
  expect(panel, `no main-area panel with a tab named ${name}`).not.toBeNull();
  return panel!.locator('.jp-STXMView');
}

/** Wait until the view reports a final status and assert it is `expected`. */
export async function waitForStatus(
  view: Locator,
  expected: 'ready' | 'error',
  timeout = 60_000
): Promise<void> {
  await expect(view).toHaveCount(1);
  await expect(view).toHaveAttribute('data-status', /^(ready|error)$/, { timeout });
  const status = await view.getAttribute('data-status');
  if (status !== expected) {
    const text = (await view.locator('.jp-STXMView-error').allTextContents()).join(' | ');
    throw new Error(`expected data-status=${expected}, got ${status}; error text: ${text}`);
  }
}

export interface ICanvasPixels {
  width: number;
  height: number;
  /** Number of distinct RGBA colours. */
  distinct: number;
  /** RGBA bytes, row-major. */
  rgba: number[];
}

/** Read the canvas's pixels as the user sees them (copied through a 2D canvas). */
export async function canvasPixels(canvas: Locator): Promise<ICanvasPixels> {
  return canvas.evaluate((node: HTMLCanvasElement) => {
    const copy = document.createElement('canvas');
    copy.width = node.width;
    copy.height = node.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(node, 0, 0);
    const data = ctx.getImageData(0, 0, node.width, node.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      colours.add(((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0);
    }
    return {
      width: node.width,
      height: node.height,
      distinct: colours.size,
      rgba: Array.from(data)
    };
  });
}

/** Number of pixels whose RGBA differs between two reads of the same canvas. */
export function differingPixels(a: ICanvasPixels, b: ICanvasPixels): number {
  let n = 0;
  for (let i = 0; i < Math.min(a.rgba.length, b.rgba.length); i += 4) {
    if (
      a.rgba[i] !== b.rgba[i] ||
      a.rgba[i + 1] !== b.rgba[i + 1] ||
      a.rgba[i + 2] !== b.rgba[i + 2] ||
      a.rgba[i + 3] !== b.rgba[i + 3]
    ) {
      n++;
    }
  }
  return n;
}

/**
 * Reload the page without Galata's readiness check (a restored layout has no
 * Launcher, which that check waits for). Galata's `reload` takes the option;
 * the fixture's type shows Playwright's `reload`, which does not.
 */
export async function reloadWithoutReadyCheck(page: IJupyterLabPageFixture): Promise<void> {
  await (page as unknown as Pick<JupyterLabPage, 'reload'>).reload({ waitForIsReady: false });
}

/**
 * Wait until JupyterLab has saved a layout (on the server, in the workspace)
 * that holds the main-area widget `name` (e.g. "stxm-phasemap-comparison:comparison"):
 * the layout restorer saves with a delay, and a reload before that restores the
 * previous layout.
 */
export async function waitForSavedLayout(
  page: IJupyterLabPageFixture,
  name: string
): Promise<void> {
  await expect
    .poll(
      async () =>
        page.evaluate(async widget => {
          const { values } = await window.jupyterapp.serviceManager.workspaces.list();
          return values.some(w =>
            JSON.stringify(w.data['layout-restorer:data'] ?? {}).includes(widget)
          );
        }, name),
      { timeout: 30_000 }
    )
    .toBe(true);
}
