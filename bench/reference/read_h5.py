"""Read speed of an NXstxm stack's data cube with h5py.

Finds the cube the way the project's reader does (src/core/io/nxstxm.ts): the
first NXentry (or group named entry…, natural order), in it the detector
groups (`counterN` first, then NXdata groups, natural order) whose signal
dataset exists — the group's `signal` attribute, else a dataset with
`signal = 1`, else `data`. Times open + read of the whole cube into a new
numpy array (`ds[()]`): one untimed read first, so the page cache is warm,
then the median of `--repeats` reads. With `--cold`, each timed read is
preceded by posix_fadvise(DONTNEED) on the file, which drops its clean pages
from the page cache (best effort; a cold figure measures the disk).

    .venv-bench/bin/python bench/reference/read_h5.py STACK.h5 [--with-control] [--cold]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from typing import Any

import h5py
import numpy as np
from common import emit, log, machine, summary_ms


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray) and value.size == 1:
        return _text(value.reshape(-1)[0])
    return value if isinstance(value, str) else None


def _natural(name: str) -> list[Any]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def signal_name(group: h5py.Group) -> str:
    """The group's `signal` attribute, a dataset with `signal = 1`, or "data"."""
    attr = _text(group.attrs.get("signal"))
    if attr and isinstance(group.get(attr), h5py.Dataset):
        return attr
    for key, item in group.items():
        if isinstance(item, h5py.Dataset) and "signal" in item.attrs:
            try:
                if float(np.asarray(item.attrs["signal"]).reshape(-1)[0]) == 1:
                    return key
            except (TypeError, ValueError):
                pass
    return "data"


def find_signal(f: h5py.File, entry: str | None = None) -> tuple[h5py.Dataset, str | None]:
    """The stack's signal dataset and its entry's ring-current (control) dataset, if any."""
    entries = sorted(
        (
            k
            for k, g in f.items()
            if isinstance(g, h5py.Group)
            and (_text(g.attrs.get("NX_class")) == "NXentry" or re.fullmatch(r"entry\d*", k, re.I))
        ),
        key=_natural,
    )
    if entry is not None:
        entries = [entry]
    for name in entries:
        e = f[name]
        found = []
        for key, g in e.items():
            if not isinstance(g, h5py.Group):
                continue
            counter = re.fullmatch(r"counter\d+", key, re.I) is not None
            if _text(g.attrs.get("NX_class")) != "NXdata" and not counter:
                continue
            if isinstance(g.get(signal_name(g)), h5py.Dataset):
                found.append((0 if counter else 1, _natural(key), key))
        if found:
            key = sorted(found)[0][2]
            group = e[key]
            control = None
            c = e.get("control")
            if isinstance(c, h5py.Group):
                ds = c.get(signal_name(c))
                control = ds.name if isinstance(ds, h5py.Dataset) else None
            return group[signal_name(group)], control
    raise SystemExit(f"{f.filename}: no detector data group (NXdata with a signal dataset)")


def drop_from_page_cache(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def read_once(path: str, signal: str, control: str | None) -> int:
    """Open the file, read the cube (and the ring current), close; bytes read."""
    with h5py.File(path, "r") as f:
        cube = f[signal][()]
        n = cube.nbytes
        if control is not None:
            n += f[control][()].nbytes
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--entry", default=None)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--with-control",
        action="store_true",
        help="also read the ring current cube, as the project's readStack does",
    )
    ap.add_argument("--cold", action="store_true", help="also time reads after DONTNEED")
    args = ap.parse_args()

    with h5py.File(args.file, "r") as f:
        ds, control = find_signal(f, args.entry)
        info = {
            "signal": ds.name,
            "shape": ds.shape,
            "dtype": str(ds.dtype),
            "chunks": ds.chunks,
            "compression": ds.compression,
            "control": control,
        }
    control = control if args.with_control else None
    file_bytes = os.path.getsize(args.file)
    nbytes = read_once(args.file, info["signal"], control)  # warms the page cache
    warm = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        read_once(args.file, info["signal"], control)
        warm.append((time.perf_counter() - t0) * 1e3)
    med = statistics.median(warm)
    log(
        f"{info['signal']} {info['shape']} {info['dtype']}: {nbytes / 2**20:.1f} MiB read "
        f"in {med:.1f} ms (median of {args.repeats}, warm page cache) → "
        f"{nbytes / 2**20 / (med / 1e3):.0f} MiB/s"
    )
    report: dict[str, Any] = {
        "bench": "read-h5",
        "implementation": "h5py",
        "file": args.file,
        "file_bytes": file_bytes,
        "bytes_read": nbytes,
        "with_control": control is not None,
        "dataset": info,
        "warm": {
            "page_cache": "warm (one untimed read first)",
            **summary_ms(warm),
            "mib_per_s": round(nbytes / 2**20 / (med / 1e3), 1),
            "mb_per_s": round(nbytes / 1e6 / (med / 1e3), 1),
        },
        "h5py": h5py.__version__,
        "hdf5": h5py.version.hdf5_version,
        "numpy": np.__version__,
        "machine": machine(),
    }
    if args.cold:
        cold = []
        for _ in range(args.repeats):
            drop_from_page_cache(args.file)
            t0 = time.perf_counter()
            read_once(args.file, info["signal"], control)
            cold.append((time.perf_counter() - t0) * 1e3)
        cmed = statistics.median(cold)
        log(f"after DONTNEED: {cmed:.1f} ms → {nbytes / 2**20 / (cmed / 1e3):.0f} MiB/s")
        report["cold"] = {
            "page_cache": "dropped for this file by posix_fadvise(DONTNEED) before each read",
            **summary_ms(cold),
            "mib_per_s": round(nbytes / 2**20 / (cmed / 1e3), 1),
            "mb_per_s": round(nbytes / 1e6 / (cmed / 1e3), 1),
        }
    emit(report)


if __name__ == "__main__":
    main()
