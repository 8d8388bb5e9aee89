/**
 * The pre-processing controls: I0 (automatic from the bright background, a
 * region drawn on the image, or a measured spectrum), ring current and dwell,
 * frame alignment, energy calibration, particle mask, binning; and the state
 * of the pre-processing under way. A value the parameter model refuses is
 * named here and nothing is stored.
 */
import { Signal } from '@lumino/signaling';

import type { PreprocessParams } from '../../core/model/result.js';
import type { IWorkbenchModel } from '../../lab/model-types.js';
import type { IWorkbenchActions } from '../shared/actions.js';
import { button, checkbox, el, labelled, numberInput, select, setText } from '../shared/dom.js';

/** What the controls show and set. */
export type PreprocessFormInput = Pick<
  IWorkbenchModel,
  | 'params'
  | 'stack'
  | 'references'
  | 'prepareState'
  | 'prepareError'
  | 'effectiveShiftEv'
  | 'paramsChanged'
  | 'stackChanged'
  | 'referencesChanged'
  | 'prepareStateChanged'
  | 'setParams'
>;

export class PreprocessForm {
  /**
   * `host` carries the state of the pre-processing (`data-prepare-state`);
   * `drawI0` switches the image viewer to drawing the I0 region.
   */
  constructor(
    private readonly _source: PreprocessFormInput,
    private readonly _host: HTMLElement,
    private readonly _drawI0: () => void,
    private readonly _actions: IWorkbenchActions
  ) {
    const form = (this.node = el('div', 'jp-STXMToolbar jp-STXMPreprocessView-form'));
    this._i0Mode = select<'auto' | 'roi' | 'spectrum'>(
      [
        { value: 'auto', label: 'Automatic (bright background)' },
        { value: 'roi', label: 'Region on the image' },
        { value: 'spectrum', label: 'Measured I0 spectrum (file)' }
      ],
      'auto',
      v => {
        if (v === 'auto') {
          this._set({ i0: { mode: 'auto' } });
        } else if (v === 'roi') {
          this._drawI0();
        } else {
          this._i0Mode.value = this._source.params.preprocess.i0.mode;
          this._actions.loadI0Spectrum();
        }
      },
      'jp-STXMPreprocessView-i0'
    );
    this._dwell = checkbox(true, v => this._set({ dwell: v }), 'jp-STXMPreprocessView-dwell');
    this._interp = select<'linear' | 'cubic'>(
      [
        { value: 'linear', label: 'linear' },
        { value: 'cubic', label: 'cubic' }
      ],
      'linear',
      v => this._set({ alignInterpolation: v }),
      'jp-STXMPreprocessView-interp'
    );
    this._interp.setAttribute('aria-label', 'Resampling of shifted frames');
    this._interp.title = 'How shifted frames are resampled (linear: no overshoot at edges)';
    this._autoShift = select<'auto' | 'fixed' | 'off'>(
      [
        { value: 'auto', label: 'automatic' },
        { value: 'fixed', label: 'fixed (References tab)' },
        { value: 'off', label: 'off' }
      ],
      'auto',
      v =>
        this._set({
          energyShift: v === 'auto' ? 'auto' : v === 'off' ? 0 : this._source.effectiveShiftEv
        }),
      'jp-STXMPreprocessView-autoShift'
    );
    this._autoShift.setAttribute('aria-label', 'Energy calibration of the references');
    this._ring = checkbox(true, v => this._set({ ringCurrent: v }), 'jp-STXMPreprocessView-ring');
    this._align = select<'auto' | 'on' | 'off'>(
      [
        { value: 'auto', label: 'automatic' },
        { value: 'on', label: 'on' },
        { value: 'off', label: 'off' }
      ],
      'auto',
      v => this._set({ align: v === 'auto' ? 'auto' : v === 'on' }),
      'jp-STXMPreprocessView-align'
    );
    this._align.setAttribute('aria-label', 'Frame alignment');
    this._maskMode = select<'otsu' | 'threshold'>(
      [
        { value: 'otsu', label: 'Otsu on mean OD' },
        { value: 'threshold', label: 'Mean OD above…' }
      ],
      'otsu',
      v =>
        this._set({
          mask:
            v === 'otsu'
              ? { mode: 'otsu' }
              : { mode: 'threshold', od: Number(this._maskOd.value) || 0.1 }
        }),
      'jp-STXMPreprocessView-maskMode'
    );
    this._maskOd = numberInput(0.1, { step: 0.01, min: 0 }, v =>
      this._set({ mask: { mode: 'threshold', od: v } })
    );
    this._maskOd.setAttribute('aria-label', 'Mean OD threshold of the mask');
    this._binning = select<string>(
      ['1', '2', '3', '4'].map(v => ({ value: v, label: v === '1' ? 'none' : `${v} × ${v}` })),
      '1',
      v => this._set({ binning: Number(v) }),
      'jp-STXMPreprocessView-binning'
    );
    form.append(
      labelled('I0', this._i0Mode),
      button('Draw I0 region', 'jp-STXMPreprocessView-drawI0', () => this._drawI0()),
      labelled('Ring current', this._ring, 'jp-mod-inline'),
      labelled('Dwell', this._dwell, 'jp-mod-inline'),
      labelled('Align frames', this._align),
      this._interp,
      labelled('Calibrate energy', this._autoShift),
      labelled('Mask', this._maskMode),
      this._maskOd,
      labelled('Binning', this._binning)
    );
    this.status = el('div', 'jp-STXMView-message');
    this.status.setAttribute('role', 'status');
    _source.paramsChanged.connect(this.render, this);
    _source.stackChanged.connect(this.render, this);
    _source.referencesChanged.connect(this.render, this);
    _source.prepareStateChanged.connect(this.render, this);
    this.render();
  }

