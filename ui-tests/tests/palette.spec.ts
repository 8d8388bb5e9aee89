/**
 * The command palette's "Open STXM Demo Stack" opens a ready panel.
 */
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';

import { canvasPixels, DOCS_IMAGES, waitForStatus } from './helpers';

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
  expect(pixels.width).toBeGreaterThan(1);
  expect(pixels.height).toBeGreaterThan(1);
  expect(pixels.distinct, 'the demo image is a single flat colour').toBeGreaterThan(10);
  const slider = view.locator('input.jp-STXMView-energySlider');
  expect(Number(await slider.getAttribute('max'))).toBeGreaterThanOrEqual(1);
  await expect(view.locator('.jp-STXMView-energyLabel')).toHaveText(/\d+\.\d\d\s*eV/);
  await view.screenshot({ path: path.join(DOCS_IMAGES, 'demo-panel.png') });
});
