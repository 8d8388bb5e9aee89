/**
 * The references a workbench uses: the set, where it came from (its files on
 * the server, if any, and whether it was edited since), and why the last
 * attempt to load another failed. Edits swap in new sets (refedit.ts); the
 * model announces them.
 */
import type { ReferenceSet } from '../core/model/references.js';
import type { ReferencesOrigin } from './commandline.js';
import { recoloured, renamed, without } from './refedit.js';

export class ReferencesInUse {
  get set(): ReferenceSet | null {
    return this._set;
  }
  get error(): string | null {
    return this._error;
  }
  /** Where the references came from, or null without references. */
  get origin(): ReferencesOrigin | null {
    const set = this._set;
    return set ? { files: this._files, edited: this._edited, source: set.source } : null;
  }

  use(set: ReferenceSet | null, origin: { files?: readonly string[]; edited?: boolean }): void {
    this._set = set;
    this._files = set ? [...(origin.files ?? [])] : [];
    this._edited = set ? (origin.edited ?? false) : false;
    this._error = null;
  }

  setError(message: string | null): void {
    this._error = message;
  }

  /**
   * Rename reference `index`: the old and the new (clean) name, or null when
   * nothing changed. Throws on an empty or duplicate name.
   */
  rename(index: number, name: string): { from: string; to: string } | null {
    const set = this._set;
    const old = set?.spectra[index];
    if (!set || !old || name.trim() === old.name) {
      return null;
    }
    this._set = renamed(set, index, name);
    this._edited = true;
    return { from: old.name, to: this._set.spectra[index].name };
  }

  /** Give reference `index` a display colour (`#rrggbb`); false when refused. */
  recolour(index: number, color: string): boolean {
    const next = this._set ? recoloured(this._set, index, color) : null;
    if (next) {
      this._set = next;
    }
    return next !== null;
  }

  /** Remove reference `index`; false when there is none. */
  remove(index: number): boolean {
    if (!this._set?.spectra[index]) {
      return false;
    }
    this._set = without(this._set, index);
    this._edited = this._set !== null;
    if (!this._set) {
      this._files = [];
    }
    return true;
  }

  private _set: ReferenceSet | null = null;
  private _error: string | null = null;
  private _files: string[] = [];
  private _edited = false;
}
