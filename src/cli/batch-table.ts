/**
 * The summary table of a batch: one row per stack, written as `DIR/summary.csv`
 * by `stxm-phasemap batch` and returned as a pandas DataFrame by Python's
 * `map_files` (which builds it by the same rule from the same rows).
 *
 * Columns: `file`, `name`, the manifest's own columns, `status` (mapped,
 * skipped = a result with the same hash was there, failed), `error`, one
 * `fraction_<phase>` per phase (in order of first appearance), then
 * `TAIL_COLUMNS`: counts, warnings, decisions, settings, timings, result, hash.
 */
import type { BatchTask } from './batch-plan.js';
import type { MapSummary } from './map.js';

export type BatchStatus = 'mapped' | 'skipped' | 'failed';
export type Cell = string | number | null;
export type BatchRow = Record<string, Cell>;

/** The columns after the phase fractions, in order. */
export const TAIL_COLUMNS = [
  'particle',
  'ambiguous',
  'resolved',
  'transition',
  'false_assignment',
  'unassigned',
  'warnings',
  'warning_codes',
  'warning_text',
  'energy_shift_ev',
  'drift_px',
  'method',
  'threshold',
  'seed',
  'prepare_ms',
  'pcc_ms',
  'train_ms',
  'resolve_ms',
  'total_ms',
  'result',
  'hash'
] as const;

export const FRACTION_PREFIX = 'fraction_';

/** A stack's row (without the manifest's columns, which the table adds). */
export function taskRow(
  task: Pick<BatchTask, 'file' | 'name' | 'result' | 'hash'>,
  status: BatchStatus,
  outcome: { summary: MapSummary } | { error: string }
): BatchRow {
  const row: BatchRow = { file: task.file, name: task.name, status, error: null };
  if ('error' in outcome) {
    row.error = outcome.error;
    row.hash = task.hash;
    return row;
  }
  const s = outcome.summary;
  for (const p of s.phases) {
    row[`${FRACTION_PREFIX}${p.name}`] = p.fraction;
  }
  row.particle = s.counts.particle;
  row.ambiguous = s.counts.ambiguous;
  row.resolved = s.counts.resolved;
  row.transition = s.counts.transition;
  row.false_assignment = s.counts.falseAssignment;
  row.unassigned = s.counts.unassigned;
  row.warnings = s.warnings.length;
  row.warning_codes = s.warnings.map(w => w.code).join(';');
  row.warning_text = s.warnings
    .map(w => `${w.level === 'warning' ? 'warning' : 'note'}: ${w.message}`)
    .join(' | ');
  row.energy_shift_ev = s.decisions.energyShift.applied ? s.decisions.energyShift.shiftEv : 0;
  row.drift_px = s.decisions.alignment.driftPx;
  row.method = s.method;
  row.threshold = s.threshold;
  row.seed = s.seed;
  for (const stage of ['prepare', 'pcc', 'train', 'resolve', 'total']) {
    row[`${stage}_ms`] = s.timingsMs[stage] ?? null;
  }
  row.result = task.result;
  row.hash = task.hash;
  return row;
}

/** The table's columns for these rows. */
export function tableColumns(rows: BatchRow[], manifestColumns: string[]): string[] {
  const fractions: string[] = [];
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (k.startsWith(FRACTION_PREFIX) && !fractions.includes(k)) {
        fractions.push(k);
      }
    }
  }
  return ['file', 'name', ...manifestColumns, 'status', 'error', ...fractions, ...TAIL_COLUMNS];
}

/** Rows with the manifest's columns, in the table's column order (missing cells null). */
export function tableRows(
  rows: BatchRow[],
  tasks: Pick<BatchTask, 'columns'>[],
  manifestColumns: string[]
): { columns: string[]; rows: BatchRow[] } {
  const columns = tableColumns(rows, manifestColumns);
  const out = rows.map((r, i) => {
    const full: BatchRow = {};
    for (const c of columns) {
      const v = manifestColumns.includes(c) ? tasks[i]?.columns[c] : r[c];
      full[c] = v === undefined ? null : v;
    }
    return full;
  });
  return { columns, rows: out };
}

/**
 * A text cell: quoted when needed, and neutralised against spreadsheet formula
 * injection (file and phase names are untrusted), as the workbench's CSV exports do.
 */
export function csvCell(text: string): string {
  const t = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** CSV text of the table (empty cells for null; text neutralised against formula injection). */
export function tableCsv(columns: string[], rows: BatchRow[]): string {
  const cell = (v: Cell): string =>
    v === null ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : csvCell(v);
  return [columns.map(csvCell).join(','), ...rows.map(r => columns.map(c => cell(r[c])).join(','))]
    .join('\n')
    .concat('\n');
}
