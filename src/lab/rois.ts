/** The regions of interest of a workbench, in µm: each gets the next free name and colour. */
import { phaseColor } from '../core/model/palette.js';
import type { Roi, SampleRect } from './model-types.js';

export class RoiList {
  get list(): readonly Roi[] {
    return this._rois;
  }

  add(rect: SampleRect): Roi {
    const id = ++this._lastId;
    const roi: Roi = { id, name: `ROI ${id}`, color: phaseColor(id + 3), rect };
    this._rois = [...this._rois, roi];
    return roi;
  }

  /** Put back ROIs kept from an earlier session. */
  restore(rois: readonly Roi[]): void {
    this._rois = rois.map(r => ({ ...r, rect: { ...r.rect } }));
    this._lastId = Math.max(0, ...this._rois.map(r => r.id));
  }

  remove(id: number): void {
    this._rois = this._rois.filter(r => r.id !== id);
  }

  private _rois: Roi[] = [];
  private _lastId = 0;
}
