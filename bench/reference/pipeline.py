"""The whole phase-mapping pipeline, file → final map, in numpy + PyTorch (+ scikit-learn).

Mirrors the project's default method as far as is reasonable
(src/core/analysis/pipeline.ts with DEFAULT_PARAMS): read the NXstxm stack
(h5py) → ring current, dwell, automatic I0, optical density, Otsu particle
mask (prepare.py) → Pearson maps, argmax, ambiguity τ = 0.005 (pearson.py) →
GMVAE trained on a 2000-pixel subsample of the standardised particle spectra
with the project's hyper-parameters (gmvae_torch.py) → latent means of every
particle pixel → per-phase Gaussians from the unambiguous pixels, ambiguous
pixels to the nearest phase by Mahalanobis distance (resolve.py).

Differences, also listed in the JSON output ("differences"): no neighbourhood
(ICM) term, i.e. the resolution of 'gmvae-pixel' (the model is the same: the
default method feeds no neighbour context to the GMVAE either); no transition
or unassigned flags; random streams differ from the project's generator.

Reports wall time per stage and in total, peak memory (ru_maxrss) against the
baseline after imports, and the raw stack's size. With --pca-kmeans, also
times the MANTiS-style baseline with scikit-learn (PCA + k-means), outside the
total. With --compare RESULT.h5 (from `stxm-phasemap map --out`), reports how
many particle pixels agree with the project's maps.

    .venv-bench/bin/python bench/reference/pipeline.py STACK.h5 REFS.csv
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import torch
from common import (
    current_rss_bytes,
    emit,
    log,
    machine,
    max_rss_bytes,
    numpy_blas,
    seconds_since_process_start,
)
from gmvae_torch import GmvaeConfig, encode_all, standardise_rows, train_gmvae
from pearson import TAU, pearson_maps
from prepare import prepare, read_stack, resample_references
from resolve import resolve


class Stages:
    """Wall time per stage, in order."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}
        self._t = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.ms[name] = round((now - self._t) * 1e3, 1)
        log(f"{name}: {self.ms[name]:.0f} ms (peak RSS {max_rss_bytes() / 2**20:.0f} MiB)")
        self._t = now


