"""Pearson correlation maps, argmax phase and ambiguity in plain numpy.

The reference for the project's `pearsonMaps` (src/core/analysis/pearson.ts):
a float32 cube (E, npx) — the project's (E, y, x) C-order cube with y and x
flattened — against N reference spectra. Written the way a competent scientist
writes it (vectorised, no tricks): references centred and unit-normed in
float64, pixel spectra centred and normalised, correlations by one matmul,
argmax, margin best − second best by np.partition, ambiguous = margin <= τ.

Also times two plain memory passes over the same array (cube.sum() and a copy
into a preallocated array) as the machine's floor for one pass over the cube.

    .venv-bench/bin/python bench/reference/pearson.py --pixels 1000000 --energies 20 --refs 5
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
from common import emit, log, machine, numpy_blas, summary_ms, time_ms

TAU = 0.005


@dataclass
class PearsonMaps:
    pcc: np.ndarray  # (N, npx) float32, NaN for a flat spectrum
    phase: np.ndarray  # (npx,) int16, -1 for a flat spectrum
    margin: np.ndarray  # (npx,) float32
    ambiguous: np.ndarray  # (npx,) bool


def centred_unit_rows(refs: np.ndarray) -> np.ndarray:
    """References (N, E) centred to zero mean and scaled to unit norm, float64."""
    r = refs - refs.mean(axis=1, keepdims=True)
    return r / np.linalg.norm(r, axis=1, keepdims=True)


def pearson_maps(cube: np.ndarray, refs: np.ndarray, tau: float = TAU) -> PearsonMaps:
    """Correlation of every pixel spectrum (columns of `cube`, (E, npx)) with every reference."""
    rhat = centred_unit_rows(refs).astype(cube.dtype)
    s = cube - cube.mean(axis=0, keepdims=True)
    norm = np.linalg.norm(s, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s /= norm
    pcc = rhat @ s  # (N, npx); NaN columns for flat spectra
    flat = ~(norm > 0)
    phase = pcc.argmax(axis=0).astype(np.int16)
    phase[flat] = -1
    top2 = np.partition(pcc, pcc.shape[0] - 2, axis=0)[-2:]
    margin = top2[1] - top2[0]
    ambiguous = margin <= tau  # NaN compares False: a flat pixel is never ambiguous
    return PearsonMaps(pcc, phase, margin, ambiguous)


def synthetic(npx: int, ne: int, nrefs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A cube of noisy mixtures of smooth reference spectra, float32 (E, npx)."""
    rng = np.random.default_rng(seed)
    e = np.linspace(0.0, 1.0, ne)
    centres = rng.uniform(0.2, 0.8, nrefs)
    refs = 0.3 + np.exp(-(((e[None, :] - centres[:, None]) / 0.08) ** 2)) + 0.5 * e[None, :]
    label = rng.integers(0, nrefs, npx)
    thickness = rng.uniform(0.2, 1.5, npx).astype(np.float32)
    cube = np.empty((ne, npx), dtype=np.float32)
    for k in range(ne):  # frame by frame: no float64 temporaries of the whole cube
        cube[k] = refs[label, k].astype(np.float32) * thickness
        cube[k] += rng.standard_normal(npx, dtype=np.float32) * np.float32(0.02)
    return cube, refs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pixels", type=int, default=1_000_000)
    ap.add_argument("--energies", type=int, default=20)
    ap.add_argument("--refs", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    cube, refs = synthetic(args.pixels, args.energies, args.refs, args.seed)
    log(f"cube float32 {cube.shape} = {cube.nbytes / 2**20:.1f} MiB, refs {refs.shape}")

    maps = pearson_maps(cube, refs)
    pearson = time_ms(lambda: pearson_maps(cube, refs), args.repeats)
    log(f"pearson + argmax + margin + ambiguity: median {np.median(pearson):.1f} ms")

    dst = np.empty_like(cube)
    sums = time_ms(lambda: cube.sum(), args.repeats)
    copies = time_ms(lambda: np.copyto(dst, cube), args.repeats)
    log(f"cube.sum() {np.median(sums):.1f} ms, np.copyto {np.median(copies):.1f} ms")

    emit(
        {
            "bench": "pearson",
            "implementation": "numpy",
            "pixels": args.pixels,
            "energies": args.energies,
            "refs": args.refs,
            "tau": TAU,
            "cube_bytes": cube.nbytes,
            "dtype": "float32 cube, float64 refs cast to float32 for the matmul",
            "pearson": summary_ms(pearson),
            "mpixels_per_s": round(args.pixels / (np.median(pearson) * 1e3), 2),
            "memory_pass": {
                "sum": summary_ms(sums),
                "copyto": summary_ms(copies),
                "sum_gb_per_s": round(cube.nbytes / (np.median(sums) * 1e6), 2),
                "copyto_gb_per_s_read": round(cube.nbytes / (np.median(copies) * 1e6), 2),
            },
            "check": {
                "ambiguous": int(maps.ambiguous.sum()),
                "flat": int((maps.phase < 0).sum()),
                "phase_counts": np.bincount(maps.phase[maps.phase >= 0], minlength=args.refs),
            },
            "machine": machine(),
            "libs": numpy_blas(),
        }
    )


if __name__ == "__main__":
    main()
