/**
 * The table of `make bench` (bench/run.mjs): one row per figure of issue 7,
 * ours next to the reference measured in the same run, the ratio and the
 * target. Figures a job did not deliver show as "–" (run.mjs lists why).
 */

const fmt = (v, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits);
const ms = v =>
  v === null || v === undefined
    ? '–'
    : v >= 10_000
      ? `${fmt(v / 1000, 1)} s`
      : `${fmt(v, v < 100 ? 1 : 0)} ms`;
const ratio = (a, b) => (a === null || a === undefined || !b ? null : a / b);
const x = v => (v === null ? '–' : `${fmt(v, 2)}×`);

function pick(obj, path) {
  let o = obj;
  for (const k of path.split('.')) {
    if (o === null || o === undefined) {
      return null;
    }
    o = o[k];
  }
  return o ?? null;
}

function met(value, op, limit) {
  if (value === null || value === undefined) {
    return '–';
  }
  return (op === '<=' ? value <= limit : value >= limit) ? 'yes' : 'no';
}

/** Rows: { figure, ours, reference, ratio, target, met } (strings). */
export function buildTable(report) {
  const r = report.results;
  const rows = [];

  for (const ne of ['20', '100']) {
    const node = r[`pearson.node.${ne}`];
    const chr = r[`pearson.chromium.${ne}`];
    const np = r[`pearson.numpy.${ne}`];
    const npMs = pick(np, 'pearson.median_ms');
    const px = pick(node, 'pixels') ?? pick(np, 'pixels') ?? 1e6;
    const label = `Pearson + ambiguity, ${px >= 1e6 ? `${px / 1e6}e6` : px} px × ${ne} E × 5 refs`;
    for (const [where, oursMs, passMs] of [
      ['Node', pick(node, 'wasm.median'), pick(node, 'sumPass.median')],
      [
        'Chromium worker',
        pick(chr, 'kernels.auto.pearsonPlusAmbiguity.medianMs'),
        pick(chr, 'memoryPass.medianMs')
      ]
    ]) {
      const vsNumpy = ratio(oursMs, npMs);
      rows.push({
        figure: `${label}, ${where}: time / numpy`,
        ours: ms(oursMs),
        reference: `numpy ${ms(npMs)}`,
        ratio: x(vsNumpy),
        target: '≤ 0.5×',
        met: met(vsNumpy, '<=', 0.5)
      });
      const vsPass = ratio(oursMs, passMs);
      rows.push({
        figure: `${label}, ${where}: time / one read pass (JS loop summing the cube, same runtime)`,
        ours: ms(oursMs),
        reference: `pass ${ms(passMs)}`,
        ratio: x(vsPass),
        target: '≤ 4×',
        met: met(vsPass, '<=', 4)
      });
    }
    const npSum = pick(np, 'memory_pass.sum.median_ms');
    rows.push({
      figure: `${label}: Node time / numpy cube.sum() (SIMD read at memory speed; for information)`,
      ours: ms(pick(node, 'wasm.median')),
      reference: `sum ${ms(npSum)}`,
      ratio: x(ratio(pick(node, 'wasm.median'), npSum)),
      target: '',
      met: ''
    });
    if (pick(node, 'js.median') !== null) {
      rows.push({
        figure: `${label}: Node, the TypeScript loop (fallback) / numpy`,
        ours: ms(pick(node, 'js.median')),
        reference: `numpy ${ms(npMs)}`,
        ratio: x(ratio(pick(node, 'js.median'), npMs)),
        target: '',
        met: ''
      });
    }
  }

  const torchRuns = pick(r['gmvae.torch'], 'runs') ?? [];
  const torchBest = torchRuns.reduce(
    (best, run) => (run.samples_per_s > (best?.samples_per_s ?? 0) ? run : best),
    null
  );
  const torchLabel = `PyTorch CPU (best of 1 and 2 threads: ${torchBest ? torchBest.threads : '–'})`;
  for (const [where, sps, target] of [
    ['Node (wasm training kernel)', pick(r['gmvae.node'], 'kernel.samplesPerSecond'), 1.5],
    [
      'Chromium worker (wasm training kernel)',
      pick(r['gmvae.chromium'], 'backends.kernel.samplesPerSecond'),
      1.5
    ],
    ['Node (tfjs wasm)', pick(r['gmvae.node'], 'wasm.samplesPerSecond'), null],
    [
      'Chromium worker (tfjs wasm)',
      pick(r['gmvae.chromium'], 'backends.wasm.samplesPerSecond'),
      null
    ]
  ]) {
    const v = ratio(sps, torchBest?.samples_per_s);
    rows.push({
      figure: `GMVAE training, samples/s, ${where} / ${torchLabel}`,
      ours: fmt(sps),
      reference: `torch ${fmt(torchBest?.samples_per_s)}`,
      ratio: x(v),
      target: target ? `≥ ${target.toFixed(1)}×` : '',
      met: target ? met(v, '>=', target) : ''
    });
  }
  const cpuSps = pick(r['gmvae.node'], 'cpu.samplesPerSecond');
  if (cpuSps !== null) {
    rows.push({
      figure: 'GMVAE training, samples/s, Node tfjs cpu backend (for the backend choice)',
      ours: fmt(cpuSps),
      reference: `wasm ${fmt(pick(r['gmvae.node'], 'wasm.samplesPerSecond'))}`,
      ratio: x(ratio(cpuSps, pick(r['gmvae.node'], 'wasm.samplesPerSecond'))),
      target: '',
      met: ''
    });
  }

  for (const [size, limitS] of [
    ['256', 3],
    ['1024', 30]
  ]) {
    const node = r[`pipeline.node.${size}`];
    const chr = r[`pipeline.chromium.${size}`];
    const py = r[`pipeline.python.${size}`];
    const pyMs = pick(py, 'total_ms');
    const label = `File → final map, ${size}×${size}×20 (gmvae)`;
    const chrMs = pick(chr, 'timingsMs.fileToFinalMap');
    rows.push({
      figure: `${label}, Chromium worker`,
      ours: ms(chrMs),
      reference: `Python ${ms(pyMs)}`,
      ratio: x(ratio(chrMs, pyMs)),
      target: `≤ ${limitS} s`,
      met: met(chrMs, '<=', limitS * 1000)
    });
    const nodeMs = pick(node, 'totalMs');
    rows.push({
      figure: `${label}, Node`,
      ours: ms(nodeMs),
      reference: `Python ${ms(pyMs)}`,
      ratio: x(ratio(nodeMs, pyMs)),
      target: `≤ ${limitS} s`,
      met: met(nodeMs, '<=', limitS * 1000)
    });
    const train = [
      pick(chr, 'timingsMs.stages.train'),
      pick(node, 'stagesMs.train'),
      pick(py, 'stages_ms.train')
    ];
    rows.push({
      figure: `${label}: of which GMVAE training (Chromium / Node / Python)`,
      ours: `${ms(train[0])} / ${ms(train[1])}`,
      reference: `Python ${ms(train[2])}`,
      ratio: '',
      target: '',
      met: ''
    });
    const wb = r[`workbench.chromium.${size}`];
    const rawMiB =
      pick(wb, 'memory.stackRawMiB') ?? pick(chr, 'memory.stackRawMiB') ?? pick(node, 'rawMiB');
    const chrPeak = pick(chr, 'memory.peakAboveBaselineMiB.rendererAnon');
    const wbPeak = pick(wb, 'memory.peakAboveMiB');
    const nodePeak = pick(node, 'peakAboveBaselineMiB');
    const pyPeak = pick(py, 'memory.pipeline_peak_bytes');
    const pyRaw = pick(py, 'raw_cube_bytes');
    for (const [where, peak] of [
      [
        'Chromium workbench (page + workers; read from the server, prepared, run in its stack worker)',
        wbPeak
      ],
      ['Chromium, the file bytes fetched into the page, run in a worker of its own', chrPeak],
      ['Node', nodePeak]
    ]) {
      const v = ratio(peak, rawMiB);
      rows.push({
        figure: `${label}: peak memory above baseline / raw stack (${fmt(rawMiB)} MiB), ${where}`,
        ours: `${fmt(peak)} MiB`,
        reference: pyPeak
          ? `Python ${fmt(pyPeak / 2 ** 20)} MiB (${x(ratio(pyPeak, pyRaw))})`
          : '–',
        ratio: x(v),
        target: '≤ 3×',
        met: met(v, '<=', 3)
      });
    }
  }

  const lat = r['redraw.chromium'];
  for (const method of ['gmvae', 'pcc']) {
    const m = pick(lat, `${method}.preview.median`);
    const p90 = pick(lat, `${method}.preview.p90`);
    rows.push({
      figure: `τ move → ambiguity and final maps on screen, 512×512, JupyterLab in Chromium, ${method} (median / p90)`,
      ours: `${ms(m)} / ${ms(p90)}`,
      reference: '',
      ratio: '',
      target: '≤ 50 ms',
      met: met(m, '<=', 50)
    });
  }
  const all = pick(lat, 'gmvae.frame.median');
  if (all !== null) {
    rows.push({
      figure: 'τ move → every map (confidence, flags too) on screen, 512×512, gmvae (median / p90)',
      ours: `${ms(all)} / ${ms(pick(lat, 'gmvae.frame.p90'))}`,
      reference: '',
      ratio: '',
      target: '',
      met: ''
    });
  }
  const tn = pick(r['redraw.node'], 'sizes.512');
  if (tn) {
    rows.push({
      figure:
        'τ re-resolution alone, 512×512 every pixel a particle pixel, Node (first step / whole move)',
      ours: `${ms(tn.firstStepMs)} / ${ms(tn.wallMs)}`,
      reference: '',
      ratio: '',
      target: '',
      met: ''
    });
  }

  const rd = r['read.node'];
  const h5 = r['read.h5py'];
  const h5Mibs = pick(h5, 'warm.mib_per_s');
  rows.push({
    figure: `HDF5 open + read, ${fmt(pick(rd, 'fileBytes') / 2 ** 20)} MB stack (warm page cache), h5wasm in Node / h5py`,
    ours: `${fmt(pick(rd, 'medianMiBps'))} MiB/s`,
    reference: `h5py ${fmt(h5Mibs)} MiB/s`,
    ratio: x(ratio(pick(rd, 'medianMiBps'), h5Mibs)),
    target: '',
    met: ''
  });
  return rows;
}

