"""Pre-processing of an NXstxm stack in numpy, after src/core/preprocess/prepare.ts.

With the project's defaults (DEFAULT_PREPROCESS): frames with no data dropped,
ring-current (`control`) and dwell normalisation, automatic I0 (bright-pixel
histogram: Otsu split, background peak ± 3σ, median per energy),
OD = −ln(I/I0) with NaN for non-positive or non-finite counts, no alignment,
no binning, particle mask = mean OD above Otsu's threshold (256 bins).
Also the reference CSV of DESIGN.md §3 and its linear resampling.

Only the (energy, y, x) layout of NXstxm image stacks is handled (what
`stxm-phasemap simulate` and most beamlines write); the project's reader also
handles transposed and line-scan layouts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import h5py
import numpy as np
from read_h5 import find_signal

MAX_NAN_FRACTION = 0.01
ENERGY_NAMES = ("energy", "photon_energy", "energies")


@dataclass
class RawStack:
    counts: np.ndarray  # float32 (E, y, x)
    energies: np.ndarray  # float64 (E,)
    control: np.ndarray | None  # ring current, (E, y, x) or (E,)
    dwell_ms: np.ndarray | None  # (E,)


@dataclass
class Prepared:
    od: np.ndarray  # float32 (E, y, x), NaN where the counts were unusable
    energies: np.ndarray
    mask: np.ndarray  # bool (y, x)
    i0: np.ndarray
    notes: dict[str, object] = field(default_factory=dict)


def read_stack(path: str) -> RawStack:
    """Counts, energies, ring current and dwell of the first image stack in the file."""
    with h5py.File(path, "r") as f:
        ds, control = find_signal(f)
        if ds.ndim != 3:
            raise SystemExit(f"{path}: {ds.ndim}-D signal; only (energy, y, x) stacks are handled")
        group = ds.parent
        name = next((n for n in ENERGY_NAMES if n in group), None)
        if name is None or group[name].shape[0] != ds.shape[0]:
            raise SystemExit(f"{path}: no energy axis of length {ds.shape[0]} beside the signal")
        counts = ds[()].astype(np.float32, copy=False)
        energies = group[name][()].astype(np.float64)
        ctrl = f[control][()].astype(np.float32, copy=False) if control else None
        if ctrl is not None and ctrl.shape not in (counts.shape, (counts.shape[0],)):
            ctrl = None
        dwell = group["count_time"][()] * 1e3 if "count_time" in group else None
    return RawStack(counts, energies, ctrl, dwell)


def otsu_threshold(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold over the finite values (otsu.ts: 256 bins between min and max)."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return math.nan
    lo, hi = float(v.min()), float(v.max())
    if not hi > lo:
        return lo
    hist, _ = np.histogram(v, bins=bins, range=(lo, hi))
    b = np.arange(bins, dtype=np.float64)
    w0 = np.cumsum(hist)[:-1].astype(np.float64)
    s0 = np.cumsum(b * hist)[:-1]
    w1 = v.size - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = w0 * w1 * (s0 / w0 - (np.dot(b, hist) - s0) / w1) ** 2
    between[(w0 == 0) | (w1 == 0)] = -1
    return lo + (int(np.argmax(between)) + 1) * (hi - lo) / bins


def _sampled_quantile(values: np.ndarray, q: float, cap: int = 100_000) -> float:
    sample = values[:: max(1, values.size // cap)]
    sample = sample[np.isfinite(sample)]
    if sample.size == 0:
        return math.nan
    k = min(sample.size - 1, int(q * sample.size))
    return float(np.partition(sample, k)[k])


def auto_i0(counts: np.ndarray) -> tuple[np.ndarray, int]:
    """i0.ts `autoI0`: per-energy median counts of the empty background; also its pixel count."""
    ne = counts.shape[0]
    frames = counts.reshape(ne, -1)
    npx = frames.shape[1]
    scale = np.array([_sampled_quantile(fr, 0.99) for fr in frames])
    total = np.zeros(npx)
    n = np.zeros(npx)
    for e in range(ne):
        if scale[e] > 0:
            ok = np.isfinite(frames[e])
            total += np.where(ok, frames[e] / scale[e], 0.0)
            n += ok
    with np.errstate(invalid="ignore", divide="ignore"):
        t = total / n
    split = otsu_threshold(t)
    lo = split if math.isfinite(split) else -math.inf
    hi = float(np.nanmax(t))
    if not hi > lo:
        lo = -math.inf
    bright = t[t >= lo]
    if bright.size > 0 and math.isfinite(lo):
        bins = max(8, min(256, round(math.sqrt(bright.size))))
        width = (hi - lo) / bins or 1.0
        idx = np.minimum(bins - 1, np.floor((bright - lo) / width).astype(np.int64))
        mode = lo + (int(np.argmax(np.bincount(idx, minlength=bins))) + 0.5) * width
        above = bright[bright >= mode]
        sigma = max(math.sqrt(np.mean((above - mode) ** 2)) if above.size else 0.0, width)
        lower, upper = max(lo, mode - 3 * sigma), mode + 3 * sigma
    else:
        lower, upper = -math.inf, math.inf
    pixels = np.flatnonzero((t >= lower) & (t <= upper))
    if pixels.size < max(4, math.ceil(0.001 * npx)):
        raise SystemExit(f"no empty background to take I0 from ({pixels.size} bright pixels)")
    pixels = pixels[:: max(1, pixels.size // 200_000)]
    i0 = np.empty(ne)
    for e in range(ne):
        v = frames[e, pixels]
        i0[e] = np.median(v[np.isfinite(v)])
    return i0, int(pixels.size)


def resample_references(path: str, energies: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Reference CSV (DESIGN.md §3) linearly interpolated at `energies`: names, (N, E) float64."""
    with open(path, encoding="utf-8-sig") as f:
        lines = [
            ln for ln in f.read().splitlines() if ln.strip() and not ln.lstrip().startswith("#")
        ]
    sep = "\t" if "\t" in lines[0] else ","
    names = [c.strip().strip('"') for c in lines[0].split(sep)[1:]]
    table = np.array([[float(c) for c in ln.split(sep)] for ln in lines[1:]])
    table = table[np.argsort(table[:, 0], kind="stable")]
    e_ref = table[:, 0]
    if energies.min() < e_ref[0] - 1e-9 or energies.max() > e_ref[-1] + 1e-9:
        raise SystemExit(f"{path}: references cover {e_ref[0]}–{e_ref[-1]} eV, not the stack")
    refs = np.stack([np.interp(energies, e_ref, table[:, 1 + n]) for n in range(len(names))])
    return names, refs


