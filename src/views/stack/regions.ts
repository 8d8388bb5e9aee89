/**
 * The regions drawn on the image — ROIs and the I0 region — as outlines on
 * whatever grid is on screen (converted through µm), and as a list of chips
 * with a remove button. Names are text only.
 */
import type { IWorkbenchModel } from '../../lab/model-types.js';
import { clear, el } from '../shared/dom.js';
import { pixelRange, rectOfPixels, type PixelGrid } from '../shared/grid.js';
import type { FrameRect } from '../shared/image-frame.js';

/** The I0 region's outline colour (Okabe–Ito yellow, dashed). */
const I0_COLOR = '#F0E442';

/** What the regions are drawn from, and the intents of their chips. */
export type RegionsInput = Pick<
  IWorkbenchModel,
  'stack' | 'rois' | 'params' | 'removeRoi' | 'setParams'
>;

function clampInt(v: number, n: number): number {
  return Math.max(0, Math.min(n, Math.round(v)));
}

/** Outlines of the ROIs and the I0 region on `grid`. */
export function regionRects(
  source: Pick<RegionsInput, 'stack' | 'rois' | 'params'>,
  grid: PixelGrid
): FrameRect[] {
  const raw = source.stack;
  const rects: FrameRect[] = [];
  for (const roi of source.rois) {
    const r = pixelRange(grid, roi.rect);
    if (r.x1 > r.x0 && r.y1 > r.y0) {
      rects.push({ ...r, color: roi.color, label: roi.name });
    }
  }
  const i0 = source.params.preprocess.i0;
  if (raw && i0.mode === 'roi') {
    const rect = rectOfPixels(
      { x: raw.x, y: raw.y },
      clampInt(i0.x0, raw.x.length),
      clampInt(i0.x1, raw.x.length),
      clampInt(i0.y0, raw.y.length),
      clampInt(i0.y1, raw.y.length)
    );
    rects.push({ ...pixelRange(grid, rect), color: I0_COLOR, label: 'I0 region', dashed: true });
  }
  return rects;
}

function chip(
  swatchClass: string,
  color: string | null,
  text: string,
  removeLabel: string,
  onRemove: () => void,
  className = ''
): HTMLSpanElement {
  const node = el('span', `jp-STXMChip ${className}`.trim());
  const sw = el('span', `jp-STXMSwatch ${swatchClass}`.trim());
  if (color) {
    sw.style.background = color;
  }
  const remove = el('button', 'jp-STXMChip-remove', '×');
  remove.type = 'button';
  remove.title = removeLabel;
  remove.setAttribute('aria-label', removeLabel);
  remove.addEventListener('click', onRemove);
  node.append(sw, el('span', 'jp-STXMChip-name', text), remove);
  return node;
}

/** The list of ROIs and the I0 region, each removable. */
export function renderRegionList(list: HTMLElement, source: RegionsInput): void {
  clear(list);
  for (const roi of source.rois) {
    list.append(
      chip('', roi.color, roi.name, `Remove ${roi.name}`, () => source.removeRoi(roi.id))
    );
  }
  const i0 = source.params.preprocess.i0;
  if (i0.mode === 'roi') {
    list.append(
      chip(
        'jp-mod-dashed',
        null,
        `I0 region x ${i0.x0}–${i0.x1}, y ${i0.y0}–${i0.y1} px`,
        'Back to automatic I0',
        () => source.setParams({ preprocess: { i0: { mode: 'auto' } } }),
        'jp-mod-i0'
      )
    );
  }
  list.hidden = list.childElementCount === 0;
}
