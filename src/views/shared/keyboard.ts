/**
 * Keyboard access to an image: arrow keys move the linked cursor one pixel
 * (and pin it); Escape unpins.
 */
import { pixelAt, positionOf, type PixelGrid } from './grid.js';
import type { LinkedCursor } from './linked.js';

const STEPS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1]
};

export function handleCursorKey(
  ev: KeyboardEvent,
  grid: PixelGrid | null,
  cursor: LinkedCursor
): void {
  if (!grid) {
    return;
  }
  if (ev.key === 'Escape') {
    cursor.unpin();
    return;
  }
  const d = STEPS[ev.key];
  if (!d) {
    return;
  }
  ev.preventDefault();
  ev.stopPropagation();
  const point = cursor.point;
  const cur = point ? pixelAt(grid, point) : null;
  const nx = grid.x.length;
  const ny = grid.y.length;
  const step = ev.shiftKey ? 10 : 1;
  const ix = Math.max(0, Math.min(nx - 1, (cur?.ix ?? Math.floor(nx / 2)) + d[0] * step));
  const iy = Math.max(0, Math.min(ny - 1, (cur?.iy ?? Math.floor(ny / 2)) + d[1] * step));
  cursor.moveTo(positionOf(grid, ix, iy));
}
