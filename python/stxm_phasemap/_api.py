"""The user-facing API: the JupyterLab (``Lab``) and its workbenches (``Workbench``).

Every call that needs the extension returns at once with a :class:`Pending`
(see ``_pending.py``): ``await`` it in an async cell, or read ``.result()`` in
a later cell. Calls on one workbench run in the order they were made.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import numpy as np

from ._comm import Connection
from ._errors import ExtensionUnavailableError
from ._pending import Pending
from ._result import Simulation, Stack, simulation_from_reply, stack_from_reply
from ._workbench import Workbench


class Lab(Connection):
    """The STXM PhaseMap extension of the JupyterLab running this kernel.

    ``lab = await stxm_phasemap.connect()`` (or without ``await`` in a plain
    cell: requests wait for the extension's hello themselves).
    """

    def __await__(self):
        return self._ready().__await__()

    async def _ready(self) -> Lab:
        await self.ensure_open()
        return self

    # -- paths -------------------------------------------------------------------------

    def server_path(self, path: str | os.PathLike[str]) -> str:
        """A local path as the Jupyter server names it (relative to its root folder)."""
        local = os.path.realpath(os.path.abspath(os.path.expanduser(os.fspath(path))))
        root = self.hello.server_root if self.hello else None
        if not root:
            return os.path.relpath(local).replace(os.sep, "/")
        root_abs = os.path.realpath(os.path.expanduser(root))
        rel = os.path.relpath(local, root_abs)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            raise ValueError(
                f"{os.fspath(path)} is outside the Jupyter server's root folder {root}: "
                "JupyterLab can only open files under it"
            )
        return rel.replace(os.sep, "/")

    def _workbench_path(self, path: str | os.PathLike[str]) -> str:
        """A workbench's server path from a local path (if it exists here) or a server path."""
        text = os.fspath(path)
        if os.path.exists(text):
            try:
                return self.server_path(text)
            except ValueError:
                pass
        return text.replace(os.sep, "/").lstrip("/")

    def local_path(self, server_path: str) -> str | None:
        """A server path as a local path (None when the server's root is unknown)."""
        root = self.hello.server_root if self.hello else None
        return os.path.join(os.path.expanduser(root), *server_path.split("/")) if root else None

    # -- requests ----------------------------------------------------------------------

    def workbenches(self) -> Pending[list[dict[str, Any]]]:
        """The open workbenches: ``[{"path", "status", "current", "info", …}, …]``."""

        async def work() -> list[dict[str, Any]]:
            reply = await self.request("list_workbenches", timeout=30)
            wbs = reply.result.get("workbenches")
            if not isinstance(wbs, list) or not all(isinstance(w, dict) for w in wbs):
                raise ExtensionUnavailableError("protocol", '"workbenches" missing from the reply')
            return wbs

        return Pending("list of workbenches", work())

    # The skeleton's name, kept.
    list_workbenches = workbenches

    def info(self, path: str | os.PathLike[str] | None = None) -> Pending[dict[str, Any]]:
        """The description of an open stack (default: the most recently active one)."""

        async def work() -> dict[str, Any]:
            wbs = await self.workbenches()
            chosen = (
                [w for w in wbs if w.get("current")]
                if path is None
                else [w for w in wbs if w.get("path") == self._workbench_path(path)]
            )
            if not chosen or not isinstance(chosen[0].get("info"), dict):
                from ._errors import WorkbenchNotFoundError

                where = f" for {path!r}" if path else ""
                raise WorkbenchNotFoundError(
                    "not-found", f"no loaded STXM workbench is open{where}"
                )
            return chosen[0]["info"]

        return Pending("stack info", work())

    def get_stack(self, path: str | os.PathLike[str] | None = None) -> Pending[Stack]:
        """The stack of a workbench (its file, local or server path; default: the current one)."""

        async def work() -> Stack:
            await self.ensure_open()
            params = {"path": self._workbench_path(path)} if path is not None else {}
            reply = await self.request("get_stack", params, timeout=600)
            return stack_from_reply(reply.result, reply.arrays)

        return Pending(f"stack of {path or 'the current workbench'}", work())

    def current(self) -> Pending[Workbench]:
        """The most recently active workbench."""

        async def work() -> Workbench:
            wbs = await self.workbenches()
            chosen = [w for w in wbs if w.get("current")]
            if not chosen:
                from ._errors import WorkbenchNotFoundError

                raise WorkbenchNotFoundError("not-found", "no STXM workbench is open in JupyterLab")
            return Workbench._existing(self, str(chosen[0]["path"]), chosen[0].get("info"))

        return Pending("current workbench", work())

    def open(self, path: str | os.PathLike[str]) -> Workbench:
        """Open (or reveal) a stack file in a workbench; returns its handle at once.

        ``path`` is a local path (relative to the kernel's working folder, the
        notebook's by default). ``await`` the handle to wait until it is loaded.
        """
        if not os.path.exists(os.path.expanduser(os.fspath(path))):
            raise FileNotFoundError(f"{os.fspath(path)}: no such file")
        if self.hello is not None:
            self.server_path(path)  # outside the server's root: ValueError at once

        async def work() -> dict[str, Any]:
            await self.ensure_open()
            reply = await self.request("open", {"path": self.server_path(path)}, timeout=600)
            return reply.result

        return Workbench(self, f"open {os.fspath(path)}", work())

    def open_arrays(
        self,
        data: Any,
        energies: Any,
        *,
        x: Any = None,
        y: Any = None,
        pixel_size: float | tuple[float, float] | None = None,
        path: str | os.PathLike[str] | None = None,
        overwrite: bool = False,
        title: str | None = None,
        control: Any = None,
    ) -> Workbench:
        """Open a workbench on numpy arrays; returns its handle at once.

        ``data`` is the cube ``(E, y, x)`` (converted to float32), ``energies``
        in eV, positions ``x``/``y`` in µm or ``pixel_size`` (µm, or (x, y)).
        The extension writes it as an NXstxm file at ``path`` (default: a name
        from the content's hash in the working folder, so running the cell again
        reuses the file) and opens that, so the workbench survives a page reload
        and the data can be shared. An existing ``path`` is replaced only with
        ``overwrite=True``.
        """
        cube, e, xs, ys, ctl = _stack_arrays(data, energies, x, y, pixel_size, control)
        if path is None:
            digest = hashlib.sha1()
            for a in (cube, e, xs, ys) + ((ctl,) if ctl is not None else ()):
                digest.update(repr(a.shape).encode())
                digest.update(memoryview(a).cast("B"))
            path = f"stxm-arrays-{digest.hexdigest()[:12]}.h5"
            reuse = os.path.exists(path)
        else:
            path = os.fspath(path)
            if not path.lower().endswith((".h5", ".hdf5", ".nxs", ".hdf", ".stxm")):
                path += ".h5"
            if os.path.exists(path) and not overwrite:
                raise FileExistsError(f"{path} exists already; pass overwrite=True to replace it")
            reuse = False
        local = path

        async def work() -> dict[str, Any]:
            await self.ensure_open()
            server = self.server_path(local)
            if reuse:
                reply = await self.request("open", {"path": server}, timeout=600)
            else:
                arrays = {"data": cube, "energies": e, "x": xs, "y": ys}
                if ctl is not None:
                    arrays["control"] = ctl
                params = {"path": server, "overwrite": bool(overwrite), "title": title}
                reply = await self.request("open_arrays", params, arrays, timeout=1800)
            return reply.result

        return Workbench(self, f"open arrays as {path}", work(), local_path=path)

    def simulate(
        self,
        soc: float = 0.64,
        *,
        seed: int = 1,
        shape: tuple[int, int] = (48, 64),
        pixel_size: float = 0.03,
    ) -> Pending[Simulation]:
        """Simulate an NVPF particle at a state of charge (the extension's simulator).

        ``soc`` is the charged (Na1) share of the particle, 0…1; the Na3 core
        shrinks as it grows. Returns the stack arrays, the model reference
        spectra and the ground truth (12 energies across the V L and O K edges,
        Poisson counts, a decaying ring current).
        """
        if not 0 <= soc <= 1:
            raise ValueError(f"soc must be in 0…1, got {soc}")
        ny, nx = (int(s) for s in shape)
        params = {
            "soc": float(soc),
            "seed": int(seed),
            "ny": ny,
            "nx": nx,
            "pixel_size": pixel_size,
        }

        async def work() -> Simulation:
            reply = await self.request("simulate", params, timeout=120)
            return simulation_from_reply(reply.result, reply.arrays)

        return Pending(f"simulation at soc {soc:g}", work())


def _stack_arrays(data, energies, x, y, pixel_size, control):
    cube = np.ascontiguousarray(np.asarray(data), dtype="<f4")
    if cube.ndim != 3 or min(cube.shape) < 1:
        raise ValueError(f"data must be a non-empty 3-D cube (E, y, x), got shape {cube.shape}")
    ne, ny, nx = cube.shape
    e = np.ascontiguousarray(np.asarray(energies, dtype="<f8"))
    if e.shape != (ne,):
        raise ValueError(f"energies must have {ne} values (one per frame), got shape {e.shape}")
    if x is None or y is None:
        if pixel_size is None:
            raise ValueError("give pixel_size= (µm) or both x= and y= (positions in µm)")
        px, py = (
            (float(pixel_size), float(pixel_size))
            if np.isscalar(pixel_size)
            else (float(pixel_size[0]), float(pixel_size[1]))  # type: ignore[index]
        )
        xs = np.arange(nx, dtype="<f8") * px if x is None else x
        ys = np.arange(ny, dtype="<f8") * py if y is None else y
    else:
        xs, ys = x, y
    xs = np.ascontiguousarray(np.asarray(xs, dtype="<f8"))
    ys = np.ascontiguousarray(np.asarray(ys, dtype="<f8"))
    if xs.shape != (nx,) or ys.shape != (ny,):
        raise ValueError(f"x must have {nx} and y {ny} positions, got {xs.shape} and {ys.shape}")
    for name, v in (("energies", e), ("x", xs), ("y", ys)):
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{name} has non-finite values")
    ctl = None
    if control is not None:
        ctl = np.ascontiguousarray(np.asarray(control), dtype="<f4")
        if ctl.shape != cube.shape:
            raise ValueError(f"control must have the shape of data {cube.shape}, got {ctl.shape}")
    return cube, e, xs, ys, ctl
