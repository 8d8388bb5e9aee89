/**
 * The GMVAE journey on a simulated NVPF particle with five phases in grains
 * (low dose, so many pixels are ambiguous): the loss curve while it trains,
 * the latent space before and after resolution with the phase ellipses,
 * brushing the latent plot highlights pixels on the maps and a map selection
 * is highlighted in the latent plot, τ re-resolves with the trained model,
 * cancel keeps the previous result, and the page stays responsive during a run.
 * Few epochs (settings) keep it to seconds.
 */
import * as path from 'path';

import { expect, galata, test } from '@jupyterlab/galata';

import { canvasPixels, differingPixels, DOC_SHOT, DOCS_IMAGES } from './helpers';
import { openDemo, serverFile, showTab, VIEWPORT } from './workbench-helpers';

test.use({
  viewport: VIEWPORT,
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'stxm-phasemap:plugin': { method: 'gmvae', epochs: 25 }
  }
});

const GRAINS = { material: 'nvpf', morphology: 'grains', i0: 500, seed: 12, ny: 64, nx: 64 };

test('GMVAE: loss curve, latent space, brushing both ways, τ, cancel', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(300_000);
  const view = await openDemo(page, tmpPath, { name: 'grains.h5', sample: GRAINS });
  await expect(view.locator('.jp-STXMReferencesView')).toHaveAttribute('data-references', '5');

  // the run: the training tab comes to the front and the loss curve grows while it trains
  await view.locator('button.jp-STXMRunBar-run').click();
  const training = view.locator('.jp-STXMTrainingView');
  await expect(training).toBeVisible();
  await expect(training).toHaveAttribute('data-epochs', /^[1-9]\d*$/, { timeout: 120_000 });
  await expect(view.locator('.jp-STXMStage[data-stage="train"]')).toHaveAttribute(
    'data-state',
    /^(active|done)$/
  );
  await expect(view).toHaveAttribute('data-run-state', 'done', { timeout: 240_000 });
  // the result brings the maps to the front; look back at the training
  await expect(view.locator('.jp-STXMMapsView')).toBeVisible();
  await showTab(view, 'Training & run');
  await expect(training.locator('.jp-STXMChart-series path')).toHaveCount(2); // training, validation
  await training.screenshot({
    ...DOC_SHOT,
    path: path.join(DOCS_IMAGES, 'workbench-training.png')
  });

  // the NeXus result, written in the worker, saved next to the stack
  const nexus = await page.evaluate(
    async () =>
      (await window.jupyterapp.commands.execute('stxm-phasemap:export-result')) as string | null
  );
  expect(nexus).toBe(`${tmpPath}/grains_phasemap.h5`);
  const h5 = await serverFile(page, nexus!);
  expect(
    h5.subarray(0, 8).equals(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]))
  ).toBe(true);
  expect(h5.length).toBeGreaterThan(64 * 64 * 4);

  // the maps: flags exist now, and ambiguous pixels were resolved in latent space
  await showTab(view, 'Maps');
  const maps = view.locator('.jp-STXMMapsView');
  await expect(maps.locator('[data-map="transition"] .jp-STXMMap-message')).toBeHidden();
  await expect(maps.locator('[data-map="final"] .jp-STXMMap-caption')).toHaveText(
    /^\d+ ambiguous pixels resolved in latent space$/
  );
  const ambiguous = Number(await maps.getAttribute('data-ambiguous'));
  expect(ambiguous).toBeGreaterThan(20);
  const confidence = await canvasPixels(
    maps.locator('[data-map="confidence"] canvas.jp-STXMMap-canvas')
  );
  expect(confidence.distinct).toBeGreaterThan(10);
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-maps-gmvae.png') });

  // the latent space: every particle pixel, 1σ and 2σ ellipses per phase, grey before, coloured after
  await showTab(view, 'Latent space');
  const latent = view.locator('.jp-STXMLatentView');
  await expect(latent).toHaveAttribute('data-latent-dim', '2');
  const points = Number(await latent.getAttribute('data-points'));
  expect(points).toBeGreaterThan(1000);
  await expect(latent.locator('.jp-mod-after path.jp-STXMLatentView-ellipse')).toHaveCount(10);
  await expect(latent.locator('.jp-mod-before .jp-STXMLatentView-phaseLabel')).toHaveText([
    'Na3',
    'Na2.4',
    'Na2',
    'Na1',
    'Na1-y'
  ]);
  const before = await canvasPixels(latent.locator('.jp-mod-before canvas'));
  const after = await canvasPixels(latent.locator('.jp-mod-after canvas'));
  expect(differingPixels(before, after), 'grey before, coloured after').toBeGreaterThan(ambiguous);
  await latent.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-latent.png') });

  // brush the latent plot: the maps highlight those pixels
  const plot = (await latent.locator('.jp-mod-after svg.jp-STXMLatentView-svg').boundingBox())!;
  await page.mouse.move(plot.x + plot.width * 0.2, plot.y + plot.height * 0.1);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width * 0.6, plot.y + plot.height * 0.5, { steps: 5 });
  await page.mouse.up();
  await expect(latent).toHaveAttribute('data-selected', /^[1-9]\d*$/);
  const brushed = Number(await latent.getAttribute('data-selected'));
  expect(brushed).toBeLessThan(points);
  await expect(maps).toHaveAttribute('data-selected', String(brushed));
  await expect(maps.locator('.jp-STXMMapsView-selection')).toContainText(
    `${brushed} pixels selected (in the latent plot)`
  );
  await latent.screenshot({
    ...DOC_SHOT,
    path: path.join(DOCS_IMAGES, 'workbench-latent-brush.png')
  });
  await showTab(view, 'Maps');
  await expect(maps.locator('[data-map="final"] canvas.jp-STXMFrame-highlight')).toBeVisible();
  await view.screenshot({
    ...DOC_SHOT,
    path: path.join(DOCS_IMAGES, 'workbench-latent-brush-maps.png')
  });

  // and the other way: a rectangle on a map is highlighted in the latent plot
  const map = (await maps.locator('[data-map="final"] canvas.jp-STXMMap-canvas').boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(map.x + map.width * 0.3, map.y + map.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(map.x + map.width * 0.55, map.y + map.height * 0.55, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const onMap = Number(await maps.getAttribute('data-selected'));
  expect(onMap).toBeGreaterThan(50);
  await showTab(view, 'Latent space');
  await expect(latent).toHaveAttribute('data-selected', String(onMap));

  // τ re-resolves with the trained model: more ambiguous pixels, the final map follows
  await showTab(view, 'Maps');
  const finalCanvas = maps.locator('[data-map="final"] canvas.jp-STXMMap-canvas');
  const finalBefore = await canvasPixels(finalCanvas);
  const tau = view.locator('input.jp-STXMRunBar-tau');
  await tau.focus();
  await page.keyboard.press('End');
  await expect(maps).toHaveAttribute('data-threshold', '0.05');
  expect(Number(await maps.getAttribute('data-ambiguous'))).toBeGreaterThan(ambiguous);
  expect(differingPixels(finalBefore, await canvasPixels(finalCanvas))).toBeGreaterThan(0);
  await page.keyboard.press('Home');

  // a long run: the page answers while it trains, Cancel stops it, the result stays
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('stxm-phasemap:run', { epochs: 2000 });
  });
  await expect(view).toHaveAttribute('data-run-state', 'running');
  await expect(training).toHaveAttribute('data-epochs', /^[1-9]\d*$/, { timeout: 120_000 });
  await showTab(view, 'Maps');
  const readout = maps.locator('.jp-STXMMapsView-readout');
  const t0 = Date.now();
  await page.mouse.move(map.x + map.width * 0.5, map.y + map.height * 0.5);
  await expect(readout).toContainText('phase ');
  const answerMs = Date.now() - t0;
  console.log(`hover read-out answered in ${answerMs} ms while the GMVAE trained`);
  expect(answerMs).toBeLessThan(5_000);
  await view.locator('button.jp-STXMRunBar-cancel').click();
  await expect(view).toHaveAttribute('data-run-state', 'cancelled');
  await expect(view.locator('.jp-STXMRunBar-status')).toHaveText(
    'Cancelled; the previous result is kept.'
  );
  await expect(maps).toHaveAttribute('data-has-result', 'true');
});
