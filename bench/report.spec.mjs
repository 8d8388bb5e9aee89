/** The bench table: ratios and verdicts from the raw figures, '–' where a job delivered nothing. */
import { describe, expect, it } from 'vitest';

import { replaceMarkedSection } from './common.mjs';
import { buildTable, formatMarkdown } from './report.mjs';

const machine = {
  cpu: 'test cpu',
  cores: 2,
  memoryGiB: 24,
  loadAverageAtEnd: [1, 1, 1],
  node: 'v20',
  chromium: null,
  python: null,
  packages: {}
};

function row(rows, start) {
  const r = rows.find(x => x.figure.startsWith(start));
  expect(r, start).toBeDefined();
  return r;
}

describe('bench report', () => {
  it('divides ours by the reference of the same run and checks the target', () => {
    const report = {
      date: '2026-11-25T00:00:00Z',
      seconds: 60,
      machine,
      skipped: [],
      results: {
        'pearson.node.20': {
          pixels: 1e6,
          wasm: { median: 60 },
          js: { median: 300 },
          sumPass: { median: 30 }
        },
        'pearson.numpy.20': {
          pixels: 1e6,
          pearson: { median_ms: 200 },
          memory_pass: { sum: { median_ms: 8 } }
        },
        'gmvae.node': {
          kernel: { samplesPerSecond: 56000 },
          wasm: { samplesPerSecond: 7000 },
          cpu: { samplesPerSecond: 1500 }
        },
        'gmvae.chromium': { backends: { kernel: { samplesPerSecond: 40000 } } },
        'gmvae.torch': {
          runs: [
            { threads: 1, samples_per_s: 20000 },
            { threads: 2, samples_per_s: 28000 }
          ]
        },
        'pipeline.chromium.1024': {
          timingsMs: { fileToFinalMap: 20000, stages: { train: 15000 } },
          memory: { stackRawMiB: 80, peakAboveBaselineMiB: { rendererAnon: 400 } }
        },
        'workbench.chromium.1024': { memory: { stackRawMiB: 80, peakAboveMiB: 208 } },
        'redraw.chromium': { gmvae: { preview: { median: 40, p90: 60 } } }
      }
    };
    const rows = buildTable(report);
    const p = row(rows, 'Pearson + ambiguity, 1e6 px × 20 E × 5 refs, Node: time / numpy');
    expect(p.ratio).toBe('0.30×');
    expect(p.met).toBe('yes');
    expect(
      row(rows, 'Pearson + ambiguity, 1e6 px × 20 E × 5 refs, Node: time / one read pass').ratio
    ).toBe('2.00×');
    // against the better torch setting (2 threads); the kernel's target is 1.5×
    const k = row(rows, 'GMVAE training, samples/s, Node (wasm training kernel)');
    expect([k.ratio, k.target, k.met]).toEqual(['2.00×', '≥ 1.5×', 'yes']);
    const kc = row(rows, 'GMVAE training, samples/s, Chromium worker (wasm training kernel)');
    expect([kc.ratio, kc.met]).toEqual(['1.43×', 'no']);
    // tfjs wasm for comparison, no target
    const g = row(rows, 'GMVAE training, samples/s, Node (tfjs wasm)');
    expect([g.ratio, g.target, g.met]).toEqual(['0.25×', '', '']);
    const f = row(rows, 'File → final map, 1024×1024×20 (gmvae), Chromium worker');
    expect(f.met).toBe('yes');
    // the product's path (the workbench), and the bytes-in-the-page path beside it
    const workbench = row(
      rows,
      'File → final map, 1024×1024×20 (gmvae): peak memory above baseline / raw stack (80 MiB), Chromium workbench'
    );
    expect([workbench.ratio, workbench.met]).toEqual(['2.60×', 'yes']);
    expect(
      row(
        rows,
        'File → final map, 1024×1024×20 (gmvae): peak memory above baseline / raw stack (80 MiB), Chromium, the file bytes'
      ).ratio
    ).toBe('5.00×');
    expect(
      row(
        rows,
        'τ move → ambiguity and final maps on screen, 512×512, JupyterLab in Chromium, gmvae'
      ).met
    ).toBe('yes');
    // a job that did not run: no number, no verdict
    const missing = row(rows, 'File → final map, 256×256×20 (gmvae), Chromium worker');
    expect(missing.ours).toBe('–');
    expect(missing.met).toBe('–');
    expect(formatMarkdown(rows, report)).toContain(
      '| Pearson + ambiguity, 1e6 px × 20 E × 5 refs, Node: time / numpy | 60.0 ms | numpy 200 ms | 0.30× | ≤ 0.5× | yes |'
    );
  });

  it('rewrites only the part between the markers, and refuses a file without them', () => {
    const doc = 'intro\n<!-- a:begin -->\nold\n<!-- a:end -->\noutro\n';
    expect(replaceMarkedSection(doc, '<!-- a:begin -->', '<!-- a:end -->', 'new', 'x.md')).toBe(
      'intro\n<!-- a:begin -->\nnew\n<!-- a:end -->\noutro\n'
    );
    expect(() =>
      replaceMarkedSection('no markers', '<!-- a:begin -->', '<!-- a:end -->', 'new', 'x.md')
    ).toThrow(/x\.md lacks the markers/);
  });
});
