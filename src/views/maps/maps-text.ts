/**
 * The text of the maps view: the hover read-out of one pixel and the phase
 * fractions table. Phase names are set as text only.
 */
import type { PhaseMapResult } from '../../core/model/result.js';
import { displayText } from '../../core/model/text.js';
import { clear, el, fmt } from '../shared/dom.js';
import type { PixelGrid, PixelIndex } from '../shared/grid.js';
import type { PhaseStyle } from '../shared/phase-style.js';

/** Position, final (and initial) phase, every ρ, margin, confidence, flags. */
export function pixelReadout(
  result: PhaseMapResult,
  grid: PixelGrid,
  p: PixelIndex,
  pinned: boolean
): string {
  const [ny, nx] = result.shape;
  const npx = ny * nx;
  const i = p.iy * nx + p.ix;
  const where = `x ${fmt(grid.x[p.ix])} µm, y ${fmt(grid.y[p.iy])} µm (${p.ix}, ${p.iy})`;
  if (result.phase[i] < 0) {
    return `${where} · background`;
  }
  const names = result.phaseNames.map(displayText);
  const rho = names.map((n, k) => `${n} ${fmt(result.pcc[k * npx + i], 4)}`).join(', ');
  const parts = [
    where,
    `phase ${names[result.phase[i]]}`,
    result.initialPhase[i] !== result.phase[i] ? `initially ${names[result.initialPhase[i]]}` : '',
    `ρ: ${rho}`,
    `margin ${fmt(result.margin[i], 3)}${result.ambiguous[i] ? ' (ambiguous)' : ''}`,
    Number.isFinite(result.confidence[i]) ? `confidence ${fmt(result.confidence[i], 3)}` : '',
    result.transition[i] ? 'transition' : '',
    result.falseAssignment[i] ? 'false assignment' : '',
    result.unassigned[i] ? 'unassigned' : '',
    pinned ? 'pinned' : ''
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The fractions table (swatch, phase, pixels, %) and the counts line. */
export function renderFractions(
  table: HTMLTableElement,
  countsLine: HTMLElement,
  result: PhaseMapResult,
  styles: readonly PhaseStyle[]
): void {
  clear(table);
  const head = el('tr');
  for (const h of ['', 'Phase', 'Pixels', 'Fraction']) {
    head.append(el('th', undefined, h));
  }
  table.append(el('thead'));
  table.tHead!.append(head);
  const body = el('tbody');
  const particle = result.counts.particle;
  result.phaseNames.forEach((name, i) => {
    const row = el('tr');
    const sw = el('span', 'jp-STXMSwatch');
    sw.style.background = styles[i]?.color ?? '#888';
    const c0 = el('td');
    c0.append(sw);
    row.append(
      c0,
      el('td', undefined, name),
      el('td', undefined, String(Math.round(result.fractions[i] * particle))),
      el('td', undefined, `${fmt(100 * result.fractions[i], 3)} %`)
    );
    body.append(row);
  });
  table.append(body);
  const c = result.counts;
  countsLine.textContent =
    `${c.particle} particle pixels · ${c.ambiguous} ambiguous · ${c.resolved} resolved · ` +
    `${c.transition} transition · ${c.falseAssignment} false assignments · ${c.unassigned} unassigned`;
}
