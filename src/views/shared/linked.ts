/**
 * State shared by the views of one workbench: the linked cursor (a point on
 * the sample in µm, so that grids of different shapes agree) and the brushed
 * pixel selection (on the result's grid, shared by the maps and the latent
 * plot).
 */
import { Signal, type ISignal } from '@lumino/signaling';

import type { SamplePoint } from './grid.js';

export class LinkedCursor {
  /** Where the cursor is, or null when it is off the sample. */
  get point(): SamplePoint | null {
    return this._point;
  }

  /** A pinned cursor stays put while the pointer moves elsewhere (click to pin/unpin). */
  get pinned(): boolean {
    return this._pinned;
  }

  get changed(): ISignal<this, SamplePoint | null> {
    return this._changed;
  }

  /** Follow the pointer (ignored while pinned). */
  hover(point: SamplePoint | null): void {
    if (!this._pinned) {
      this._set(point);
    }
  }

  /** Pin at a point; pinning the pinned point again unpins. */
  togglePin(point: SamplePoint): void {
    if (this._pinned && this._point && same(this._point, point)) {
      this._pinned = false;
      this._changed.emit(this._point);
      return;
    }
    this._pinned = true;
    this._set(point, true);
  }

  /** Move the cursor from the keyboard (pins it, so it stays where the keys left it). */
  moveTo(point: SamplePoint): void {
    this._pinned = true;
    this._set(point, true);
  }

  unpin(): void {
    if (this._pinned) {
      this._pinned = false;
      this._changed.emit(this._point);
    }
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private _set(point: SamplePoint | null, force = false): void {
    if (!force && point === this._point) {
      return;
    }
    if (!force && point && this._point && same(point, this._point)) {
      return;
    }
    this._point = point;
    this._changed.emit(point);
  }

  private _point: SamplePoint | null = null;
  private _pinned = false;
  private readonly _changed = new Signal<this, SamplePoint | null>(this);
}

function same(a: SamplePoint, b: SamplePoint): boolean {
  return Math.abs(a.xUm - b.xUm) < 1e-9 && Math.abs(a.yUm - b.yUm) < 1e-9;
}

/** Who made a selection: brushing the latent plot or a map. */
export type SelectionSource = 'latent' | 'map';

export class PixelSelection {
  /** 1 = selected, on the result's (y, x) grid; null = nothing selected. */
  get mask(): Uint8Array | null {
    return this._mask;
  }
  get count(): number {
    return this._count;
  }
  get source(): SelectionSource | null {
    return this._source;
  }
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  set(mask: Uint8Array | null, source: SelectionSource): void {
    let count = 0;
    if (mask) {
      for (let i = 0; i < mask.length; i++) {
        count += mask[i] ? 1 : 0;
      }
    }
    this._mask = mask && count > 0 ? mask : null;
    this._count = this._mask ? count : 0;
    this._source = this._mask ? source : null;
    this._changed.emit();
  }

  clear(): void {
    if (this._mask) {
      this.set(null, 'map');
    }
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private _mask: Uint8Array | null = null;
  private _count = 0;
  private _source: SelectionSource | null = null;
  private readonly _changed = new Signal<this, void>(this);
}
