/**
 * The example notebook (examples/nvpf_states_of_charge.ipynb, also the demo)
 * runs in a real JupyterLab and kernel; its numpy results are checked, and the
 * saved notebook exported with `jupyter nbconvert --to html` shows the maps as
 * PNG images. STXM_UPDATE_EXAMPLE=1 writes the executed notebook back to
 * examples/ (how the committed outputs are made).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';

import { REPO_ROOT } from './helpers';
import { execute, executeInKernel, lastJson } from './notebook-helpers';

const NAME = 'nvpf_states_of_charge.ipynb';
const EXAMPLE = path.join(REPO_ROOT, 'examples', NAME);
const VENV_JUPYTER = path.join(REPO_ROOT, '.venv', 'bin', 'jupyter');
const JUPYTER = process.env.JUPYTER || (fs.existsSync(VENV_JUPYTER) ? VENV_JUPYTER : 'jupyter');

const CHECKS = `
import json
out = {
    "n": len(results),
    "stack": [str(sims[0].data.dtype), list(sims[0].data.shape)],
    "names": results[0].phase_names,
    "crop": results[0].crop,
    "grid": list(results[0].on_stack_grid("phase").shape),
    "shapes": {k: list(getattr(results[0], k).shape) for k in ("phase", "initial_phase", "pcc", "ambiguous", "confidence", "transition", "false_assignment", "fractions")},
    "dtypes": {k: str(getattr(results[0], k).dtype) for k in ("phase", "initial_phase", "pcc", "ambiguous", "confidence", "transition", "false_assignment", "fractions")},
    "fraction_sums": [float(r.fractions.sum()) for r in results],
    "na1": na1.tolist(), "truth": truth.tolist(), "agree": agree.tolist(),
    "paths": [wb.path for wb in benches],
}
print(json.dumps(out))
`;

test('example notebook: runs, its numpy results check out, its HTML export shows the maps', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(300_000);
  // Updating the committed example: run it at the server's root, so that its outputs name
  // the files as a user sees them (nvpf_soc15.h5, not a test folder).
  const where = process.env.STXM_UPDATE_EXAMPLE ? '' : `${tmpPath}/`;
  expect(await page.contents.uploadFile(EXAMPLE, `${where}${NAME}`)).toBe(true);
  await execute(page, 'docmanager:open', { path: `${where}${NAME}` });
  await page.locator('.jp-Notebook').first().waitFor();
  // JupyterLab may ask which kernel to start for a notebook it has not run yet.
  const select = page.locator('.jp-Dialog .jp-mod-accept');
  if (await select.isVisible({ timeout: 5_000 }).catch(() => false)) {
    await select.click();
  }
  await page.locator('#jp-main-statusbar >> text=Idle').waitFor({ timeout: 60_000 });
  await execute(page, 'notebook:clear-all-cell-outputs');
  await execute(page, 'notebook:run-all-cells');
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          (
            window as unknown as { galata: { haveBeenExecuted(): boolean } }
          ).galata.haveBeenExecuted()
        ),
      { timeout: 240_000, intervals: [500, 1000] }
    )
    .toBe(true);
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  ).toHaveCount(0);
  expect(await page.locator('.jp-RenderedText:has-text("Traceback")').count()).toBe(0);

  // The numpy results.
  const out = lastJson(await executeInKernel(page, CHECKS));
  expect(out.n).toBe(4);
  expect(out.stack).toEqual(['float32', [12, 48, 64]]);
  expect(out.names).toEqual(['Na3', 'Na1']);
  // an aligned map is cropped to the area every frame covers, and knows where it sits
  const crop = out.crop as [number, number, number, number] | null;
  const [ny, nx] = crop ? [crop[1] - crop[0], crop[3] - crop[2]] : [48, 64];
  expect(out.grid).toEqual([48, 64]);
  expect(out.shapes).toEqual({
    phase: [ny, nx],
    initial_phase: [ny, nx],
    pcc: [2, ny, nx],
    ambiguous: [ny, nx],
    confidence: [ny, nx],
    transition: [ny, nx],
    false_assignment: [ny, nx],
    fractions: [2]
  });
  expect(out.dtypes).toEqual({
    phase: 'int16',
    initial_phase: 'int16',
    pcc: 'float32',
    ambiguous: 'uint8',
    confidence: 'float32',
    transition: 'uint8',
    false_assignment: 'uint8',
    fractions: 'float64'
  });
  for (const s of out.fraction_sums as number[]) {
    expect(Math.abs(s - 1)).toBeLessThan(1e-9);
  }
  const na1 = out.na1 as number[];
  const truth = out.truth as number[];
  for (let i = 1; i < na1.length; i++) {
    expect(na1[i], `Na1 fraction grows with the state of charge: ${na1}`).toBeGreaterThan(
      na1[i - 1]
    );
  }
  na1.forEach((f, i) =>
    expect(Math.abs(f - truth[i]), `Na1 ${f} vs truth ${truth[i]}`).toBeLessThan(0.1)
  );
  for (const a of out.agree as number[]) {
    expect(a).toBeGreaterThan(0.85);
  }
  const files = [15, 40, 65, 90].map(p => `${where}nvpf_soc${p}.h5`);
  expect(out.paths).toEqual(files);

  // The interactive outputs: results[-1] and the four maps of the last cell.
  await expect(page.locator('.jp-STXMPhaseMapOutput[data-status="ready"]')).toHaveCount(5);

  // Saved and exported to HTML, the notebook shows the maps as PNG images.
  await page.notebook.save();
  const response = await page.request.get(`/api/contents/${where}${NAME}?content=1&type=notebook`);
  expect(response.ok()).toBe(true);
  const notebook = (await response.json()).content as Record<string, unknown>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stxm-example-'));
  const saved = path.join(dir, NAME);
  fs.writeFileSync(saved, JSON.stringify(notebook, null, 1) + '\n');
  execFileSync(JUPYTER, ['nbconvert', '--to', 'html', '--log-level', 'WARN', saved], {
    stdio: 'pipe'
  });
  const html = fs.readFileSync(saved.replace(/\.ipynb$/, '.html'), 'utf8');
  const images = [...html.matchAll(/<img[^>]* src="data:image\/png;base64,([A-Za-z0-9+/=\s]+)"/g)];
  expect(images.length).toBeGreaterThanOrEqual(5);
  for (const [, b64] of images) {
    const png = Buffer.from(b64, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(1000);
  }
  expect(html).not.toContain('Traceback');
  if (process.env.STXM_UPDATE_EXAMPLE) {
    fs.writeFileSync(EXAMPLE, JSON.stringify(notebook, null, 1) + '\n');
    for (const file of [...files, NAME]) {
      await page.contents.deleteFile(file);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
