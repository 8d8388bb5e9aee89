/**
 * Scale bars: a "nice" length (1, 2 or 5 × 10^k µm) close to a target
 * fraction of the image width, and its label in µm or nm.
 */
export interface ScaleBar {
  /** Length in µm. */
  lengthUm: number;
  /** Fraction of the image width the bar spans. */
  fraction: number;
  label: string;
}

/**
 * @param widthUm physical width of the image in µm
 * @param target preferred fraction of the width (default 0.2)
 */
export function scaleBar(widthUm: number, target = 0.2): ScaleBar | null {
  if (!(widthUm > 0) || !Number.isFinite(widthUm)) {
    return null;
  }
  const ideal = widthUm * target;
  const k = Math.floor(Math.log10(ideal));
  let best = Math.pow(10, k);
  for (const m of [1, 2, 5, 10]) {
    const v = m * Math.pow(10, k);
    if (Math.abs(Math.log(v / ideal)) < Math.abs(Math.log(best / ideal))) {
      best = v;
    }
  }
  const lengthUm = Number(best.toPrecision(6));
  return { lengthUm, fraction: lengthUm / widthUm, label: lengthLabel(lengthUm) };
}

export function lengthLabel(um: number): string {
  if (um >= 1) {
    return `${Number(um.toPrecision(6))} µm`;
  }
  return `${Number((um * 1000).toPrecision(6))} nm`;
}
