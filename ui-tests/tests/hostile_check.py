"""Helpers for hostile.spec.ts (kept out of the cells: Galata types cells key by key)."""

from __future__ import annotations

import asyncio
import json
import time

import numpy as np


def show(obj) -> None:
    """One JSON line the test reads back."""
    print(json.dumps(obj))


def outcome(pending) -> dict:
    """How a Pending ended (or that it has not), as JSON."""
    if not pending.done():
        return {"done": False}
    err = pending.exception()
    if err is None:
        return {"done": True, "error": None}
    return {"done": True, "error": type(err).__name__, "message": str(err)[:300]}


async def settle(pending, seconds: float = 90.0) -> dict:
    """Wait (at most `seconds`) for a Pending to end; its outcome and the time it took."""
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(pending.wait_quietly(), seconds)
    except asyncio.TimeoutError:
        pass
    return {**outcome(pending), "waited_s": round(time.monotonic() - t0, 1)}


async def open_error(lab, path: str, seconds: float = 30.0) -> str:
    """`lab.open(path)` on something that is no stack: the error it raises, or what went wrong."""

    async def opened():
        return await lab.open(path)

    t0 = time.monotonic()
    try:
        await asyncio.wait_for(opened(), seconds)
        return f"no error after {time.monotonic() - t0:.1f} s"
    except asyncio.TimeoutError:
        return f"no answer within {seconds:g} s"
    except Exception as err:  # the answer under test
        return f"{type(err).__name__}: {err}"


def hostile_notebook(path: str, sides=(2048, 2048, 2048, 256)) -> None:
    """An (unsigned, so untrusted) notebook whose outputs claim maps of `sides` px a side."""
    from stxm_phasemap._display import MIME_TYPE, pack

    cells = []
    for i, n in enumerate(sides):
        ring = np.zeros((n, n), np.uint8)
        ring[n // 4 : 3 * n // 4, n // 4 : 3 * n // 4] = 1
        payload = {
            "version": 1,
            "title": f"big {i}",
            "shape": [n, n],
            "fullShape": [n, n],
            "step": 1,
            "phaseNames": ["A"],
            "fractions": [1.0],
            "threshold": 0.005,
            "method": "pcc",
            "counts": {},
            "pixelSize": {"x": 0.03, "y": 0.03},
            "encoding": "zlib+base64",
            "maps": {k: pack(ring) for k in ("phase", "initial", "flags", "confidence")},
        }
        cells.append(
            {
                "cell_type": "code",
                "execution_count": i + 1,
                "id": f"c{i}",
                "metadata": {},
                "source": f"r{i}",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {MIME_TYPE: payload, "text/plain": f"<map {n} px>"},
                    }
                ],
            }
        )
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f)
