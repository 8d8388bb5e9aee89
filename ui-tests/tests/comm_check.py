"""Helpers for the comm UI tests (kept out of the cells: Galata types cells key by key)."""

from __future__ import annotations

import json
import time

import numpy as np


def show(obj) -> None:
    """One JSON line the test reads back."""
    print(json.dumps(obj))


def cube(mb: float = 100.0, ne: int = 25) -> np.ndarray:
    """A deterministic float32 cube of about `mb` megabytes (E, y, x)."""
    n = int(mb * 1e6 / 4 / ne)
    side = int(np.sqrt(n))
    rng = np.random.default_rng(7)
    return rng.random((ne, side, side), dtype=np.float32)


async def round_trip(lab, mb: float = 100.0) -> dict:
    """Push a cube as a workbench, read it back; report equality, sizes and times."""
    data = cube(mb)
    energies = np.linspace(512.0, 545.0, data.shape[0])
    t0 = time.perf_counter()
    wb = await lab.open_arrays(data, energies, pixel_size=0.03, path="big_cube.h5", overwrite=True)
    t1 = time.perf_counter()
    stack = await wb.get_stack()
    t2 = time.perf_counter()
    return {
        "path": wb.path,
        "mb": data.nbytes / 1e6,
        "shape": list(stack.data.shape),
        "dtype": str(stack.data.dtype),
        "equal": bool(np.array_equal(stack.data, data)),
        "energies_equal": bool(np.array_equal(stack.energies, energies)),
        "push_s": round(t1 - t0, 2),
        "extension_ms": wb.timings,
        "pull_s": round(t2 - t1, 2),
    }


async def malformed(lab) -> dict:
    """Send malformed requests through the real comm; collect the extension's error replies."""
    from stxm_phasemap import StxmPhaseMapError
    from stxm_phasemap._comm import _Waiter
    from stxm_phasemap._protocol import ReplyAssembler, new_request_id

    out = {}

    async def expect_error(name, coro):
        try:
            await coro
            out[name] = "no error"
        except StxmPhaseMapError as err:
            out[name] = f"{err.kind}: {err.message}"

    async def raw(name, messages):
        rid = new_request_id()
        waiter = _Waiter(rid, ReplyAssembler(rid))
        lab._waiters[rid] = waiter
        for data, buffers in messages(rid):
            lab._send(data, buffers)
        from stxm_phasemap._pending import wait_future

        await expect_error(name, wait_future(waiter.done, 20))
        lab._waiters.pop(rid, None)

    await expect_error("path_type", lab.request("get_stack", {"path": 5}))
    await expect_error("threshold", lab.request("run", {"params": {"threshold": "high"}}))
    await raw("method", lambda rid: [({"type": "request", "id": rid, "method": "rm_rf"}, [])])
    await raw(
        "nbytes",
        lambda rid: [
            (
                {
                    "type": "request",
                    "id": rid,
                    "method": "open_arrays",
                    "params": {"path": "x.h5"},
                    "part": 0,
                    "parts": 1,
                    "arrays": {"data": {"dtype": "float32", "shape": [2], "nbytes": 8}},
                    "chunks": [{"array": "data", "offset": 0, "nbytes": 8}],
                },
                [memoryview(b"\0" * 4)],
            )
        ],
    )
    return out


def describe_result(r) -> dict:
    """Shapes, dtypes and sums of a Result, as plain JSON."""
    arrays = {k: {"shape": list(v.shape), "dtype": str(v.dtype)} for k, v in r.arrays.items()}
    return {
        "path": r.path,
        "names": r.phase_names,
        "fraction_sum": float(np.sum(r.fractions)),
        "arrays": arrays,
        "particle": int((r.phase >= 0).sum()),
    }
