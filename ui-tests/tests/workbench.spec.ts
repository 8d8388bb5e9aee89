/**
 * The main journey through the workbench on a simulated stack: open it (its
 * references CSV comes along), see the raw and OD images and the spectrum,
 * load references through the file dialog, run, see every map, hover for the
 * read-out, move τ and see the ambiguity map change, export a PNG and CSV;
 * a bad references file gives a clear message; the dark theme. Screenshots of
 * each view go to docs/images for docs/workbench.md.
 */
import * as fs from 'fs';
import * as path from 'path';

import { expect, galata, test } from '@jupyterlab/galata';

import { canvasPixels, differingPixels, DOC_SHOT, DOCS_IMAGES } from './helpers';
import {
  openDemo,
  pngSize,
  runAndWait,
  serverFile,
  serverText,
  showTab,
  VIEWPORT
} from './workbench-helpers';

test.use({
  viewport: VIEWPORT,
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'stxm-phasemap:plugin': { method: 'pcc', threshold: 0.002 }
  }
});

test('workbench journey: open, references, run, maps, τ, hover, export', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(240_000);
  const view = await openDemo(page, tmpPath, { seed: 2 });

  // the demo's references CSV was written beside the stack and loaded by itself
  const refsView = view.locator('.jp-STXMReferencesView');
  await expect(refsView).toHaveAttribute('data-references', '2');

  // image: raw counts, then optical density (prepared in the worker)
  const canvas = view.locator('.jp-STXMView-image canvas');
  const raw = await canvasPixels(canvas);
  expect([raw.width, raw.height]).toEqual([64, 48]);
  const quantity = view.locator('select.jp-STXMImageView-quantity');
  await expect(quantity.locator('option[value=od]')).toBeEnabled({ timeout: 30_000 });
  await quantity.selectOption('od');
  await expect(view.locator('.jp-STXMImageView')).toHaveAttribute('data-quantity', 'od');
  await expect
    .poll(async () => differingPixels(raw, await canvasPixels(canvas)))
    .toBeGreaterThan(500);
  await expect(view.locator('.jp-STXMImageView-shift')).toContainText('alignment shift dx');

  // spectrum under the cursor with the references fitted onto it
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await expect(view.locator('.jp-STXMImageView-readout')).toContainText(
    /pixel \(\d+, \d+\) · [\d.]+ OD/
  );
  await expect(view.locator('.jp-STXMSpectrumView .jp-STXMPanelTitle')).toContainText('pixel (');
  await expect(view.locator('.jp-STXMSpectrumView .jp-STXMChart-legendText')).toHaveText([
    'Na3 (fitted)',
    'Na1 (fitted)',
    /^pixel \(\d+, \d+\)$/
  ]);
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-image.png') });

  // load references through the Jupyter file dialog: a CSV with other names
  const csv = (await serverText(page, `${tmpPath}/stxm-demo_references.csv`)).replace(
    'energy_eV,Na3,Na1',
    'energy_eV,Na3 core,Na1 shell'
  );
  expect(await page.contents.uploadContent(csv, 'text', `${tmpPath}/picked.csv`)).toBe(true);
  await showTab(view, 'References');
  await view.locator('button.jp-STXMReferencesView-load').click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toBeVisible();
  await dialog.locator('.jp-DirListing-item', { hasText: 'picked.csv' }).click();
  await dialog.getByRole('button', { name: 'Select' }).click();
  await expect
    .poll(() =>
      view
        .locator('input.jp-STXMReferencesView-name')
        .evaluateAll(nodes => nodes.map(n => (n as HTMLInputElement).value))
    )
    .toEqual(['Na3 core', 'Na1 shell']);
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-references.png') });

  // run (Pearson only here; the GMVAE journey is in latent.spec.ts)
  await runAndWait(view);
  const maps = view.locator('.jp-STXMMapsView');
  await expect(maps).toHaveAttribute('data-has-result', 'true');
  for (const id of ['initial', 'ambiguity', 'final', 'pcc-0', 'pcc-1']) {
    const c = maps.locator(`[data-map="${id}"] canvas.jp-STXMMap-canvas`);
    await expect(c).toBeVisible();
    const px = await canvasPixels(c);
    expect([px.width, px.height], id).toEqual([64, 48]);
    expect(px.distinct, `${id} is one flat colour`).toBeGreaterThan(2);
  }
  await expect(maps.locator('.jp-STXMLegend-name')).toHaveText([
    'Na3 core',
    'Na1 shell',
    'ambiguous',
    'flagged pixel'
  ]);
  // what only the GMVAE makes is said plainly
  await expect(maps.locator('[data-map="false-assignment"] .jp-STXMMap-message')).toContainText(
    'Pearson-only method'
  );
  await expect(maps.locator('[data-map="final"] .jp-STXMFrame-scalebar-label')).toHaveText(
    '500 nm'
  );
  // phase fractions sum to 100 %
  const fractions = await maps
    .locator('.jp-STXMMapsView-fractions tbody td:nth-child(4)')
    .allTextContents();
  expect(fractions.reduce((s, t) => s + parseFloat(t), 0)).toBeCloseTo(100, 0);

  // hover read-out and the linked cursor on every map and the image
  const fin = maps.locator('[data-map="final"] canvas.jp-STXMMap-canvas');
  const fb = (await fin.boundingBox())!;
  await page.mouse.move(fb.x + fb.width * 0.5, fb.y + fb.height * 0.5);
  const readout = maps.locator('.jp-STXMMapsView-readout');
  await expect(readout).toContainText(
    /phase Na3 core · ρ: Na3 core [\d.]+, Na1 shell [\d.-]+ · margin/
  );
  await expect(maps.locator('[data-map="initial"] .jp-STXMFrame-cursor')).toHaveAttribute(
    'visibility',
    'visible'
  );
  await expect(view.locator('.jp-STXMView-image .jp-STXMFrame-cursor')).toHaveAttribute(
    'visibility',
    'visible'
  );
  await showTab(view, 'Image');
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-maps.png') });

  // move τ with the keyboard: the ambiguity map follows, correlations stay
  const ambCanvas = maps.locator('[data-map="ambiguity"] canvas.jp-STXMMap-canvas');
  const before = await canvasPixels(ambCanvas);
  const pccBefore = await canvasPixels(maps.locator('[data-map="pcc-0"] canvas.jp-STXMMap-canvas'));
  const ambiguousBefore = Number(await maps.getAttribute('data-ambiguous'));
  const tau = view.locator('input.jp-STXMRunBar-tau');
  await tau.focus();
  await page.keyboard.press('ArrowRight');
  await expect(maps).toHaveAttribute('data-threshold', '0.0025');
  await page.keyboard.press('End');
  await expect(maps).toHaveAttribute('data-threshold', '0.05');
  const ambiguousAfter = Number(await maps.getAttribute('data-ambiguous'));
  expect(ambiguousAfter).toBeGreaterThan(ambiguousBefore);
  expect(differingPixels(before, await canvasPixels(ambCanvas))).toBeGreaterThan(0);
  expect(
    differingPixels(
      pccBefore,
      await canvasPixels(maps.locator('[data-map="pcc-0"] canvas.jp-STXMMap-canvas'))
    )
  ).toBe(0);
  await expect(maps.locator('[data-map="ambiguity"] .jp-STXMMap-title')).toHaveText(
    'Ambiguity map (τ = 0.05)'
  );
  const tauBox = view.locator('.jp-STXMRunBar-tauBox');
  await expect(tauBox).toHaveAttribute('data-update-ms', /^\d+\.\d+$/);
  await maps.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-maps-tau.png') });

  // export a PNG of the maps and the fractions CSV through the palette commands
  const png = await page.evaluate(
    async () =>
      (await window.jupyterapp.commands.execute('stxm-phasemap:export-png', {
        view: 'maps'
      })) as string | null
  );
  expect(png).toBe(`${tmpPath}/stxm-demo_maps.png`);
  const pngBytes = await serverFile(page, png!);
  fs.writeFileSync(path.join(DOCS_IMAGES, 'export-maps.png'), pngBytes);
  const [w, h] = pngSize(pngBytes);
  expect(w).toBeGreaterThan(800);
  expect(h).toBeGreaterThan(600);
  const csvPath = await page.evaluate(
    async () =>
      (await window.jupyterapp.commands.execute('stxm-phasemap:export-fractions')) as string
  );
  const fractionsCsv = await serverText(page, csvPath);
  expect(fractionsCsv).toContain('phase,pixels,fraction\nNa3 core,');
  // and an SVG of the spectrum from the run bar's export menu
  await showTab(view, 'Image');
  await view.locator('.jp-STXMSpectrumView').click();
  await view.locator('select.jp-STXMRunBar-export').selectOption('svg');
  await expect
    .poll(async () => page.contents.fileExists(`${tmpPath}/stxm-demo_spectrum.svg`))
    .toBe(true);
  const svg = await serverText(page, `${tmpPath}/stxm-demo_spectrum.svg`);
  expect(svg).toMatch(/^<\?xml[^>]*>\n<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg).toContain('Na3 core (fitted');

  // the training & run tab and the pre-processing tab
  await showTab(view, 'Training & run');
  await expect(view.locator('.jp-STXMTrainingView')).toContainText(
    'No training: this result was made with the Pearson-only method.'
  );
  await showTab(view, 'Pre-processing');
  const shifts = view.locator('.jp-STXMPreprocessView-shifts tbody tr');
  await expect(shifts).toHaveCount(12);
  await expect(view.locator('.jp-STXMPreprocessView-maskBox .jp-STXMCaption')).toContainText(
    'particle pixels of 3072'
  );
  await view.screenshot({
    ...DOC_SHOT,
    path: path.join(DOCS_IMAGES, 'workbench-preprocessing.png')
  });
});

