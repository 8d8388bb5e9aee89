"""A result file (NeXus/HDF5, DESIGN.md §3; written by src/core/io/result-write.ts) as the
``(json, arrays)`` that the workbench sends for the same result (src/lab/protocol-result.ts,
``encodeResult``), so that ``Result.from_file`` builds the very object ``wb.run()`` returns:
the same array names, dtypes, shapes and values, the same JSON fields.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np

from ._errors import StackFileError

# result-write.ts dataset → (PhaseMapResult key, dtype the workbench sends)
_ARRAYS = {
    "energy": ("energies", np.float64),
    "mask": ("mask", np.uint8),
    "pcc": ("pcc", np.float32),
    "initial_phase": ("initialPhase", np.int16),
    "margin": ("margin", np.float32),
    "ambiguous": ("ambiguous", np.uint8),
    "phase": ("phase", np.int16),
    "latent": ("latent", np.float32),
    "confidence": ("confidence", np.float32),
    "transition": ("transition", np.uint8),
    "false_assignment": ("falseAssignment", np.uint8),
    "unassigned": ("unassigned", np.uint8),
    "fractions": ("fractions", np.float64),
}


def array_shape(name: str, length: int, ny: int, nx: int, n: int, latent: int) -> tuple[int, ...]:
    """The shape the workbench gives a result array (``resultArrayShape`` in protocol-result.ts)."""
    if name == "latent" and latent > 0 and length == ny * nx * latent:
        return (ny, nx, latent)
    if name in ("energies", "fractions"):
        return (length,)
    if length == ny * nx and ny * nx > 0:
        return (ny, nx)
    if n > 0 and length == n * ny * nx and ny * nx > 0:
        return (n, ny, nx)
    if latent > 0 and length == ny * nx * latent:
        return (ny, nx, latent)
    return (length,)


def _text(value: Any) -> str:
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size else ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _json_safe(value: Any) -> Any:
    """As the workbench's JSON: non-finite numbers become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _number(v: float) -> int | float:
    """A count as JSON gives it: integral values as int."""
    return int(v) if float(v).is_integer() else float(v)


def read_result_file(path: str | os.PathLike[str], source: str | None = None):
    """``(json, arrays)`` of a result file; ``source``: the stack's path (the JSON's ``path``)."""
    import h5py

    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such result file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise StackFileError("bad-file", f"{path}: not an HDF5 result file ({e})", path) from None
    with f:
        proc = f.get("entry/phasemap")
        data = f.get("entry/phasemap/data")
        if not isinstance(proc, h5py.Group) or not isinstance(data, h5py.Group):
            raise StackFileError(
                "bad-file", f"{path}: not a phase-map result (no /entry/phasemap/data group)", path
            )
        attrs = data.attrs

        def attr_json(name: str, default: Any) -> Any:
            return json.loads(_text(attrs[name])) if name in attrs else default

        def proc_json(name: str, default: Any) -> Any:
            return json.loads(_text(proc[name][()])) if name in proc else default

        phase_names = [_text(n) for n in np.atleast_1d(data["phase_names"][()])]
        ny, nx = (int(s) for s in data["phase"].shape)
        n = len(phase_names)
        latent_dim = int(attrs.get("latent_dim", 0))

        arrays: dict[str, np.ndarray] = {}
        for ds, (key, dtype) in _ARRAYS.items():
            flat = np.ascontiguousarray(data[ds][()], dtype=dtype).reshape(-1)
            arrays[key] = flat.reshape(array_shape(key, flat.size, ny, nx, n, latent_dim))
        # encodeResult sends every non-empty list of numbers as a float64 array: `shape` too
        arrays["shape"] = np.array([ny, nx], dtype=np.float64)
        for ds, key in (("training_loss", "trainingLoss"), ("validation_loss", "validationLoss")):
            arrays[key] = np.asarray(proc[ds][()] if ds in proc else [], dtype=np.float64)
        means = np.asarray(data["phase_mean"][()], dtype=np.float64).reshape(-1)
        covs = np.asarray(data["phase_covariance"][()], dtype=np.float64).reshape(-1)
        pixels = np.asarray(data["phase_pixels"][()], dtype=np.float64).reshape(-1)
        gaussians = latent_dim > 0 and means.size == n * latent_dim
        k, el = (n, latent_dim) if gaussians else (0, 0)
        arrays["phaseMeans"] = means[: k * el].reshape(k, el)
        arrays["phaseCovariances"] = covs[: k * el * el].reshape(k, el, el)

        def step(axis: str) -> float | None:
            v = np.asarray(data[axis][()], dtype=np.float64)
            if _text(data[axis].attrs.get("units", "")) == "pixel" or v.size < 2:
                return None
            return float(v[1] - v[0])

        result: dict[str, Any] = {
            "path": source if source is not None else path,
            "phaseNames": phase_names,
            "pixelSize": {"x": step("x"), "y": step("y")},
            "threshold": float(attrs["threshold"]),
            "latentDim": latent_dim,
            "counts": attr_json("counts", {}),
            "warnings": proc_json("warnings", []),
            "timings": proc_json("timings_ms", {}),
            "params": attr_json("parameters", {}),
            "provenance": proc_json("provenance", []),
            "versions": attr_json("versions", {}),
        }
        result["phaseCounts"] = [_number(c) for c in pixels[:k]]
        training = proc_json("training", None)
        if training is not None:
            result["training"] = training
        if "crop_y0_y1_x0_x1" in attrs:
            y0, y1, x0, x1 = (int(v) for v in attrs["crop_y0_y1_x0_x1"])
            result["crop"] = {"y0": y0, "y1": y1, "x0": x0, "x1": x1}
        if int(attrs.get("binning", 1)) > 1:
            result["binning"] = int(attrs["binning"])
        return _json_safe(result), arrays
