/**
 * What the pre-processing tab says about a prepared stack, as pure functions
 * (tested in Node, prepared-text.spec.ts): the one-line summary, the table of
 * shifts and I0 per energy, and each provenance step's details.
 */
import type { PreparedStack } from '../../core/model/prepared.js';
import type { ProvenanceStep } from '../../core/model/result.js';
import type { Stack } from '../../core/model/stack.js';
import { fmt } from '../shared/dom.js';

/** "12 energies × 40 × 56 px of optical density · cropped to … · binned 2 × 2 · dropped frames at …". */
export function preparedSummary(
  prepared: Pick<PreparedStack, 'stack' | 'crop' | 'binning' | 'droppedFrames'>,
  raw: Pick<Stack, 'x' | 'y' | 'energies'> | null
): string {
  const s = prepared.stack;
  const parts: string[] = [
    `${s.energies.length} energies × ${s.y.length} × ${s.x.length} px of optical density`
  ];
  if (prepared.crop && raw) {
    const c = prepared.crop;
    if (c.x1 - c.x0 !== raw.x.length || c.y1 - c.y0 !== raw.y.length) {
      parts.push(`cropped to x ${c.x0}–${c.x1}, y ${c.y0}–${c.y1} (the area every frame covers)`);
    }
  }
  if (prepared.binning && prepared.binning > 1) {
    parts.push(`binned ${prepared.binning} × ${prepared.binning}`);
  }
  if (prepared.droppedFrames?.length && raw) {
    parts.push(
      `dropped frames at ${prepared.droppedFrames.map(i => fmt(raw.energies[i], 6)).join(', ')} eV`
    );
  }
  return parts.join(' · ');
}

/** One row per energy: energy, dx, dy, I0. */
export function shiftRows(prepared: Pick<PreparedStack, 'stack' | 'shifts' | 'i0'>): string[][] {
  const e = prepared.stack.energies;
  return Array.from(e, (ev, i) => [
    fmt(ev, 6),
    fmt(prepared.shifts.dx[i], 3),
    fmt(prepared.shifts.dy[i], 3),
    fmt(prepared.i0[i])
  ]);
}

/** A provenance step's details on one line; long lists cut after 6 values. */
export function formatDetails(d: ProvenanceStep['details']): string {
  return Object.entries(d)
    .map(([k, v]) => {
      if (Array.isArray(v)) {
        const head = v
          .slice(0, 6)
          .map(x => fmt(x))
          .join(', ');
        return `${k}: [${head}${v.length > 6 ? `, … (${v.length})` : ''}]`;
      }
      return `${k}: ${typeof v === 'number' ? fmt(v) : String(v)}`;
    })
    .join(' · ');
}