def pca_kmeans(features: np.ndarray, refs: np.ndarray, seed: int) -> np.ndarray:
    """baselines/pca-kmeans.ts with scikit-learn: PCA scores, k-means, clusters named by Pearson."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    n = refs.shape[0]
    pca = PCA(n_components=max(1, min(n, features.shape[1] - 1)), random_state=seed)
    scores = pca.fit_transform(features)
    km = KMeans(n_clusters=n, init="k-means++", n_init=1, max_iter=100, random_state=seed)
    assign = km.fit_predict(scores)
    centres = pca.inverse_transform(km.cluster_centers_)  # mean standardised spectra
    rho = np.corrcoef(centres, refs)[:n, n:]
    return rho.argmax(axis=1)[assign].astype(np.int16)


def compare(path: str, mask: np.ndarray, initial: np.ndarray, final: np.ndarray) -> dict[str, Any]:
    """Agreement with the project's result file on the particle pixels."""
    import h5py

    found: dict[str, np.ndarray] = {}

    def visit(name: str, obj: object) -> None:
        key = name.rsplit("/", 1)[-1]
        if isinstance(obj, h5py.Dataset) and key in ("phase", "initial_phase") and key not in found:
            found[key] = obj[()]

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    theirs_initial, theirs_final = found["initial_phase"], found["phase"]
    theirs_mask = theirs_initial >= 0
    both = mask & theirs_mask
    return {
        "file": path,
        "mask_pixels": {"ours": int(mask.sum()), "project": int(theirs_mask.sum())},
        "mask_agreement": round(float((mask == theirs_mask).mean()), 5),
        "initial_phase_agreement": round(float((initial[both] == theirs_initial[both]).mean()), 5),
        "final_phase_agreement": round(float((final[both] == theirs_final[both]).mean()), 5),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("stack")
    ap.add_argument("refs")
    ap.add_argument("--threshold", type=float, default=TAU)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--max-train-pixels", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--torch-threads", type=int, default=0, help="0 = torch's default")
    ap.add_argument("--pca-kmeans", action="store_true", help="also time the sklearn baseline")
    ap.add_argument("--compare", metavar="RESULT.h5", help="the project's result for the stack")
    ap.add_argument("--out", metavar="MAPS.npz", help="save the maps (test outputs: /tmp)")
    args = ap.parse_args()
    if args.torch_threads > 0:
        torch.set_num_threads(args.torch_threads)
    # torch's first optimiser imports more of torch (≈2 s here): part of start-up, not training
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    startup_s = seconds_since_process_start()
    baseline_peak, baseline_rss = max_rss_bytes(), current_rss_bytes()

    st = Stages()
    raw = read_stack(args.stack)
    raw_bytes = raw.counts.nbytes + (raw.control.nbytes if raw.control is not None else 0)
    st.done("read")
    prep = prepare(raw)
    names, refs = resample_references(args.refs, prep.energies)
    ne, ny, nx = prep.od.shape
    st.done("prepare")

    mask = prep.mask.reshape(-1)
    spectra = prep.od.reshape(ne, -1)[:, mask]  # (E, particle pixels)
    maps = pearson_maps(spectra, refs, args.threshold)
    particle = maps.phase >= 0  # a flat spectrum leaves the particle
    st.done("pcc")

    features = standardise_rows(spectra[:, particle].T)
    cfg = GmvaeConfig(
        input_dim=ne,
        components=len(names),
        epochs=args.epochs,
        batch_size=args.batch,
        max_samples=args.max_train_pixels,
    )
    model, stats = train_gmvae(features, cfg, args.seed)
    st.done("train")
    latent = encode_all(model, features)
    st.done("encode")

    initial = maps.phase[particle]
    ambiguous = maps.ambiguous[particle]
    res = resolve(latent, initial, ambiguous, len(names))
    pixels = np.flatnonzero(mask)[particle]
    final_map = np.full(ny * nx, -1, dtype=np.int16)
    final_map[pixels] = res.phase
    initial_map = np.full(ny * nx, -1, dtype=np.int16)
    initial_map[pixels] = initial
    st.done("resolve")
    total_ms = round(sum(st.ms.values()), 1)
    peak = max_rss_bytes()

    counts = np.bincount(res.phase, minlength=len(names))
    report: dict[str, Any] = {
        "bench": "pipeline",
        "implementation": "numpy + torch (+ scikit-learn for --pca-kmeans)",
        "stack": args.stack,
        "shape": [ne, ny, nx],
        "raw_stack_bytes": raw_bytes,
        "raw_cube_bytes": raw.counts.nbytes,
        "stages_ms": st.ms,
        "total_ms": total_ms,
        "startup_s_not_in_total": round(startup_s, 2),
        "project_stages_ms": {
            "prepare": st.ms["prepare"],
            "pcc": st.ms["pcc"],
            "train": round(st.ms["train"] + st.ms["encode"], 1),
            "resolve": st.ms["resolve"],
        },
        "memory": {
            "baseline_maxrss_bytes": baseline_peak,
            "baseline_rss_bytes": baseline_rss,
            "peak_maxrss_bytes": peak,
            "pipeline_peak_bytes": peak - baseline_rss,
            "note": "ru_maxrss is a high-water mark; pipeline_peak = peak − RSS after imports",
        },
        "result": {
            "phase_names": names,
            "particle_pixels": int(particle.sum()),
            "ambiguous": int(ambiguous.sum()),
            "resolved": res.resolved,
            "false_assignment": int(res.false_assignment.sum()),
            "fractions": (counts / max(1, counts.sum())).round(4),
            "usable_phases": res.gaussians.usable,
            "mask_threshold_od": prep.notes.get("mask_threshold_od"),
        },
        "training": {
            "train_samples": stats.train_samples,
            "validation_samples": stats.validation_samples,
            "epochs_run": stats.epochs_run,
            "best_epoch": stats.best_epoch,
            "loss_first_last": [
                round(stats.training_loss[0], 4),
                round(stats.training_loss[-1], 4),
            ],
            "best_validation_loss": round(min(stats.validation_loss), 4),
            "samples_per_s": round(stats.samples_per_second),
            "batches_s": round(stats.train_seconds, 3),
            "loop_with_validation_s": round(stats.wall_seconds, 3),
            "torch_threads": torch.get_num_threads(),
        },
        "differences": [
            "resolution without the neighbourhood (ICM) term: the 'gmvae-pixel' rule",
            "no transition or unassigned flags (confidence and false assignments are computed)",
            "no alignment or binning (off by default in the project too)",
            "random streams (split, init, batches, noise) differ from the project's generator",
        ],
        "versions": {"torch": torch.__version__, **numpy_blas()},
        "machine": machine(),
    }
    if args.pca_kmeans:
        t0 = time.perf_counter()
        km_phase = pca_kmeans(features, refs, args.seed)
        report["pca_kmeans_ms"] = round((time.perf_counter() - t0) * 1e3, 1)
        report["pca_kmeans_agreement_with_final"] = round(float((km_phase == res.phase).mean()), 4)
        log(f"pca + k-means (scikit-learn): {report['pca_kmeans_ms']:.0f} ms")
    if args.compare:
        report["compare"] = compare(
            args.compare,
            initial_map.reshape(ny, nx) >= 0,
            initial_map.reshape(ny, nx),
            final_map.reshape(ny, nx),
        )
    if args.out:
        np.savez_compressed(
            args.out,
            phase=final_map.reshape(ny, nx),
            initial_phase=initial_map.reshape(ny, nx),
            phase_names=np.array(names),
        )
    emit(report)


if __name__ == "__main__":
    main()
