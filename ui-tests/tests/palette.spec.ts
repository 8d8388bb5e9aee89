/**
 * The command palette's "Open STXM Demo Stack" opens a ready panel.
 */
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';

import {
  canvasPixels,
  DOC_SHOT,
  DOCS_IMAGES,
  reloadWithoutReadyCheck,
  waitForStatus
} from './helpers';

test('palette: "Open STXM Demo Stack" opens a ready panel', async ({ page }) => {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#modal-command-palette');
  await expect(palette).toBeVisible();
  await palette.locator('input.lm-CommandPalette-input').fill('Open STXM Demo Stack');
  const item = palette.locator('.lm-CommandPalette-item', { hasText: 'Open STXM Demo Stack' });
  await expect(item).toHaveCount(1);
  await item.click();

  const view = page.locator('.jp-STXMView');
  await expect(view).toHaveCount(1, { timeout: 60_000 });
  await waitForStatus(view, 'ready');
  const canvas = view.locator('.jp-STXMView-image canvas');
  await expect(canvas).toBeVisible();
  const pixels = await canvasPixels(canvas);
  // the built-in demo stack (DEMO_SAMPLE) is 12 energies × 56 × 72 px
  expect([pixels.width, pixels.height]).toEqual([72, 56]);
  expect(pixels.distinct, 'the demo image is a single flat colour').toBeGreaterThan(10);
  const slider = view.locator('input.jp-STXMView-energySlider');
  await expect(slider).toHaveAttribute('max', '11');
  await expect(view.locator('.jp-STXMView-energyLabel')).toHaveText(/\d+\.\d\d\s*eV/);
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'demo-panel.png') });
});

test('the workbench comes back after a page reload (layout restorer)', async ({ page }) => {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('stxm-phasemap:open-demo');
  });
  await waitForStatus(page.locator('.jp-STXMView'), 'ready');
  // Galata's readiness check waits for a Launcher tab, which a restored layout need not have.
  await reloadWithoutReadyCheck(page);
  const view = page.locator('.jp-STXMView');
  await expect(view).toHaveCount(1, { timeout: 60_000 });
  await waitForStatus(view, 'ready');
  await expect(view.locator('.jp-STXMView-title')).toContainText('stxm-demo.h5');
});