test('dark theme', async ({ page, tmpPath }) => {
  await page.theme.setDarkTheme();
  const view = await openDemo(page, tmpPath, { seed: 3 });
  await runAndWait(view);
  const maps = view.locator('.jp-STXMMapsView');
  await expect(maps).toHaveAttribute('data-has-result', 'true');
  const bg = await view.evaluate(n => getComputedStyle(n).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g)!.map(Number);
  expect(r + g + b, `background ${bg} is not dark`).toBeLessThan(3 * 80);
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-dark.png') });
});

test('errors: a references file that cannot be used, a run that fails', async ({
  page,
  tmpPath
}) => {
  const view = await openDemo(page, tmpPath, { seed: 6 });

  // a run that fails keeps the previous result and says why
  await runAndWait(view);
  const maps = view.locator('.jp-STXMMapsView');
  const final = maps.locator('[data-map="final"] canvas.jp-STXMMap-canvas');
  const before = await canvasPixels(final);

  // references that cover only 533–555 eV: two of the stack's twelve energies
  const narrow = (await serverText(page, `${tmpPath}/stxm-demo_references.csv`))
    .split('\n')
    .filter(line => !/^\d/.test(line) || parseFloat(line) >= 533)
    .join('\n');
  await showTab(view, 'References');
  await view.locator('input.jp-STXMReferencesView-file').setInputFiles({
    name: 'narrow.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(narrow)
  });
  await expect(view.locator('.jp-STXMReferencesView .jp-STXMView-error')).toContainText(
    'the stack has an energy at 512 eV'
  );
  await view.locator('button.jp-STXMRunBar-run').click();
  await expect(view).toHaveAttribute('data-run-state', 'failed', { timeout: 60_000 });
  const status = view.locator('.jp-STXMRunBar-status');
  await expect(status).toHaveClass(/jp-mod-error/);
  await expect(status).toContainText(
    /^Run failed: narrow\.csv: the references cover 533–555 eV, where 2 of the 12 energies .* a correlation needs at least 3 — the previous result is kept\.$/
  );
  await expect(maps).toHaveAttribute('data-has-result', 'true');
  expect(differingPixels(before, await canvasPixels(final))).toBe(0);
  await view
    .locator('.jp-STXMRunBar')
    .screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'workbench-run-failed.png') });

  // two-column text files chosen together become one set (names from the files)
  await showTab(view, 'References');
  const text = (n: string, v: number) =>
    Buffer.from(
      `# name: ${n}\n` + [500, 520, 540, 560].map((e, i) => `${e} ${v + i * i}`).join('\n')
    );
  await view.locator('input.jp-STXMReferencesView-file').setInputFiles([
    { name: 'a.xas', mimeType: 'text/plain', buffer: text('phase A', 1) },
    { name: 'b.txt', mimeType: 'text/plain', buffer: text('phase B', 2) }
  ]);
  await expect
    .poll(() =>
      view
        .locator('input.jp-STXMReferencesView-name')
        .evaluateAll(nodes => nodes.map(n => (n as HTMLInputElement).value))
    )
    .toEqual(['phase A', 'phase B']);

  // a references file that cannot be used: a message naming it; the references in use stay
  await expect(view.locator('.jp-STXMReferencesView')).toHaveAttribute('data-references', '2');
  await showTab(view, 'References');
  const upload = view.locator('input.jp-STXMReferencesView-file');
  await upload.setInputFiles({
    name: 'broken<img src=x onerror=alert(1)>.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('energy_eV,A,B\n510,1,2\n511,x,3\n')
  });
  const error = view.locator('.jp-STXMReferencesView .jp-STXMView-error');
  await expect(error).toContainText('broken<img src=x onerror=alert(1)>.csv: line 3, column "A"');
  await expect(view.locator('.jp-STXMReferencesView img')).toHaveCount(0);
  // the references in use stay
  await expect
    .poll(() =>
      view
        .locator('input.jp-STXMReferencesView-name')
        .evaluateAll(nodes => nodes.map(n => (n as HTMLInputElement).value))
    )
    .toEqual(['phase A', 'phase B']);
  await view.locator('.jp-STXMReferencesView').screenshot({
    ...DOC_SHOT,
    path: path.join(DOCS_IMAGES, 'workbench-references-error.png')
  });
});
