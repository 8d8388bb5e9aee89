/**
 * The workbench model: one per open stack file. Every view listens to it.
 */
import { Signal } from '@lumino/signaling';

import { describeStack, oneLine, type Stack, type StackInfo } from '../core/index.js';
import type { IStackSource, LoadStatus } from '../views/stackview.js';

export class WorkbenchModel implements IStackSource {
  constructor(readonly path: string) {}

  get status(): LoadStatus {
    return this._status;
  }
  get stack(): Stack | null {
    return this._stack;
  }
  get info(): StackInfo | null {
    return this._info;
  }
  get error(): string | null {
    return this._error;
  }
  get changed(): Signal<this, void> {
    return this._changed;
  }

  /**
   * Load the stack with `read`. On failure the model keeps any stack it had
   * and reports the error.
   */
  async load(read: () => Promise<Stack>): Promise<void> {
    this._status = 'loading';
    this._error = null;
    this._changed.emit();
    try {
      const stack = await read();
      this._stack = stack;
      this._info = describeStack(stack);
      this._status = 'ready';
    } catch (err) {
      // Any stack loaded before stays in the model (and on screen) beside the message.
      this._error = oneLine(err);
      this._status = 'error';
    }
    this._changed.emit();
  }

  dispose(): void {
    Signal.clearData(this);
    this._stack = null;
  }

  private _status: LoadStatus = 'loading';
  private _stack: Stack | null = null;
  private _info: StackInfo | null = null;
  private _error: string | null = null;
  private readonly _changed = new Signal<this, void>(this);
}
