/**
 * Working on the image and the maps with mouse and keyboard: the optical
 * density of a real beamline stack per energy, its pre-processing read-outs
 * (I0, alignment shifts, mask), an I0 region and an ROI drawn on the image,
 * the ROI's spectrum, keyboard cursor on a map, brushing a map region; and
 * what the workbench keeps across a page reload.
 */
import * as fs from 'fs';
import * as path from 'path';

import { expect, galata, test } from '@jupyterlab/galata';

import {
  canvasPixels,
  differingPixels,
  DOC_SHOT,
  DOCS_IMAGES,
  HAVE_REAL_STACK,
  NO_REAL_STACK_MESSAGE,
  REAL_STACK,
  REAL_STACK_NAME,
  reloadWithoutReadyCheck,
  SHARED_DATA,
  stackView,
  waitForStatus
} from './helpers';
import { openDemo, showTab, VIEWPORT } from './workbench-helpers';

test.use({
  viewport: VIEWPORT,
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'stxm-phasemap:plugin': { method: 'pcc' }
  }
});

test('real stack: optical density per energy, I0, alignment shifts and mask in the panel', async ({
  page,
  tmpPath
}) => {
  test.skip(!HAVE_REAL_STACK, NO_REAL_STACK_MESSAGE);
  const remote = `${tmpPath}/${REAL_STACK_NAME}`;
  expect(await page.contents.uploadFile(REAL_STACK, remote)).toBe(true);
  await page.filebrowser.refresh();
  expect(await page.filebrowser.open(remote)).toBe(true);
  const view = await stackView(page, REAL_STACK_NAME);
  await waitForStatus(view, 'ready');

  const canvas = view.locator('.jp-STXMView-image canvas');
  const quantity = view.locator('select.jp-STXMImageView-quantity');
  await expect(quantity.locator('option[value=od]')).toBeEnabled({ timeout: 30_000 });
  await quantity.selectOption('od');
  // the frames drift: the automatic alignment aligned them, the OD keeps the area all cover
  await expect
    .poll(async () => {
      const px = await canvasPixels(canvas);
      return [px.width, px.height];
    })
    .toEqual([49, 49]);
  const od0 = await canvasPixels(canvas);
  const slider = view.locator('input.jp-STXMView-energySlider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(view.locator('.jp-STXMView-energyLabel')).toHaveText(/284\.50\s*eV/);
  await expect
    .poll(async () => differingPixels(od0, await canvasPixels(canvas)))
    .toBeGreaterThan(50);
  await expect(view.locator('.jp-STXMImageView-shift')).toHaveText(
    /^alignment shift dx -?[\d.e-]+ px, dy -?[\d.e-]+ px$/
  );

  // the pre-processing tab: shifts per energy, I0, mask; alignment on re-prepares
  await showTab(view, 'Pre-processing');
  const pre = view.locator('.jp-STXMPreprocessView');
  await expect(pre).toHaveAttribute('data-prepare-state', 'done');
  await expect(pre.locator('.jp-STXMPreprocessView-shifts tbody tr')).toHaveCount(4);
  await expect(pre.locator('.jp-STXMPreprocessView-shifts tbody tr').first()).toContainText('280');
  await expect(pre.locator('.jp-STXMProvenance')).toContainText('I0');
  await expect(pre.locator('.jp-STXMProvenance')).toContainText('ring current');
  // the decisions, with the measured drift; no references here, so no calibration
  const decision = (key: string) => pre.locator(`.jp-STXMDecision[data-decision="${key}"]`);
  await expect(decision('alignment')).toHaveAttribute('data-applied', 'true');
  await expect(decision('alignment')).toHaveText(
    /^Alignment \(automatic\): measured drift [\d.]+ px \(aligns from 0\.25 px\): frames aligned to the [\d.]+ eV frame, cropped to rows/
  );
  await expect(decision('calibration')).toHaveText(
    'Energy calibration (automatic): not estimated: no references given'
  );
  await expect(pre.locator('.jp-STXMPreprocessView-warnings .jp-STXMWarning')).toHaveText([
    /^ℹdrift up to [\d.]+ px: frames aligned, \d+ px cropped$/,
    /^⚠4 energies: correlations from so few points separate only phases that differ strongly/
  ]);
  // alignment off: prepared again, on the whole image, and the drift is called out
  const align = pre.locator('select.jp-STXMPreprocessView-align');
  let prepared = Number(await pre.getAttribute('data-prepared'));
  await align.selectOption('off');
  await expect(pre).toHaveAttribute('data-prepared', String(++prepared), { timeout: 60_000 });
  await expect(decision('alignment')).toHaveText(
    /^Alignment \(off\): measured drift [\d.]+ px: frames not aligned \(turned off\)$/
  );
  await expect(pre.locator('.jp-STXMWarning.jp-mod-warning[data-code="drift"]')).toHaveText(
    /^⚠frames drift up to [\d.]+ px and alignment is off$/
  );
  await expect(pre.locator('.jp-STXMPreprocessView-shiftFigure')).toContainText(
    'Frames not aligned (turned off): shifts are 0.'
  );
  await align.selectOption('auto');
  await expect(pre).toHaveAttribute('data-prepared', String(++prepared), { timeout: 60_000 });
  await expect(pre).toHaveAttribute('data-prepare-state', 'done');
  await expect(pre.locator('.jp-STXMPreprocessView-shifts tbody tr')).toHaveCount(4);
  await view.screenshot({
    ...DOC_SHOT,
    path: path.join(DOCS_IMAGES, 'workbench-preprocessing-real.png')
  });
});

test('an aXis2000 stack opens from its header, its data files fetched beside it', async ({
  page,
  tmpPath
}) => {
  const hdr = path.join(SHARED_DATA, 'stxm', 'max_iv.hdr');
  test.skip(!fs.existsSync(hdr), `${hdr} is absent: set STXM_SHARED_DATA`);
  for (const f of ['max_iv.hdr', 'max_iv_a000.xim', 'max_iv_a001.xim']) {
    expect(
      await page.contents.uploadFile(path.join(SHARED_DATA, 'stxm', f), `${tmpPath}/${f}`)
    ).toBe(true);
  }
  await page.filebrowser.refresh();
  expect(await page.filebrowser.open(`${tmpPath}/max_iv.hdr`)).toBe(true);
  const view = await stackView(page, 'max_iv.hdr');
  await waitForStatus(view, 'ready');
  await expect(view.locator('.jp-STXMView-title')).toContainText('max_iv.hdr — aXis2000');
  await expect(view.locator('.jp-STXMView-shape')).toHaveText('2 energies × 10 × 10 px');
  const px = await canvasPixels(view.locator('.jp-STXMView-image canvas'));
  expect([px.width, px.height]).toEqual([10, 10]);
  await expect(view.locator('.jp-STXMView-energyLabel')).toHaveText(/698\.00\s*eV/);

  // a data file missing in the middle of the stack: a message naming it
  // (missing trailing files are an aborted scan: NaN frames, by design of the reader)
  const sub = `${tmpPath}/sub`;
  for (const f of ['max_iv.hdr', 'max_iv_a001.xim']) {
    expect(await page.contents.uploadFile(path.join(SHARED_DATA, 'stxm', f), `${sub}/${f}`)).toBe(
      true
    );
  }
  await page.filebrowser.refresh();
  expect(await page.filebrowser.open(`${sub}/max_iv.hdr`)).toBe(true);
  const broken = page.locator('.jp-STXMView[data-status="error"]');
  await expect(broken).toHaveCount(1, { timeout: 60_000 });
  await expect(broken.locator('.jp-STXMView-error')).toContainText(
    'max_iv.hdr: missing data file max_iv_a000.xim'
  );
});

test('I0 region and ROI drawn on the image; keyboard cursor; brushing a map; state after reload', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(180_000);
  const view = await openDemo(page, tmpPath, { seed: 5 });
  await expect(view.locator('.jp-STXMReferencesView')).toHaveAttribute('data-references', '2');
  const canvas = view.locator('.jp-STXMView-image canvas');
  const box = (await canvas.boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [
    box.x + box.width * fx,
    box.y + box.height * fy
  ];
  const drag = async (from: [number, number], to: [number, number]) => {
    await page.mouse.move(...from);
    await page.mouse.down();
    await page.mouse.move(...to, { steps: 4 });
    await page.mouse.up();
  };

  // I0 region in the empty corner: the parameters and the I0 read-out follow
  await showTab(view, 'Pre-processing');
  const pre = view.locator('.jp-STXMPreprocessView');
  await expect(pre).toHaveAttribute('data-prepare-state', 'done');
  const i0Before = await pre
    .locator('.jp-STXMPreprocessView-shifts tbody td:nth-child(4)')
    .allTextContents();
  await pre.locator('button.jp-STXMPreprocessView-drawI0').click();
  await expect(view.locator('.jp-STXMImageView')).toHaveAttribute('data-tool', 'i0');
  await drag(at(0.02, 0.03), at(0.15, 0.2));
  await expect(view.locator('.jp-STXMChip.jp-mod-i0')).toContainText(
    /I0 region x 1–\d+, y 1–\d+ px/
  );
  await expect(view.locator('.jp-STXMImageView')).toHaveAttribute('data-tool', 'cursor');
  await showTab(view, 'Pre-processing');
  await expect(pre.locator('select.jp-STXMPreprocessView-i0')).toHaveValue('roi');
  await expect
    .poll(() =>
      pre.locator('.jp-STXMPreprocessView-shifts tbody td:nth-child(4)').allTextContents()
    )
    .not.toEqual(i0Before);
  await showTab(view, 'Image');

  // an ROI over the core: its mean spectrum joins the spectrum view
  await view.locator('select.jp-STXMImageView-tool').selectOption('roi');
  await drag(at(0.42, 0.42), at(0.58, 0.58));
  await expect(view.locator('.jp-STXMImageView-rois .jp-STXMChip-name').first()).toHaveText(
    'ROI 1'
  );
  await expect(view.locator('.jp-STXMImageView .jp-STXMFrame-rect')).toHaveCount(2);
  await expect(view.locator('.jp-STXMSpectrumView .jp-STXMChart-legendText')).toContainText([
    'ROI 1'
  ]);

  // run from the keyboard (Ctrl+Enter in the workbench)
  await view.locator('.jp-STXMView-image .jp-STXMFrame').focus();
  await page.keyboard.press('Control+Enter');
  await expect(view).toHaveAttribute('data-run-state', 'done', { timeout: 60_000 });
  const maps = view.locator('.jp-STXMMapsView');
  // keyboard: focus a map, arrows move a pinned cursor, the read-out follows
  const frame = maps.locator('[data-map="final"] .jp-STXMFrame');
  await page.mouse.move(1, 1); // no pointer over an image: the cursor starts in the middle
  await frame.focus();
  await page.keyboard.press('ArrowRight');
  const readout = maps.locator('.jp-STXMMapsView-readout');
  await expect(readout).toContainText('(33, 24)');
  await expect(readout).toContainText('pinned');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(readout).toContainText('(33, 34)');
  await expect(view.locator('.jp-STXMImageView-readout')).toContainText('pixel (33, 34)');

  // Shift-drag on a map selects pixels; every map dims the rest
  const fb = (await maps.locator('[data-map="initial"] canvas.jp-STXMMap-canvas').boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(fb.x + fb.width * 0.3, fb.y + fb.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(fb.x + fb.width * 0.7, fb.y + fb.height * 0.7, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const selected = Number(await maps.getAttribute('data-selected'));
  expect(selected).toBeGreaterThan(100);
  await expect(maps.locator('.jp-STXMMapsView-selection')).toContainText(
    `${selected} pixels selected (on a map)`
  );
  await expect(maps.locator('[data-map="final"] canvas.jp-STXMFrame-highlight')).toBeVisible();
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-selection.png') });
  await maps.locator('button.jp-STXMMapsView-clearSelection').click();
  await expect(maps).toHaveAttribute('data-selected', '0');

  // what the user made survives a reload: references, I0 region, ROI, the tab in front
  await showTab(view, 'References');
  // the workbench saves after 300 ms of quiet, JupyterLab writes the workspace 750 ms later
  await page.waitForTimeout(2000);
  await reloadWithoutReadyCheck(page);
  const again = page.locator('.jp-STXMView');
  await expect(again).toHaveCount(1, { timeout: 60_000 });
  await waitForStatus(again, 'ready');
  await expect(again.locator('.jp-STXMTabs .lm-TabBar-tab.lm-mod-current').first()).toHaveText(
    'References'
  );
  await expect(again.locator('.jp-STXMReferencesView')).toHaveAttribute('data-references', '2');
  await expect(again.locator('.jp-STXMChip.jp-mod-i0')).toContainText('I0 region x 1–');
  await expect(again.locator('.jp-STXMImageView-rois .jp-STXMChip-name').first()).toHaveText(
    'ROI 1'
  );
});