  /** The controls. */
  readonly node: HTMLDivElement;
  /** The state of the pre-processing, or why a value was refused. */
  readonly status: HTMLDivElement;

  /** Stop listening to the model. */
  dispose(): void {
    Signal.clearData(this);
  }

  private _set(p: Partial<PreprocessParams>): void {
    try {
      this._source.setParams({ preprocess: p });
    } catch (err) {
      // refused by the parameter model: nothing was stored; say why where the user looks
      this.render();
      this.status.classList.add('jp-STXMView-error');
      this.status.textContent = err instanceof Error ? err.message : String(err);
    }
  }

  /** The controls as the parameters are, and the state of the pre-processing. */
  render(): void {
    const p = this._source.params.preprocess;
    this._i0Mode.value = p.i0.mode;
    this._ring.checked = p.ringCurrent;
    this._ring.disabled = !this._source.stack?.control;
    this._ring.title = this._ring.disabled ? 'The file has no ring current (control) record' : '';
    this._align.value = p.align === 'auto' ? 'auto' : p.align ? 'on' : 'off';
    this._align.title =
      'automatic: measure the drift of the frames and align them when it reaches ' +
      `${p.alignMinDriftPx} px`;
    this._interp.value = p.alignInterpolation;
    this._interp.disabled = p.align === false;
    this._dwell.checked = p.dwell;
    this._autoShift.value =
      p.energyShift === 'auto' ? 'auto' : p.energyShift === 0 ? 'off' : 'fixed';
    this._autoShift.title = this._source.references
      ? 'automatic: estimate the global energy shift that best matches the references, apply it when the estimate is trustworthy'
      : 'Needs references';
    this._maskMode.value = p.mask.mode;
    this._maskOd.hidden = p.mask.mode !== 'threshold';
    if (p.mask.mode === 'threshold' && document.activeElement !== this._maskOd) {
      this._maskOd.value = String(p.mask.od);
    }
    this._binning.value = String(p.binning);
    const state = this._source.prepareState;
    this.status.className = 'jp-STXMView-message';
    this._host.dataset.prepareState = state;
    if (state === 'running') {
      this.status.textContent = 'Computing the optical density…';
    } else if (state === 'failed') {
      this.status.classList.add('jp-STXMView-error');
      setText(this.status, this._source.prepareError ?? 'Pre-processing failed.');
    } else if (!this._source.stack) {
      this.status.textContent = 'No stack loaded.';
    } else {
      this.status.textContent = '';
    }
  }

  private readonly _i0Mode: HTMLSelectElement;
  private readonly _dwell: HTMLInputElement;
  private readonly _interp: HTMLSelectElement;
  private readonly _autoShift: HTMLSelectElement;
  private readonly _ring: HTMLInputElement;
  private readonly _align: HTMLSelectElement;
  private readonly _maskMode: HTMLSelectElement;
  private readonly _maskOd: HTMLInputElement;
  private readonly _binning: HTMLSelectElement;
}
