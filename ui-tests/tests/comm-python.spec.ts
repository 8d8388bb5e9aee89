/**
 * The Python bridge in a real JupyterLab and kernel: a 100 MB cube pushed and
 * read back (chunked both ways), malformed messages answered with errors,
 * the interactive output renderer (safe with hostile payloads), and the data
 * surviving a kernel restart and a page reload.
 */
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';

import { DOC_SHOT, DOCS_IMAGES, reloadWithoutReadyCheck } from './helpers';
import { execute, executeInKernel, lastJson, runInCell0, uploadHelper } from './notebook-helpers';

test.describe.configure({ mode: 'serial' });

test('comm: a 100 MB cube goes to a workbench and comes back exactly', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(240_000);
  await uploadHelper(page, tmpPath, 'comm_check.py');
  expect(await page.notebook.createNew('big.ipynb', { kernel: 'python3' })).toBe('big.ipynb');
  await runInCell0(
    page,
    'import stxm_phasemap as spm, comm_check as cc\nlab = await spm.connect()'
  );
  const out = lastJson(await runInCell0(page, 'cc.show(await cc.round_trip(lab))'));
  console.log(`100 MB round trip: ${JSON.stringify(out)}`);
  expect(out.mb as number).toBeGreaterThanOrEqual(100);
  expect(out.equal).toBe(true);
  expect(out.energies_equal).toBe(true);
  expect(out.dtype).toBe('float32');
  expect(out.path).toBe(`${tmpPath}/big_cube.h5`);
  // The pushed cube is a file next to the notebook, open in a workbench.
  await expect(page.locator('.jp-STXMView[data-status="ready"]')).toHaveCount(1);
});

test('comm: malformed requests get error replies; a plain cell reads its answer in the next', async ({
  page,
  tmpPath
}) => {
  await uploadHelper(page, tmpPath, 'comm_check.py');
  expect(await page.notebook.createNew('bad.ipynb', { kernel: 'python3' })).toBe('bad.ipynb');
  await runInCell0(
    page,
    'import stxm_phasemap as spm, comm_check as cc\nlab = await spm.connect()'
  );
  const out = lastJson(await runInCell0(page, 'cc.show(await cc.malformed(lab))'));
  expect(out.path_type).toMatch(/^invalid-request: "params.path" must be a non-empty string/);
  // pipeline parameters are checked by the parameter model, which names the parameter
  expect(out.threshold).toMatch(
    /^invalid-request: "params.params": parameter threshold must be a number in 0…1, not "high"/
  );
  expect(out.method).toMatch(/^invalid-request: unknown "method" "rm_rf"/);
  expect(out.nbytes).toMatch(/^invalid-request: chunk of "data" says 8 bytes, buffer has 4/);
  // The connection still works after all that.
  expect(await runInCell0(page, 'print(len(await lab.workbenches()))')).toMatch(/^\d+/);
  // A plain cell cannot await: the answer is handled after the cell, read in the next one.
  expect(
    await runInCell0(page, 'job = lab.simulate(0.5, shape=(20, 24))\nprint(job.done())')
  ).toContain('False');
  expect(await runInCell0(page, 'print(job.result().data.shape)')).toContain('(12, 20, 24)');
});

