/**
 * The comparison figure of a batch (`DIR/summary.svg`), after the paper's
 * Fig. 5: the phase fractions of every stack. Against a numeric column of the
 * manifest (`--x state_of_charge`, or the first numeric column), one line per
 * phase; otherwise one stacked bar per stack. Failed stacks are named as
 * such. Plain SVG text, no DOM; every label from a file is escaped.
 */
import { phaseColor } from '../core/model/palette.js';
import { FRACTION_PREFIX, type BatchRow } from './batch-table.js';

const W = 760;
const H = 420;
const M = { left: 64, right: 170, top: 40, bottom: 90 };

function esc(text: string): string {
  return text
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  return String(Number(v.toFixed(2)));
}

/** The column the figure uses as x: `wanted` if numeric, else the first numeric manifest column. */
export function figureAxis(
  rows: BatchRow[],
  manifestColumns: string[],
  wanted?: string
): string | null {
  const numeric = (c: string): boolean =>
    rows.some(r => typeof r[c] === 'number') &&
    rows.every(r => r[c] === null || typeof r[c] === 'number');
  if (wanted !== undefined) {
    return numeric(wanted) ? wanted : null;
  }
  return manifestColumns.find(numeric) ?? null;
}

/** `ticks` nice tick values covering lo…hi. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    return [lo];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Number(t.toPrecision(12)));
  }
  return out;
}

export function batchFigureSvg(
  rows: BatchRow[],
  columns: string[],
  x: string | null,
  title: string
): string {
  const phases = columns.filter(c => c.startsWith(FRACTION_PREFIX));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const yOf = (f: number): number => M.top + ph * (1 - f);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="22" font-size="15">${esc(title)}</text>`
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${yOf(t)}" y2="${yOf(t)}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${yOf(t) + 4}" text-anchor="end">${t * 100} %</text>`
    );
  }
  parts.push(
    `<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">phase fraction of the particle</text>`
  );
  const failedMark = (px: number, label: string): void => {
    parts.push(
      `<text x="${px}" y="${yOf(0) - 6}" text-anchor="middle" fill="#b00">×</text>`,
      `<text x="${px}" y="${yOf(0.5)}" text-anchor="middle" fill="#b00" transform="rotate(-90 ${px} ${yOf(0.5)})">${esc(label)}</text>`
    );
  };
  const xs = x ? rows.map(r => r[x]).filter((v): v is number => typeof v === 'number') : [];
  if (x && xs.length > 0) {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const pad = hi > lo ? 0.05 * (hi - lo) : 1;
    const xOf = (v: number): number => M.left + (pw * (v - (lo - pad))) / (hi - lo + 2 * pad);
    for (const t of ticks(lo - pad, hi + pad)) {
      parts.push(
        `<line x1="${xOf(t)}" x2="${xOf(t)}" y1="${yOf(0)}" y2="${yOf(0) + 5}" stroke="#333"/>`,
        `<text x="${xOf(t)}" y="${yOf(0) + 18}" text-anchor="middle">${fmt(t)}</text>`
      );
    }
    parts.push(
      `<text x="${M.left + pw / 2}" y="${yOf(0) + 40}" text-anchor="middle">${esc(x)}</text>`
    );
    phases.forEach((p, i) => {
      const pts = rows
        .filter(r => r.status !== 'failed' && typeof r[x] === 'number' && typeof r[p] === 'number')
        .map(r => [xOf(r[x] as number), yOf(r[p] as number)] as const)
        .sort((a, b) => a[0] - b[0]);
      const colour = phaseColor(i);
      if (pts.length > 1) {
        parts.push(
          `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`
        );
      }
      for (const [a, b] of pts) {
        parts.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="4" fill="${colour}"/>`);
      }
    });
    for (const r of rows) {
      if (r.status === 'failed' && typeof r[x] === 'number') {
        failedMark(xOf(r[x]), `${String(r.name)}: failed`);
      }
    }
  } else {
    const slot = pw / Math.max(1, rows.length);
    const bw = Math.min(48, slot * 0.7);
    rows.forEach((r, k) => {
      const cx = M.left + slot * (k + 0.5);
      if (r.status === 'failed') {
        failedMark(cx, 'failed');
      } else {
        let acc = 0;
        phases.forEach((p, i) => {
          const f = typeof r[p] === 'number' ? r[p] : 0;
          if (f > 0) {
            parts.push(
              `<rect x="${(cx - bw / 2).toFixed(1)}" y="${yOf(acc + f).toFixed(1)}" width="${bw.toFixed(1)}" height="${(ph * f).toFixed(1)}" fill="${phaseColor(i)}"/>`
            );
          }
          acc += f;
        });
      }
      parts.push(
        `<text x="${cx.toFixed(1)}" y="${yOf(0) + 14}" text-anchor="end" transform="rotate(-40 ${cx.toFixed(1)} ${yOf(0) + 14})">${esc(String(r.name))}</text>`
      );
    });
  }
  parts.push(
    `<line x1="${M.left}" x2="${M.left + pw}" y1="${yOf(0)}" y2="${yOf(0)}" stroke="#333"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${yOf(0)}" y2="${yOf(1)}" stroke="#333"/>`
  );
  phases.forEach((p, i) => {
    const y = M.top + 10 + 20 * i;
    parts.push(
      `<rect x="${W - M.right + 16}" y="${y - 9}" width="12" height="12" fill="${phaseColor(i)}"/>`,
      `<text x="${W - M.right + 34}" y="${y + 1}">${esc(p.slice(FRACTION_PREFIX.length))}</text>`
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
