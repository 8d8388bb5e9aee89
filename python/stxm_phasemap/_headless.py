"""Phase maps from plain Python, with no JupyterLab page: scripts, ``nbconvert --execute``,
papermill, CI, Dask workers.

:func:`map_file` runs the engine that the wheel carries (``stxm-phasemap map FILE
--refs R --out RESULT.h5 --json``, the keywords handed over as ``--params -``) and
reads the result file back as the same :class:`Result` that ``await wb.run()``
returns: for the same seed and parameters, the same maps bit for bit as the
command line and the workbench. :func:`map_arrays` does the same for a numpy
cube, written as NXstxm with h5py in the layout the engine's readers read.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import _engine
from ._params import FALLBACK_DEFAULTS, build_params
from ._references import References, references_request
from ._result import Result


def parameters(**params: Any) -> dict[str, Any]:
    """Keyword arguments as the engine's nested parameters (unknown names: ``TypeError``).

    The names are the workbench's (``threshold``, ``seed``, ``method``, ``epochs``,
    ``align``, ``energy_shift``, ``i0``, ``mask`` … every parameter of
    ``DEFAULT_PARAMS`` in ``_contract.py``), or ``params=`` in the engine's nested form.
    """
    return build_params(FALLBACK_DEFAULTS, **params)


def _progress_printer(progress: bool | Callable[[str], None]) -> Callable[[str], None] | None:
    if callable(progress):
        return progress
    if progress:
        return lambda line: print(line, file=sys.stderr, flush=True)
    return None


def _references_csv(refs: Any, folder: str) -> str:
    """A references CSV path for the engine: the path itself, or ``refs`` written as one."""
    if isinstance(refs, (str, os.PathLike)):
        path = os.fspath(refs)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: no such reference CSV file")
        return path
    if not isinstance(refs, (References, Mapping, np.ndarray, list, tuple)):
        raise TypeError(
            "refs must be a reference CSV path, a References, a dict of spectra or an array, "
            f"not {type(refs).__name__}"
        )
    req, arrays = references_request(refs)
    names = [str(n) for n in req["names"]]
    grids = [np.asarray(arrays[f"energies:{i}"], dtype=np.float64) for i in range(len(names))]
    values = [np.asarray(arrays[f"values:{i}"], dtype=np.float64) for i in range(len(names))]
    if any(g.shape != grids[0].shape or not np.array_equal(g, grids[0]) for g in grids):
        raise ValueError(
            "the reference spectra are on different energy grids: give them on one grid "
            "(energies=) or as a CSV file"
        )
    path = os.path.join(folder, "references.csv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(["energy_eV", *(n.replace(",", "_") for n in names)]) + "\n")
        for k, e in enumerate(grids[0]):
            f.write(",".join(repr(float(v)) for v in [e, *(v[k] for v in values)]) + "\n")
    return path


def map_file(
    path: str | os.PathLike[str],
    refs: Any,
    *,
    out: str | os.PathLike[str] | None = None,
    progress: bool | Callable[[str], None] = False,
    timeout: float | None = None,
    **params: Any,
) -> Result:
    """Map one stack file, anywhere Python runs; returns the same :class:`Result` as ``wb.run()``.

    ``refs`` is the reference spectra: a CSV path (DESIGN.md §3) or any form
    ``wb.set_references`` takes (one energy grid). Parameters by name
    (``threshold=0.005``, ``seed=0``, ``method="gmvae"``, ``epochs``,
    ``align``, ``energy_shift``, ``binning`` …) or ``params=`` (nested); with
    none, the defaults decide alignment and energy calibration from the data.
    ``out``: keep the result file there (default: a temporary file, read and
    removed). ``progress``: the engine's progress lines on stderr (True) or to a
    callback. ``timeout``: seconds before the run is stopped.

    Raises ``FileNotFoundError`` (no such stack or references file),
    ``TypeError`` (an unknown parameter), :class:`InvalidRequestError` (a value
    the engine refuses, named), :class:`StackFileError` (a file the engine
    cannot use: the message names it), :class:`EngineUnavailableError`.
    """
    stack = os.fspath(path)
    if not os.path.isfile(stack):
        raise FileNotFoundError(
            f"{stack}: {'a folder, not a stack file' if os.path.isdir(stack) else 'no such file'}"
        )
    nested = parameters(**params)
    with tempfile.TemporaryDirectory(prefix="stxm-phasemap-") as tmp:
        refs_path = _references_csv(refs, tmp)
        target = os.fspath(out) if out is not None else os.path.join(tmp, "result.h5")
        args = ["map", stack, "--refs", refs_path, "--out", target, "--json", "--params", "-"]
        if not progress:
            args.append("--quiet")
        done = _engine.run(
            args, input=json.dumps(nested), on_stderr=_progress_printer(progress), timeout=timeout
        )
        _engine.raise_for(done, files=[stack, refs_path])
        result = Result.from_file(target, source=stack)
    if out is None:
        result.result_file = None
    return result


def run_cli(*args: str | os.PathLike[str], timeout: float | None = None) -> str:
    """Run a command of the engine (``info``, ``map``, ``batch``, ``simulate``, ``plan``) here,
    as ``stxm-phasemap ARGS`` would; returns its standard output.

    A failure raises the typed error (:class:`StackFileError` naming the file for an
    exit 2), e.g. ``spm.run_cli("simulate", "--soc", "0.4", "--out", "soc40.h5")``.
    """
    argv = [os.fspath(a) for a in args]
    done = _engine.run(argv, timeout=timeout)
    _engine.raise_for(done, files=[a for a in argv if not a.startswith("-")])
    return done.stdout


def _axis(values: Any, count: int, step: float, what: str) -> np.ndarray:
    if values is None:
        return np.arange(count, dtype=np.float64) * step
    v = np.ascontiguousarray(values, dtype=np.float64)
    if v.shape != (count,):
        raise ValueError(f"{what} must have {count} values (the cube's {what} size), got {v.shape}")
    return v


def write_nxstxm(
    path: str | os.PathLike[str],
    data: Any,
    energies: Any,
    *,
    x: Any = None,
    y: Any = None,
    pixel_size: float | tuple[float, float] | None = None,
    control: Any = None,
    title: str | None = None,
) -> str:
    """Write a cube ``(E, y, x)`` as NXstxm, in the layout of src/core/io/nxstxm-write.ts.

    ``/entry1/counter0/{data, energy, sample_y, sample_x, stxm_scan_type}`` with
    the NXdata attributes, and the ring current (``control``, same shape) in
    ``/entry1/control``. Positions in µm: ``x``/``y``, or ``pixel_size`` (µm,
    or ``(x, y)``; default 1 with no positions). Returns the path.
    """
    import h5py

    cube = np.ascontiguousarray(data, dtype=np.float32)
    if cube.ndim != 3 or 0 in cube.shape:
        raise ValueError(f"data must be a non-empty (E, y, x) cube, got shape {cube.shape}")
    ne, ny, nx = cube.shape
    e = np.ascontiguousarray(energies, dtype=np.float64)
    if e.shape != (ne,):
        raise ValueError(f"energies must have {ne} values (one per frame), got shape {e.shape}")
    if not np.all(np.isfinite(e)):
        raise ValueError("energies must be finite numbers (eV)")
    if pixel_size is None:
        sx = sy = 1.0
    elif isinstance(pixel_size, tuple):
        sx, sy = (float(v) for v in pixel_size)
    else:
        sx = sy = float(pixel_size)
    xs = _axis(x, nx, sx, "x")
    ys = _axis(y, ny, sy, "y")
    ctl = None
    if control is not None:
        ctl = np.ascontiguousarray(control, dtype=np.float32)
        if ctl.shape != cube.shape:
            raise ValueError(f"control must have the cube's shape {cube.shape}, got {ctl.shape}")
    text = h5py.string_dtype()
    axes = np.array(["energy", "sample_y", "sample_x"], dtype=text)

    def nxdata(g: Any, nx_class: str) -> None:
        g.attrs["NX_class"] = nx_class
        g.attrs["signal"] = "data"
        g.attrs["axes"] = axes
        for i, name in enumerate(("energy", "sample_y", "sample_x")):
            g.attrs[f"{name}_indices"] = np.int32(i)

    def axes_data(g: Any) -> None:
        g.create_dataset("energy", data=e).attrs["units"] = "eV"
        g.create_dataset("sample_y", data=ys).attrs["units"] = "µm"
        g.create_dataset("sample_x", data=xs).attrs["units"] = "µm"

    path = os.fspath(path)
    with h5py.File(path, "w") as f:
        f.attrs["NX_class"] = "NXroot"
        entry = f.create_group("entry1")
        entry.attrs["NX_class"] = "NXentry"
        entry.create_dataset("definition", data=np.array(["NXstxm"], dtype=text))
        if title:
            entry.create_dataset("title", data=np.array([title], dtype=text))
        counter = entry.create_group("counter0")
        nxdata(counter, "NXdata")
        counter.create_dataset("data", data=cube)
        axes_data(counter)
        counter.create_dataset("stxm_scan_type", data=np.array(["sample image stack"], dtype=text))
        if ctl is not None:
            g = entry.create_group("control")
            nxdata(g, "NXmonitor")
            g.create_dataset("data", data=ctl).attrs["units"] = "mA"
            axes_data(g)
    return path


def map_arrays(
    data: Any,
    energies: Any,
    refs: Any,
    *,
    x: Any = None,
    y: Any = None,
    pixel_size: float | tuple[float, float] | None = None,
    control: Any = None,
    title: str | None = None,
    out: str | os.PathLike[str] | None = None,
    progress: bool | Callable[[str], None] = False,
    timeout: float | None = None,
    **params: Any,
) -> Result:
    """Map a numpy cube ``(E, y, x)`` (the counterpart of ``open_arrays``), with no JupyterLab page.

    The cube is written as NXstxm (:func:`write_nxstxm`) into a temporary file
    and mapped by :func:`map_file`; the arguments are those of ``open_arrays``
    and ``map_file``.
    """
    with tempfile.TemporaryDirectory(prefix="stxm-phasemap-") as tmp:
        stack = write_nxstxm(
            Path(tmp) / "arrays.h5",
            data,
            energies,
            x=x,
            y=y,
            pixel_size=pixel_size,
            control=control,
            title=title,
        )
        result = map_file(stack, refs, out=out, progress=progress, timeout=timeout, **params)
    result.path = "(arrays)"
    result.json["path"] = "(arrays)"
    return result
