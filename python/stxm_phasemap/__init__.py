"""STXM PhaseMap: phase maps from sparse STXM stacks, in JupyterLab.

This package carries the prebuilt JupyterLab extension and the kernel side of its
comm: ``wb = await stxm_phasemap.connect()`` then ``await wb.get_stack()`` returns
the open stack as numpy arrays.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._comm import Stack, Workbench, connect
from ._protocol import PROTOCOL, StxmPhaseMapError

try:
    __version__ = version("stxm-phasemap")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["PROTOCOL", "Stack", "StxmPhaseMapError", "Workbench", "__version__", "connect"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "stxm-phasemap"}]