export function formatText(rows, report) {
  const w = [0, 0, 0, 0, 0, 0];
  const cells = rows.map(r => [r.figure, r.ours, r.reference, r.ratio, r.target, r.met]);
  const head = ['figure', 'ours', 'reference', 'ratio', 'target', 'met'];
  for (const c of [head, ...cells]) {
    c.forEach((v, i) => (w[i] = Math.max(w[i], String(v).length)));
  }
  w[0] = Math.min(w[0], 100);
  const line = c =>
    c
      .map((v, i) =>
        String(v)
          .slice(0, i === 0 ? 100 : undefined)
          .padEnd(w[i])
      )
      .join('  ');
  return [
    '',
    `STXM PhaseMap performance, ${report.date} (${report.seconds} s): ${report.machine.cpu}, ${report.machine.cores} cores`,
    line(head),
    ...cells.map(line),
    ''
  ].join('\n');
}

export function formatMarkdown(rows, report) {
  const m = report.machine;
  const out = [
    `Measured by \`make bench\` on ${report.date.slice(0, 10)} in ${Math.round(report.seconds / 60)} min: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ` +
      `load average at the end ${m.loadAverageAtEnd.join(' / ')}. ${m.node}; ${m.chromium ?? 'Chromium –'}; ${m.python ?? 'Python –'}; ` +
      Object.entries(m.packages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
    '',
    '| figure | ours | reference (same run) | ratio | target | met |',
    '|---|---:|---:|---:|---:|:---:|',
    ...rows.map(
      r => `| ${r.figure} | ${r.ours} | ${r.reference} | ${r.ratio} | ${r.target} | ${r.met} |`
    ),
    ''
  ];
  if (report.skipped.length) {
    out.push(
      `Not measured in this run: ${report.skipped.map(s => `${s.key} (${s.reason})`).join('; ')}.`,
      ''
    );
  }
  return out.join('\n');
}
