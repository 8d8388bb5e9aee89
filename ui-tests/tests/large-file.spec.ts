/**
 * A stack file is read where it lies, on the server: the analysis worker asks
 * /files/ for ranges of it (a slab of the cube at a time), never for the
 * whole file, and the workbench shows a progress bar while it reads. A stack
 * too large to move between workers (over the setting largeStackValues,
 * lowered here) is read, held and mapped by its stack worker.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import { waitForStatus } from './helpers';
import { openDemo, runAndWait, VIEWPORT } from './workbench-helpers';

test.use({ viewport: VIEWPORT });

test('a 100 MB stack opens through range requests, with a progress bar while it reads', async ({
  page,
  tmpPath
}) => {
  const name = 'large-stack.h5';
  // a simulated 1024 × 1024 × 12 stack (100 MB of float64: six slabs)
  await page.evaluate(
    async ({ dir, name }) => {
      await window.jupyterapp.commands.execute('stxm-phasemap:open-demo', {
        dir,
        name,
        ny: 1024,
        nx: 1024
      });
    },
    { dir: tmpPath, name }
  );
  const first = await page.activity.getPanelLocator(name);
  await waitForStatus(first!.locator('.jp-STXMView'), 'ready', 90_000);
  // close it, then open it again while watching the requests and the panel
  await page.activity.closeAll();

  const reads: { range: string | null; bytes: number }[] = [];
  page.on('request', async request => {
    if (request.url().includes(`/files/${tmpPath}/${name}`)) {
      reads.push({ range: (await request.allHeaders())['range'] ?? null, bytes: -1 });
    }
  });
  page.on('response', async response => {
    if (response.url().includes(`/files/${tmpPath}/${name}`)) {
      const length = Number(response.headers()['content-length'] ?? -1);
      reads.push({ range: `status ${response.status()}`, bytes: length });
    }
  });
  // every progress bar the panel shows, with its value, and what the spectrum panel says
  // once the stack is loaded (it is pre-processed then, for seconds: the stack worker
  // answers no spectrum meanwhile) — a MutationObserver on the page
  await page.evaluate(() => {
    const seen: number[] = [];
    const said: string[] = [];
    const w = window as unknown as { stxmProgress: number[]; stxmSpectrumSaid: string[] };
    w.stxmProgress = seen;
    w.stxmSpectrumSaid = said;
    let loadedAt: number | null = null;
    new MutationObserver(records => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (
            n instanceof HTMLProgressElement &&
            n.classList.contains('jp-STXMView-loadProgress')
          ) {
            seen.push(n.value);
          }
        }
      }
      // (a frame's delay after the header changes is allowed: the chart redraws on the next one)
      const loaded = /energies/.test(
        document.querySelector('.jp-STXMView-shape')?.textContent ?? ''
      );
      if (loaded && loadedAt === null) {
        loadedAt = performance.now();
      }
      const message = document.querySelector('.jp-STXMSpectrumView .jp-STXMChart-message');
      if (
        loadedAt !== null &&
        performance.now() - loadedAt > 250 &&
        message instanceof HTMLElement &&
        !message.hidden &&
        message.textContent
      ) {
        said.push(message.textContent);
      }
    }).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true
    });
  });
  expect(await page.filebrowser.open(`${tmpPath}/${name}`)).toBe(true);
  const panel = await page.activity.getPanelLocator(name);
  const view = panel!.locator('.jp-STXMView');
  await waitForStatus(view, 'ready', 90_000);
  await expect(view.locator('.jp-STXMView-shape')).toHaveText('12 energies × 1024 × 1024 px');
  await expect(view.locator('.jp-STXMView-loadProgress')).toHaveCount(0);

  const size = (await page.contents.getContentMetadata(`${tmpPath}/${name}`))!.size as number;
  expect(size).toBeGreaterThan(96 * 2 ** 20);
  const requests = reads.filter(r => r.bytes < 0);
  const responses = reads.filter(r => r.bytes >= 0);
  // every request asked for a range; every answer was a 206 of at most one slab (16 MiB)
  expect(requests.length).toBeGreaterThanOrEqual(4);
  expect(requests.filter(r => r.range === null)).toEqual([]);
  expect(responses.every(r => r.range === 'status 206')).toBe(true);
  expect(Math.max(...responses.map(r => r.bytes))).toBeLessThanOrEqual(16 * 2 ** 20);
  // every byte once, but the ring current (float32, half of this file) twice: the workbench
  // applies it as it reads, its mean first, then with the counts (never a cube in memory)
  const fetched = responses.reduce((n, r) => n + r.bytes, 0);
  expect(fetched).toBeGreaterThan(1.45 * size);
  expect(fetched).toBeLessThan(1.6 * size);

  const progress = await page.evaluate(
    () => (window as unknown as { stxmProgress: number[] }).stxmProgress
  );
  expect(progress.length, 'no progress bar was shown while reading').toBeGreaterThanOrEqual(2);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(Math.max(...progress)).toBeGreaterThan(0.5);

  // a loaded stack is never called missing while its spectra wait for pre-processing
  const said = await page.evaluate(
    () => (window as unknown as { stxmSpectrumSaid: string[] }).stxmSpectrumSaid
  );
  expect(said.filter(m => /No stack loaded/.test(m))).toEqual([]);

  // the image is the file's: not blank
  const canvas = view.locator('.jp-STXMView-image canvas');
  await expect(canvas).toBeVisible();
});

test.describe('a stack too large to move between workers (the threshold lowered)', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'stxm-phasemap:plugin': { largeStackValues: 1000, method: 'gmvae', epochs: 20 }
    }
  });

  test('is read, pre-processed and mapped in its stack worker; Cancel keeps the result', async ({
    page,
    tmpPath
  }) => {
    // the bundles' file names carry a content hash (stxm-worker.<hash>.js)
    const workers: string[] = [];
    page.on('worker', worker => {
      const file = new URL(worker.url()).pathname.split('/').pop()!;
      workers.push(
        file.startsWith('stxm-compute-worker.')
          ? 'compute'
          : file.startsWith('stxm-worker.')
            ? 'full'
            : file
      );
    });
    const seen: number[] = [];
    await page.exposeFunction('stxmLoadProgress', (v: number) => seen.push(v));
    await page.evaluate(() => {
      const report = (window as unknown as { stxmLoadProgress: (v: number) => void })
        .stxmLoadProgress;
      new MutationObserver(records => {
        for (const r of records) {
          for (const n of r.addedNodes) {
            if (
              n instanceof HTMLProgressElement &&
              n.classList.contains('jp-STXMView-loadProgress')
            ) {
              report(n.value);
            }
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    // 384 × 384 × 20 float64 (24 MiB: two slabs), far above the lowered threshold
    const view = await openDemo(page, tmpPath, { name: 'held.h5', seed: 2, ny: 384, nx: 384 });
    await expect(view.locator('.jp-STXMView-shape')).toHaveText(/ energies × 384 × 384 px$/);
    await expect(view.locator('.jp-STXMView-image canvas')).toBeVisible();
    expect(seen.length, 'no progress bar while the stack worker read').toBeGreaterThanOrEqual(1);

    await runAndWait(view);
    const maps = view.locator('.jp-STXMMapsView');
    await expect(maps).toHaveAttribute('data-has-result', 'true');
    // no cube crossed to another worker: the stack worker (the full bundle, which reads)
    // did the run; no compute worker was started, for the stack or for the run
    expect(workers.filter(w => w === 'compute')).toEqual([]);
    expect(workers.filter(w => w === 'full').length).toBeGreaterThanOrEqual(2);

    // a long run in the stack worker: Cancel stops it there, the result and the stack stay
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('stxm-phasemap:run', { epochs: 2000 });
    });
    await expect(view).toHaveAttribute('data-run-state', 'running');
    await expect(view.locator('.jp-STXMTrainingView')).toHaveAttribute(
      'data-epochs',
      /^[1-9]\d*$/,
      { timeout: 60_000 }
    );
    await view.locator('button.jp-STXMRunBar-cancel').click();
    await expect(view).toHaveAttribute('data-run-state', 'cancelled');
    await expect(maps).toHaveAttribute('data-has-result', 'true');
    // and the next run maps again (the cancelled one stopped in the worker)
    await runAndWait(view);
    expect(workers.filter(w => w === 'compute')).toEqual([]);
  });
});
