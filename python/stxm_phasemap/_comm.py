"""The comm connection to the STXM PhaseMap extension in JupyterLab."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._protocol import (
    COMM_TARGET,
    PROTOCOL,
    ProtocolError,
    Reply,
    ReplyAssembler,
    StxmPhaseMapError,
    make_request,
    validate_hello,
)

#: How often a waiting coroutine yields to the kernel so comm messages get handled.
POLL_SECONDS = 0.01


@dataclass
class Stack:
    """An STXM image stack as the workbench holds it.

    ``data`` is ``I(E, y, x)`` (float32, C order); ``energies`` in eV; ``x`` and
    ``y`` sample positions in µm; ``info`` the extension's description (the same
    object ``stxm-phasemap info --json`` prints).
    """

    path: str
    data: np.ndarray
    energies: np.ndarray
    x: np.ndarray
    y: np.ndarray
    info: dict[str, Any]

    def __repr__(self) -> str:
        ne, ny, nx = self.data.shape
        lo, hi = (float(self.energies.min()), float(self.energies.max())) if ne else (0.0, 0.0)
        return (
            f"<Stack {self.path!r}: {ne} energies ({lo:g}–{hi:g} eV) × {ny} × {nx} px, "
            f"{self.data.dtype}>"
        )


async def _wait_for(cond: Callable[[], bool], timeout: float, what: str) -> None:
    """Yield to the kernel until ``cond()`` holds; comm messages are handled meanwhile."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise StxmPhaseMapError(
                "timeout", f"no answer from the STXM PhaseMap extension {what} within {timeout:g} s"
            )
        await asyncio.sleep(POLL_SECONDS)