test('comm: the output renderer draws a result and never runs markup from a notebook', async ({
  page
}) => {
  test.setTimeout(120_000);
  expect(await page.notebook.createNew('show.ipynb', { kernel: 'python3' })).toBe('show.ipynb');
  await runInCell0(
    page,
    'import stxm_phasemap as spm\nlab = await spm.connect()\nsim = await lab.simulate(0.5, shape=(40, 50))'
  );
  await runInCell0(
    page,
    'wb = lab.open_arrays(sim.data, sim.energies, x=sim.x, y=sim.y, path="show.h5", overwrite=True)\n' +
      'await wb.set_references(sim.references)\nr = await wb.run(method="pcc", progress=False)'
  );
  await page.notebook.setCell(0, 'code', 'r');
  await page.notebook.runCell(0);
  const view = page.locator('.jp-STXMPhaseMapOutput[data-status="ready"]');
  await expect(view).toHaveCount(1);
  await expect(view.locator('canvas')).toHaveCount(1);
  await expect(view.locator('.jp-STXMPhaseMapOutput-legend')).toContainText('Na3');
  await expect(view.locator('.jp-STXMPhaseMapOutput-legend')).toContainText('Na1');
  await view.locator('button[data-mode="initial"]').click();
  await expect(view).toHaveAttribute('data-mode', 'initial');
  await expect(view.locator('.jp-STXMPhaseMapOutput-legend')).toContainText('ambiguous');
  const box = (await view.locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(view.locator('.jp-STXMPhaseMapOutput-readout')).toContainText(/Na3|Na1/);
  await view.screenshot({ ...DOC_SHOT, path: path.join(DOCS_IMAGES, 'notebook-output.png') });

  // A hostile payload: markup in the title and phase names is shown as text.
  await page.notebook.setCell(
    0,
    'code',
    'p = spm._display.mime_payload(r)\np["title"] = p["phaseNames"][0] = "<img src=x onerror=window.pwned=1>"\n' +
      'p["warnings"] = [dict(code="x", level="warning", message=p["title"])]\n' +
      'display({spm.MIME_TYPE: p}, raw=True)'
  );
  await page.notebook.runCell(0);
  await expect(page.locator('.jp-STXMPhaseMapOutput[data-status="ready"]')).toContainText(
    '<img src=x onerror=window.pwned=1>'
  );
  // … and in a warning
  await expect(page.locator('.jp-STXMPhaseMapOutput-warning.jp-mod-warning')).toHaveText(
    '⚠ warning: <img src=x onerror=window.pwned=1>'
  );
  expect(await page.locator('.jp-STXMPhaseMapOutput img').count()).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)
  ).toBeUndefined();

  // A broken payload: a one-line message instead of a crash.
  await page.notebook.setCell(
    0,
    'code',
    'p["maps"]["phase"] = "AAAA"\ndisplay({spm.MIME_TYPE: p}, raw=True)'
  );
  await page.notebook.runCell(0);
  await expect(page.locator('.jp-STXMPhaseMapOutput-error')).toContainText(
    'cannot show this output: map "phase": a map is not valid zlib data'
  );
});

test.describe('kernel restart', () => {
  // Galata's kernel tracking answers a frontend restart with a wrong status: off here.
  test.use({ kernels: null });

  test('comm: workbench data survive a kernel restart and a page reload', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(180_000);
    await uploadHelper(page, tmpPath, 'comm_check.py');
    // The default name: Galata's rename would leave the kernel session on the old path,
    // and the reloaded page would not find the kernel again.
    const notebook = await page.notebook.createNew(undefined, { kernel: 'python3' });
    expect(notebook).toMatch(/\.ipynb$/);
    await runInCell0(
      page,
      'import stxm_phasemap as spm, comm_check as cc\nlab = await spm.connect()\n' +
        'sim = await lab.simulate(0.3, seed=5, shape=(30, 40))'
    );
    await runInCell0(
      page,
      'wb = lab.open_arrays(sim.data, sim.energies, x=sim.x, y=sim.y, path="kept.h5", overwrite=True)\n' +
        'await wb.set_references(sim.references)\nr = await wb.run(method="pcc", progress=False)\n' +
        'cc.show({"sum": float(sim.data.sum()), "fractions": r.fractions.tolist()})'
    );
    const before = lastJson(
      await runInCell0(
        page,
        'cc.show({"sum": float(sim.data.sum()), "fractions": r.fractions.tolist()})'
      )
    );

    // Kernel restart: Python forgets everything; the workbench keeps stack, references and result.
    const oldPid = (await runInCell0(page, 'import os; print(os.getpid())')).trim();
    await page.evaluate(async () => {
      const app = (
        window as unknown as {
          jupyterapp: {
            shell: { currentWidget: { sessionContext: { restartKernel(): Promise<void> } } };
          };
        }
      ).jupyterapp;
      await app.shell.currentWidget.sessionContext.restartKernel();
    });
    expect((await runInCell0(page, 'import os; print(os.getpid())')).trim()).not.toBe(oldPid);
    await runInCell0(
      page,
      'import stxm_phasemap as spm, comm_check as cc\nlab = await spm.connect()'
    );
    const after = lastJson(
      await runInCell0(
        page,
        `s = await lab.get_stack("${tmpPath}/kept.h5")\nwb = await lab.open("kept.h5")\nr = await wb.get_result()\n` +
          'cc.show({"sum": float(s.data.sum()), "fractions": r.fractions.tolist(), "refs": (await wb.get_references()).names})'
      )
    );
    expect(after.sum).toBe(before.sum);
    expect(after.fractions).toEqual(before.fractions);
    expect(after.refs).toEqual(['Na3', 'Na1']);

    // Page reload: the browser side of the comm is gone; the kernel's `lab` reconnects by itself.
    await runInCell0(page, 'lab.ack_timeout = 3');
    // (the restored layout has no Launcher, which Galata's readiness check waits for)
    await reloadWithoutReadyCheck(page);
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await page.waitForSelector('.jp-Notebook');
    await execute(page, 'docmanager:open', { path: `${tmpPath}/${notebook}` });
    await page.locator('#jp-main-statusbar >> text=Idle').waitFor({ timeout: 60_000 });
    const reloaded = lastJson(
      await executeInKernel(
        page,
        `s = await lab.get_stack("${tmpPath}/kept.h5")\ncc.show({"sum": float(s.data.sum()), "reconnects": lab.reconnects})`
      )
    );
    expect(reloaded.sum).toBe(before.sum);
    expect(reloaded.reconnects).toBe(1);
  });
});

