"""STXM PhaseMap: phase maps from sparse STXM stacks, in JupyterLab.

This package carries the prebuilt JupyterLab extension and the kernel side of
its comm. Arrays go to the workbench and come back as numpy::

    import stxm_phasemap as spm

    wb = spm.open("particle.h5")  # or spm.open_arrays(cube, energies, pixel_size=0.03)
    await wb.set_references("refs.csv")
    result = await wb.run(threshold=0.005, seed=0)
    result.phase, result.fractions, result.phase_names

Every call returns at once; ``await`` it in an async cell, or read
``.result()`` of the returned object in a later cell (docs/python.md).

Without JupyterLab (scripts, ``nbconvert --execute``, CI, Dask workers) the engine
the package carries maps stacks directly::

    result = spm.map_file("particle.h5", "refs.csv", seed=0)       # the same Result
    batch = spm.map_files(paths, "refs.csv", client=dask_client)   # table + figure
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ._api import Lab, Workbench
from ._batch import Batch, map_files
from ._comm import Connection
from ._display import MIME_TYPE
from ._errors import (
    EngineUnavailableError,
    ExtensionUnavailableError,
    InvalidRequestError,
    NotReadyError,
    RunCancelledError,
    StackFileError,
    StxmPhaseMapError,
    WorkbenchNotFoundError,
    WorkbenchReloadedError,
)
from ._headless import map_arrays, map_file, run_cli, write_nxstxm
from ._palette import PHASE_COLORS
from ._pending import Pending, gather
from ._protocol import PROTOCOL
from ._references import References
from ._result import RESULT_FIELDS, Result, RunWarning, Simulation, Stack

try:
    __version__ = version("stxm-phasemap")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "MIME_TYPE",
    "PHASE_COLORS",
    "PROTOCOL",
    "RESULT_FIELDS",
    "Batch",
    "Connection",
    "EngineUnavailableError",
    "ExtensionUnavailableError",
    "InvalidRequestError",
    "Lab",
    "NotReadyError",
    "Pending",
    "References",
    "Result",
    "RunCancelledError",
    "RunWarning",
    "Simulation",
    "Stack",
    "StackFileError",
    "StxmPhaseMapError",
    "Workbench",
    "WorkbenchNotFoundError",
    "WorkbenchReloadedError",
    "__version__",
    "connect",
    "current",
    "gather",
    "get_stack",
    "map_arrays",
    "map_file",
    "map_files",
    "open_arrays",
    "run_cli",
    "simulate",
    "workbenches",
    "write_nxstxm",
]

# `open` is not in __all__: `from stxm_phasemap import *` must not shadow the builtin.

_default: Lab | None = None


def connect(timeout: float = 10.0) -> Lab:
    """A new connection to the STXM PhaseMap extension (also the module's default).

    ``lab = await spm.connect()`` waits for the extension's hello and raises
    :class:`ExtensionUnavailableError` if it does not answer within ``timeout``;
    without ``await`` the connection is returned at once. After a kernel
    restart, connect again: the workbenches kept their data.
    """
    global _default
    if _default is not None:
        _default.close()
    _default = Lab(connect_timeout=timeout)
    return _default


def _lab() -> Lab:
    global _default
    if _default is None:
        _default = Lab()
    return _default


def open(path: str | os.PathLike[str]) -> Workbench:
    """Open (or reveal) a stack file in a workbench. See :meth:`Lab.open`."""
    return _lab().open(path)


def open_arrays(data: Any, energies: Any, **kwargs: Any) -> Workbench:
    """Open a workbench on numpy arrays. See :meth:`Lab.open_arrays`."""
    return _lab().open_arrays(data, energies, **kwargs)


def simulate(soc: float = 0.64, **kwargs: Any) -> Pending[Simulation]:
    """Simulate an NVPF particle. See :meth:`Lab.simulate`."""
    return _lab().simulate(soc, **kwargs)


def current() -> Pending[Workbench]:
    """The most recently active workbench."""
    return _lab().current()


def workbenches() -> Pending[list[dict[str, Any]]]:
    """The open workbenches."""
    return _lab().workbenches()


def get_stack(path: str | None = None) -> Pending[Stack]:
    """The stack of a workbench (default: the most recently active one)."""
    return _lab().get_stack(path)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "stxm-phasemap"}]