def prepare(raw: RawStack) -> Prepared:
    """prepare.ts `prepareStack` with DEFAULT_PREPROCESS. Modifies `raw.counts` in place."""
    counts = raw.counts
    ne = counts.shape[0]
    notes: dict[str, object] = {}
    # 1. frames with no data
    frames = counts.reshape(ne, -1)
    nan = (~np.isfinite(frames)).sum(axis=1)
    zero = (frames == 0).sum(axis=1)
    npx = frames.shape[1]
    keep = (nan < npx) & (zero < npx) & (nan <= MAX_NAN_FRACTION * npx)
    energies = raw.energies
    control, dwell = raw.control, raw.dwell_ms
    if not keep.all():
        counts, energies = counts[keep], energies[keep]
        control = control[keep] if control is not None else None
        dwell = dwell[keep] if dwell is not None else None
        notes["dropped_frames"] = int((~keep).sum())
    # 2. ring current, relative to its mean; dwell, relative to the median dwell
    if control is not None:
        good = (control > 0) & np.isfinite(control)
        mean = control[good].mean(dtype=np.float64)
        factor = np.where(good, np.float32(mean) / np.where(good, control, 1), np.float32(1))
        counts *= factor if factor.ndim == 3 else factor[:, None, None]
        notes["ring_current_mA"] = round(float(mean), 4)
    if dwell is not None and np.all(dwell > 0) and np.ptp(dwell) > 0:
        counts *= (np.median(dwell) / dwell).astype(np.float32)[:, None, None]
    # 3. I0, 4. optical density
    i0, i0_pixels = auto_i0(counts)
    notes["i0_pixels"] = i0_pixels
    with np.errstate(divide="ignore", invalid="ignore"):
        od = np.log(i0.astype(np.float32)[:, None, None] / counts)
    od[~(counts > 0)] = np.nan
    # 7. particle mask: mean OD over every energy above Otsu's threshold (NaN never in)
    mean_od = od.mean(axis=0)
    threshold = otsu_threshold(mean_od)
    mask = mean_od > threshold
    notes["mask_threshold_od"] = round(threshold, 6)
    return Prepared(od, energies, mask, i0, notes)
