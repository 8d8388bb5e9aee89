"""Shared helpers of the Python reference benchmarks (bench/reference/*.py).

Timing, the machine and library facts every report carries, and the one JSON
object each script prints as the last line of stdout (human-readable lines go
to stderr).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

# Environment variables that change which BLAS kernel or how many threads run.
THREAD_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OMP_WAIT_POLICY",
    "GOMP_SPINCOUNT",
)


def log(*parts: object) -> None:
    """A human-readable line, on stderr."""
    print(*parts, file=sys.stderr, flush=True)


def emit(report: dict[str, Any]) -> None:
    """The machine-readable result: one JSON object, the last line of stdout."""
    print(json.dumps(report, separators=(",", ":"), default=_jsonable), flush=True)


def _jsonable(value: object) -> object:
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()  # type: ignore[no-any-return,attr-defined]
    return str(value)


def time_ms(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Wall times (ms) of `repeats` calls of `fn`, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1e3)
    return out


def summary_ms(times: list[float]) -> dict[str, Any]:
    """Median, minimum and every repeat, rounded to 0.01 ms."""
    return {
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(min(times), 2),
        "repeats_ms": [round(t, 2) for t in times],
    }


def max_rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes() -> int:
    """Resident set size now, from /proc (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def seconds_since_process_start() -> float:
    """Wall time since this process started (Linux /proc): interpreter start-up and imports."""
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    """CPU, cores, Python, load average and the thread-related environment of this run.

    The load average matters: on a 2-core machine shared with other jobs, a
    2-thread run stalls whenever one of its threads is descheduled.
    """
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "loadavg_1_5_15": [round(v, 2) for v in os.getloadavg()],
        "env": {k: os.environ[k] for k in THREAD_ENV if k in os.environ},
    }


def numpy_blas() -> dict[str, Any]:
    """numpy's version, BLAS build (np.show_config) and BLAS thread pools at run time."""
    import numpy as np

    out: dict[str, Any] = {"numpy": np.__version__}
    try:
        cfg = np.show_config(mode="dicts")  # type: ignore[call-arg]
        deps = cfg.get("Build Dependencies", {})
        out["blas"] = {
            k: deps.get("blas", {}).get(k) for k in ("name", "version", "openblas configuration")
        }
        simd = cfg.get("SIMD Extensions", {})
        out["simd_found"] = simd.get("found")
    except Exception as err:  # show_config's layout is not a stable API
        out["blas_error"] = repr(err)
    try:
        from threadpoolctl import threadpool_info

        out["threadpools"] = [
            {
                k: p.get(k)
                for k in ("user_api", "internal_api", "num_threads", "version", "architecture")
            }
            for p in threadpool_info()
        ]
    except ImportError:
        out["threadpools"] = "threadpoolctl not installed"
    return out
