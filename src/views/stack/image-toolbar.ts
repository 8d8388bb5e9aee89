/**
 * The image viewer's toolbar: what is shown (raw counts or optical density),
 * colour map, contrast as lower/upper percentiles with the display range,
 * the tool (cursor, ROI, I0 region) and the mask toggle.
 */
import { COLORMAPS, type ColormapName } from '../shared/colormap.js';
import { checkbox, el, fmt, labelled, select } from '../shared/dom.js';

export type Quantity = 'counts' | 'od';
export type ImageTool = 'cursor' | 'roi' | 'i0';

export interface ImageToolbarHandlers {
  quantity(q: Quantity): void;
  colormap(c: ColormapName): void;
  contrast(): void;
  tool(t: ImageTool): void;
  mask(): void;
}

export class ImageToolbar {
  constructor(colormap: ColormapName, on: ImageToolbarHandlers) {
    this.node = el('div', 'jp-STXMToolbar jp-STXMImageView-toolbar');
    this.quantity = select<Quantity>(
      [
        { value: 'counts', label: 'Raw counts' },
        { value: 'od', label: 'Optical density' }
      ],
      'counts',
      q => on.quantity(q),
      'jp-STXMImageView-quantity'
    );
    this.quantity.setAttribute('aria-label', 'Quantity');
    this.colormap = select<ColormapName>(
      (Object.keys(COLORMAPS) as ColormapName[]).map(v => ({ value: v, label: v })),
      colormap,
      c => on.colormap(c),
      'jp-STXMImageView-colormap'
    );
    this.lo = el('input', 'jp-STXMImageView-contrastLo');
    this.hi = el('input', 'jp-STXMImageView-contrastHi');
    for (const [input, min, max, value, name] of [
      [this.lo, 0, 20, 1, 'Contrast: lower percentile'],
      [this.hi, 80, 100, 99, 'Contrast: upper percentile']
    ] as const) {
      input.type = 'range';
      input.min = String(min);
      input.max = String(max);
      input.step = '0.5';
      input.value = String(value);
      input.setAttribute('aria-label', name);
      input.addEventListener('input', () => on.contrast());
    }
    const contrast = el('span', 'jp-STXMImageView-contrast');
    contrast.append(this.lo, this.hi);
    this._limits = el('output', 'jp-STXMImageView-limits');
    this.tool = select<ImageTool>(
      [
        { value: 'cursor', label: 'Cursor' },
        { value: 'roi', label: 'Draw ROI' },
        { value: 'i0', label: 'Draw I0 region' }
      ],
      'cursor',
      t => on.tool(t),
      'jp-STXMImageView-tool'
    );
    this.mask = checkbox(false, () => on.mask(), 'jp-STXMImageView-mask');
    this.node.append(
      labelled('Show', this.quantity),
      labelled('Colour map', this.colormap),
      labelled('Contrast %', contrast),
      this._limits,
      labelled('Tool', this.tool),
      labelled('Mask', this.mask, 'jp-mod-inline')
    );
  }

  readonly node: HTMLDivElement;
  readonly quantity: HTMLSelectElement;
  readonly colormap: HTMLSelectElement;
  readonly lo: HTMLInputElement;
  readonly hi: HTMLInputElement;
  readonly tool: HTMLSelectElement;
  readonly mask: HTMLInputElement;

  /** The contrast percentiles as fractions. */
  get percentiles(): [number, number] {
    return [Number(this.lo.value) / 100, Number(this.hi.value) / 100];
  }

  /** Show the display range in data units. */
  set limits(l: [number, number]) {
    this._limits.textContent = `${fmt(l[0])} – ${fmt(l[1])}`;
  }

  /** The optical-density choice: enabled once prepared, "computing…" meanwhile. */
  /**
   * Say what the counts are: as recorded, or normalised to the ring current
   * (an HDF5 stack a workbench read with its ring current applied).
   */
  setCountsNormalised(normalised: boolean): void {
    const counts = this.quantity.querySelector<HTMLOptionElement>('option[value="counts"]');
    if (counts) {
      counts.textContent = normalised ? 'Counts (ring-current normalised)' : 'Raw counts';
      counts.title = normalised
        ? 'counts × mean ring current / ring current, applied as the file was read ' +
          '(turn ring-current normalisation off to see the counts as recorded)'
        : '';
    }
  }

  setOdAvailable(available: boolean, computing: boolean): void {
    const od = this.quantity.querySelector<HTMLOptionElement>('option[value="od"]');
    if (od) {
      od.disabled = !available;
      od.textContent = computing && !available ? 'Optical density (computing…)' : 'Optical density';
    }
    this.mask.disabled = !available;
  }

  private readonly _limits: HTMLOutputElement;
}
