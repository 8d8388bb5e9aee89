/**
 * Opening a real STXM stack from the file browser: image, energy slider,
 * pixel size; "Open With"; and a clear error for a file that is not HDF5.
 */
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';

import {
  canvasPixels,
  differingPixels,
  DOC_SHOT,
  DOCS_IMAGES,
  HAVE_REAL_STACK,
  NO_REAL_STACK_MESSAGE,
  REAL_STACK,
  REAL_STACK_NAME,
  stackView,
  waitForStatus
} from './helpers';

test.describe('STXM stack document', () => {
  test('double-click opens the real stack: image, energy slider, pixel size', async ({
    page,
    tmpPath
  }) => {
    test.skip(!HAVE_REAL_STACK, NO_REAL_STACK_MESSAGE);
    const remote = `${tmpPath}/${REAL_STACK_NAME}`;
    expect(await page.contents.uploadFile(REAL_STACK, remote)).toBe(true);
    await page.filebrowser.refresh();

    // A real double-click on the file browser item (the default factory).
    expect(await page.filebrowser.open(remote)).toBe(true);
    const view = await stackView(page, REAL_STACK_NAME);
    await waitForStatus(view, 'ready');

    const canvas = view.locator('.jp-STXMView-image canvas');
    await expect(canvas).toBeVisible();
    const first = await canvasPixels(canvas);
    expect([first.width, first.height]).toEqual([50, 50]);
    expect(first.distinct, 'the image is a single flat colour').toBeGreaterThan(10);

    const slider = view.locator('input.jp-STXMView-energySlider');
    await expect(slider).toHaveAttribute('type', 'range');
    await expect(slider).toHaveAttribute('min', '0');
    await expect(slider).toHaveAttribute('max', '3');
    await expect(slider).toHaveValue('0');
    const label = view.locator('.jp-STXMView-energyLabel');
    await expect(label).toHaveText(/280\.00\s*eV/);

    await expect(view.locator('.jp-STXMView-pixelSize')).toContainText('0.5 µm');
    // the file has a ring current, applied as it was read: the counts say so
    await expect(view.locator('.jp-STXMImageView-quantity option[value="counts"]')).toHaveText(
      'Counts (ring-current normalised)'
    );

    await page.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'stack-lab.png') });
    await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'stack-panel.png') });

    // Move the slider like a user: focus it and press the right arrow key.
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect(slider).toHaveValue('1');
    await expect(label).toHaveText(/284\.50\s*eV/);
    await expect
      .poll(async () => differingPixels(first, await canvasPixels(canvas)), {
        message: 'the canvas did not change after moving to energy index 1'
      })
      .toBeGreaterThan(50);
    const second = await canvasPixels(canvas);
    expect([second.width, second.height]).toEqual([50, 50]);
    expect(second.distinct).toBeGreaterThan(10);
    await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'stack-panel-284.5eV.png') });
  });

  test('Open With → STXM PhaseMap from the context menu', async ({ page, tmpPath }) => {
    test.skip(!HAVE_REAL_STACK, NO_REAL_STACK_MESSAGE);
    const remote = `${tmpPath}/${REAL_STACK_NAME}`;
    expect(await page.contents.uploadFile(REAL_STACK, remote)).toBe(true);
    await page.filebrowser.refresh();

    const item = page
      .getByRole('region', { name: 'File Browser Section' })
      .getByRole('listitem', { name: new RegExp(`^Name: ${REAL_STACK_NAME}`) });
    await item.click({ button: 'right' });
    await page.getByRole('listitem').filter({ hasText: 'Open With' }).click();
    const entry = page.getByRole('menuitem', { name: 'STXM PhaseMap', exact: true });
    await expect(entry).toBeVisible();
    await entry.click();

    await page
      .getByRole('main')
      .getByRole('tab', { name: new RegExp(`^${REAL_STACK_NAME}`) })
      .waitFor({ state: 'visible' });
    const view = await stackView(page, REAL_STACK_NAME);
    await waitForStatus(view, 'ready');
    const pixels = await canvasPixels(view.locator('.jp-STXMView-image canvas'));
    expect([pixels.width, pixels.height]).toEqual([50, 50]);
  });

  test('a file that is not HDF5 shows an error naming it', async ({ page, tmpPath }) => {
    const remote = `${tmpPath}/bad.h5`;
    expect(await page.contents.uploadContent('this is not an HDF5 file\n', 'text', remote)).toBe(
      true
    );
    await page.filebrowser.refresh();

    expect(await page.filebrowser.open(remote)).toBe(true);
    const view = await stackView(page, 'bad.h5');
    await waitForStatus(view, 'error');
    const error = view.locator('.jp-STXMView-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText('bad.h5');
    expect(((await error.textContent()) ?? '').trim().length).toBeGreaterThan('bad.h5'.length);
    await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'stack-error.png') });
  });
});