class Workbench:
    """A connection to the STXM PhaseMap workbenches open in this JupyterLab.

    Create it with ``await stxm_phasemap.connect()``.
    """

    def __init__(self, comm_factory: Callable[..., Any] | None = None):
        if comm_factory is None:
            from comm import create_comm

            comm_factory = create_comm
        self._comm_factory = comm_factory
        self._comm: Any = None
        self.version: str | None = None
        self._open_error: StxmPhaseMapError | None = None
        self._pending: dict[str, ReplyAssembler] = {}
        self._done: dict[str, Reply | StxmPhaseMapError] = {}

    # -- connection --------------------------------------------------------------------

    async def _open(self, timeout: float) -> Workbench:
        self.version = None
        self._open_error = None
        self._comm = self._comm_factory(target_name=COMM_TARGET, data={"protocol": PROTOCOL})
        self._comm.on_msg(self._on_msg)
        self._comm.on_close(self._on_close)
        try:
            await _wait_for(
                lambda: self.version is not None or self._open_error is not None,
                timeout,
                "(is the stxm-phasemap extension installed and enabled, and is this notebook "
                "open in JupyterLab?)",
            )
        except StxmPhaseMapError:
            self.close()
            raise
        if self._open_error is not None:
            raise self._open_error
        return self

    @property
    def connected(self) -> bool:
        return self._comm is not None and self.version is not None

    def close(self) -> None:
        """Close the comm. ``connect()`` again to reconnect (e.g. after a kernel restart)."""
        comm, self._comm = self._comm, None
        if comm is not None:
            try:
                comm.close()
            except Exception:  # already closed by the other side
                pass
        self._fail_pending(
            StxmPhaseMapError("closed", "the connection to the extension was closed")
        )

    def _fail_pending(self, err: StxmPhaseMapError) -> None:
        for request_id in list(self._pending):
            self._done[request_id] = err
        self._pending.clear()

    def _on_close(self, _msg: Any) -> None:
        self._comm = None
        if self.version is None and self._open_error is None:
            self._open_error = StxmPhaseMapError(
                "closed",
                "JupyterLab closed the comm: the stxm-phasemap extension is not installed or "
                "not enabled in this JupyterLab",
            )
        self._fail_pending(StxmPhaseMapError("closed", "the extension closed the connection"))

    def _on_msg(self, msg: dict[str, Any]) -> None:
        content = msg.get("content", {})
        data = content.get("data")
        buffers = msg.get("buffers") or []
        try:
            if self.version is None:
                self.version = validate_hello(data)
                return
            request_id = data.get("id") if isinstance(data, dict) else None
            assembler = self._pending.get(request_id) if isinstance(request_id, str) else None
            if assembler is None:
                warnings.warn(
                    f"stxm_phasemap: ignoring a message for no pending request: {str(data)[:200]}",
                    stacklevel=1,
                )
                return
            try:
                assembler.add(data, buffers)
            except (ProtocolError, StxmPhaseMapError) as err:
                del self._pending[request_id]
                self._done[request_id] = (
                    err
                    if isinstance(err, StxmPhaseMapError)
                    else StxmPhaseMapError("protocol", f"invalid reply from the extension: {err}")
                )
                return
            if assembler.complete:
                del self._pending[request_id]
                self._done[request_id] = assembler.reply()
        except StxmPhaseMapError as err:
            self._open_error = err
        except ProtocolError as err:
            self._open_error = StxmPhaseMapError("protocol", str(err))

    # -- requests ----------------------------------------------------------------------

    async def request(
        self, method: str, params: dict[str, Any] | None = None, timeout: float = 60.0
    ) -> Reply:
        """Send a request and wait for its whole reply."""
        if not self.connected:
            raise StxmPhaseMapError("closed", "not connected: call `await stxm_phasemap.connect()`")
        request_id, message = make_request(method, params)
        self._pending[request_id] = ReplyAssembler(request_id)
        self._comm.send(message)
        try:
            await _wait_for(lambda: request_id in self._done, timeout, f"to {method}")
        except StxmPhaseMapError:
            self._pending.pop(request_id, None)
            raise
        outcome = self._done.pop(request_id)
        if isinstance(outcome, StxmPhaseMapError):
            raise outcome
        return outcome

    async def list_workbenches(self, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The open workbenches: ``[{"path", "status", "info", "current"}, …]``."""
        reply = await self.request("list_workbenches", timeout=timeout)
        workbenches = reply.result.get("workbenches")
        if not isinstance(workbenches, list) or not all(isinstance(w, dict) for w in workbenches):
            raise StxmPhaseMapError("protocol", '"workbenches" missing from the reply')
        return workbenches

    async def info(self, path: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """The description of an open stack (default: the most recently active one).

        Uses ``list_workbenches``, so no array is transferred.
        """
        workbenches = await self.list_workbenches(timeout)
        if path is None:
            chosen = [w for w in workbenches if w.get("current")]
        else:
            chosen = [w for w in workbenches if w.get("path") == path.lstrip("/")]
        if not chosen or not isinstance(chosen[0].get("info"), dict):
            where = f" for {path!r}" if path else ""
            raise StxmPhaseMapError("not-found", f"no loaded STXM workbench is open{where}")
        return chosen[0]["info"]

    async def get_stack(self, path: str | None = None, timeout: float = 120.0) -> Stack:
        """The stack of a workbench (default: the most recently active one) as numpy arrays."""
        params = {"path": path} if path is not None else {}
        reply = await self.request("get_stack", params, timeout=timeout)
        a = reply.arrays
        missing = {"data", "energies", "x", "y"} - set(a)
        if missing:
            raise StxmPhaseMapError(
                "protocol", f"get_stack reply lacks {', '.join(sorted(missing))}"
            )
        return Stack(
            path=str(reply.result.get("path", "")),
            data=a["data"],
            energies=a["energies"],
            x=a["x"],
            y=a["y"],
            info=dict(reply.result.get("info") or {}),
        )

    def __repr__(self) -> str:
        state = f"connected to extension {self.version}" if self.connected else "not connected"
        return f"<stxm_phasemap.Workbench {state}>"


async def connect(timeout: float = 10.0) -> Workbench:
    """Open a comm to the STXM PhaseMap extension in the JupyterLab running this kernel.

    Use in an async cell (top-level ``await``): results arrive as comm messages,
    which the kernel handles while the cell awaits.
    """
    return await Workbench()._open(timeout)
