/**
 * Python ↔ extension comm: a notebook fetches the open stack with
 * `stxm_phasemap.connect()` / `get_stack()` and it matches h5py's reading.
 */
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';

import {
  HAVE_REAL_STACK,
  NO_REAL_STACK_MESSAGE,
  REAL_STACK,
  REAL_STACK_NAME,
  stackView,
  waitForStatus
} from './helpers';
import { lastJson, runInCell0 as run } from './notebook-helpers';

const HELPER = path.join(__dirname, 'stxm_check.py');

test('comm: get_stack() in a notebook matches h5py', async ({ page, tmpPath }) => {
  test.skip(!HAVE_REAL_STACK, NO_REAL_STACK_MESSAGE);
  test.setTimeout(240_000);
  expect(await page.contents.uploadFile(REAL_STACK, `${tmpPath}/${REAL_STACK_NAME}`)).toBe(true);
  expect(await page.contents.uploadFile(HELPER, `${tmpPath}/stxm_check.py`)).toBe(true);
  await page.filebrowser.refresh();

  expect(await page.filebrowser.open(`${tmpPath}/${REAL_STACK_NAME}`)).toBe(true);
  await waitForStatus(await stackView(page, REAL_STACK_NAME), 'ready');

  expect(await page.notebook.createNew('comm.ipynb', { kernel: 'python3' })).toBe('comm.ipynb');

  await run(page, 'import stxm_phasemap as spm, stxm_check as chk');
  await run(page, 'wb = await spm.connect()');
  await run(page, 's = await wb.get_stack()');
  const got = lastJson(await run(page, 'chk.describe(s.data)'));
  const ref = lastJson(await run(page, `chk.ref_sum('${REAL_STACK_NAME}')`));
  const applied = lastJson(
    await run(page, 'import json; print(json.dumps({"mean": s.info["ringCurrentApplied"]}))')
  );

  // The server (and so the kernel) runs without Node.js on PATH when the venv is used:
  // the prebuilt extension must load and work without it.
  if (!process.env.JUPYTER) {
    expect(lastJson(await run(page, 'chk.which_node()')).node).toBeNull();
  }

  expect(got.shape).toEqual([4, 50, 50]);
  expect(got.dtype).toBe('float32');
  // the workbench read the counts with the file's ring current applied (as pre-processing
  // normalises them), and says so: the mean current, which h5py's reading gives too
  const sum = got.sum as number;
  const refSum = ref.ref_sum_ring as number;
  expect(refSum).toBeGreaterThan(0);
  expect(refSum).not.toBe(ref.ref_sum);
  expect(
    Math.abs(sum - refSum) / Math.abs(refSum),
    `comm sum ${sum} vs h5py sum ${refSum} (normalised to the ring current)`
  ).toBeLessThanOrEqual(1e-6);
  const mean = applied.mean as number;
  expect(Math.abs(mean - (ref.mean_current as number)) / mean).toBeLessThan(1e-6);
});