test('comm: a subshell console gets answers while a notebook cell is busy', async ({ page }) => {
  test.setTimeout(120_000);
  // The default name: the console finds its notebook's kernel by the session's path,
  // which Galata's rename would leave behind.
  const notebook = await page.notebook.createNew(undefined, { kernel: 'python3' });
  expect(notebook).toMatch(/\.ipynb$/);
  await runInCell0(page, 'import stxm_phasemap as spm, time, threading\nlab = await spm.connect()');
  // Keep the notebook's kernel connection at hand to start the blocking cell later.
  await page.evaluate(() => {
    const w = window as unknown as {
      nbKernel: unknown;
      jupyterapp: {
        shell: { currentWidget: { sessionContext: { session: { kernel: unknown } } } };
      };
    };
    w.nbKernel = w.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  });
  // The console asks for its subshell (kernel info first) while the main shell is free.
  await execute(page, 'notebook:create-subshell-console', { activate: false });
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const panel = document.querySelector('.jp-CodeConsole');
          return panel !== null && (window as unknown as { galata: unknown }).galata !== undefined;
        }),
      { timeout: 30_000 }
    )
    .toBe(true);
  await page.activity.activateTab('Console 1');
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const app = (
            window as unknown as {
              jupyterapp: {
                shell: {
                  currentWidget: {
                    sessionContext: { session: { kernel: { subshellId: string | null } } | null };
                  };
                };
              };
            }
          ).jupyterapp;
          return app.shell.currentWidget.sessionContext.session?.kernel.subshellId ?? null;
        }),
      { timeout: 30_000 }
    )
    .not.toBeNull();
  // A plain (blocking) cell keeps the main shell busy for 30 s.
  await page.evaluate(() => {
    (
      window as unknown as { nbKernel: { requestExecute(c: { code: string }): unknown } }
    ).nbKernel.requestExecute({ code: 't0 = time.time(); time.sleep(30)' });
  });
  await page.waitForTimeout(500);
  const out = await executeInKernel(
    page,
    'print("start", round(time.time() - t0, 1), threading.current_thread().name)\n' +
      's = await lab.simulate(0.4, shape=(20, 24))\nprint(s.data.shape, round(time.time() - t0, 1))'
  );
  console.log(`subshell console: ${JSON.stringify(out)}`);
  expect(out).toMatch(/\(12, 20, 24\) /);
  expect(out).not.toMatch(/MainThread/);
  expect(Number(out.trim().split(' ').pop())).toBeLessThan(30); // the notebook cell still sleeps
});
