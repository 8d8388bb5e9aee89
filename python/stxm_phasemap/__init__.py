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
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ._api import Lab, Workbench
from ._comm import Connection
from ._display import MIME_TYPE
from ._errors import (
    ExtensionUnavailableError,
    InvalidRequestError,
    NotReadyError,
    RunCancelledError,
    StxmPhaseMapError,
    WorkbenchNotFoundError,
    WorkbenchReloadedError,
)
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
    "Connection",
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
    "StxmPhaseMapError",
    "Workbench",
    "WorkbenchNotFoundError",
    "WorkbenchReloadedError",
    "__version__",
    "connect",
    "current",
    "gather",
    "get_stack",
    "open_arrays",
    "simulate",
    "workbenches",
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
