/**
 * The comparison view with three stacks at different states of charge: final
 * maps side by side on one legend, fractions vs state of charge, CSV export;
 * and the view comes back after a reload.
 */
import * as fs from 'fs';
import * as path from 'path';

import { expect, galata, test } from '@jupyterlab/galata';

import { DOC_SHOT, DOCS_IMAGES, reloadWithoutReadyCheck, waitForSavedLayout } from './helpers';
import {
  openDemo,
  pngSize,
  runAndWait,
  serverFile,
  serverText,
  VIEWPORT
} from './workbench-helpers';

test.use({
  viewport: VIEWPORT,
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'stxm-phasemap:plugin': { method: 'pcc' }
  }
});

const STACKS = [
  { name: 'soc-charged.h5', front: 0.35, soc: 0.8 },
  { name: 'soc-pristine.h5', front: 0.8, soc: 0 },
  { name: 'soc-half.h5', front: 0.6, soc: 0.5 }
];

test('comparison of three states of charge', async ({ page, tmpPath }) => {
  test.setTimeout(240_000);
  for (const s of STACKS) {
    const view = await openDemo(page, tmpPath, { name: s.name, front: s.front, seed: 4 });
    await runAndWait(view);
  }

  // open it from the command palette like a user
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#modal-command-palette');
  await palette.locator('input.lm-CommandPalette-input').fill('Compare STXM Stacks');
  await palette.locator('.lm-CommandPalette-item', { hasText: 'Compare STXM Stacks' }).click();
  const cmp = page.locator('.jp-STXMComparisonView');
  await expect(cmp).toHaveAttribute('data-stacks', '3');
  await expect(cmp.locator('.jp-STXMLegend-name')).toHaveText(['Na3', 'Na1']);

  // type the states of charge: the columns order by them
  for (const s of STACKS) {
    const input = cmp.locator(
      `.jp-STXMComparisonView-column[data-id="${tmpPath}/${s.name}"] input`
    );
    await input.fill(String(s.soc));
    await input.press('Enter');
  }
  await expect(cmp.locator('.jp-STXMComparisonView-column .jp-STXMMap-title')).toHaveText([
    'soc-pristine.h5',
    'soc-half.h5',
    'soc-charged.h5'
  ]);
  // each final map is drawn; Na1 (shell) grows with the state of charge
  const captions = await cmp
    .locator('.jp-STXMComparisonView-column .jp-STXMMap-caption')
    .allTextContents();
  const na1 = captions.map(c => parseFloat(/Na1 ([\d.]+) %/.exec(c)![1]));
  expect(na1[0]).toBeLessThan(na1[1]);
  expect(na1[1]).toBeLessThan(na1[2]);
  // the chart has one line and three markers per phase
  await expect(cmp.locator('.jp-STXMChart-series path')).toHaveCount(2);
  await expect(cmp.locator('.jp-STXMChart-series circle')).toHaveCount(6);
  await page.evaluate(() => {
    // let the notifications of the runs close before the screenshot
    for (const n of document.querySelectorAll('.Toastify__toast')) {
      (n as HTMLElement).style.display = 'none';
    }
  });
  await cmp.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'comparison.png') });

  await cmp.locator('button.jp-STXMComparisonView-png').click();
  const pngPath = `${tmpPath}/soc-pristine_comparison.png`;
  await expect.poll(async () => page.contents.fileExists(pngPath)).toBe(true);
  const png = await serverFile(page, pngPath);
  expect(pngSize(png)[0]).toBeGreaterThan(1000);
  fs.writeFileSync(path.join(DOCS_IMAGES, 'export-comparison.png'), png);

  await cmp.locator('button.jp-STXMComparisonView-csv').click();
  const csvPath = `${tmpPath}/soc-pristine_comparison.csv`;
  await expect.poll(async () => page.contents.fileExists(csvPath)).toBe(true);
  const rows = (await serverText(page, csvPath)).trim().split('\n');
  expect(rows[0]).toBe('file,state_of_charge,Na3,Na1');
  expect(rows.slice(1).map(r => r.split(',')[1])).toEqual(['0', '0.5', '0.8']);

  // the comparison view is restored after a reload, with the workbenches and their states of charge
  await waitForSavedLayout(page, 'stxm-phasemap-comparison:comparison');
  await reloadWithoutReadyCheck(page);
  await expect(page.locator('.jp-STXMComparisonView')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator('.jp-STXMView')).toHaveCount(3, { timeout: 60_000 });
});
