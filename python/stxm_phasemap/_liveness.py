"""Liveness of the comm: a page reload must not leave a request waiting for ever.

A reloaded (or closed) page takes the browser side of the comm with it, and
the kernel is not told. While requests wait for their answers, a connection
pings an extension that has been silent for ``ping_after`` seconds; no answer
within ``ack_timeout`` means the page is gone, and everything waiting on that
comm fails with :class:`WorkbenchReloadedError`. The next request opens a new
comm, in the context of the kernel's latest request, so that the page that is
there now answers it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from typing import Any

from ._errors import WorkbenchReloadedError


def settle(fut: concurrent.futures.Future, value: Any = None, error: BaseException | None = None):
    if fut.done():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(value)


def latest_shell_context() -> Any:
    """A copy of the context of the kernel's latest shell request (ipykernel ≥ 7), or None.

    A comm's ``comm_open`` carries the parent header of the context it is
    created in, and only the page whose session that is answers it. A request
    queued in a cell that ran before a page reload runs in that cell's context,
    whose page is gone; the latest request (the reloaded page's kernel info or
    cells) names the page that is there now.
    """
    try:
        from ipykernel.kernelbase import Kernel

        if not Kernel.initialized():
            return None
        ctx = getattr(Kernel.instance(), "_shell_context", None)
        return ctx.copy() if ctx is not None else None
    except Exception:  # another kernel, or its internals changed: the task's own context
        return None


def parent_session(ctx: Any) -> str | None:
    """The session (page) of the parent request in ``ctx``."""
    try:
        from ipykernel.kernelbase import Kernel

        parent = ctx.run(Kernel.instance().get_parent)
        return parent.get("header", {}).get("session") or None
    except Exception:
        return None


class Liveness:
    """The liveness part of :class:`~stxm_phasemap._comm.Connection` (its state is there)."""

    _lock: threading.RLock
    _comm: Any
    _hello: Any
    _waiters: dict[str, Any]
    _last_heard: float
    _ping_at: float | None
    _pings: int
    _lost: bool
    _page_session: str | None
    ack_timeout: float
    ping_after: float
    reconnects: int

    def _ping(self, comm: Any) -> None:
        self._pings += 1
        self._ping_at = time.monotonic()
        try:
            comm.send(data={"type": "ping", "id": f"ping-{self._pings}"})
        except Exception:  # closed: _watch decides
            pass

    def _watch(self, waiter: Any, stalled: bool) -> None:
        """Called while ``waiter`` waits: ping a silent extension, give up on a gone one."""
        comm = waiter.comm
        if comm is None or waiter.done.done():
            return
        if comm is not self._comm:  # that comm was dropped and replaced
            self._fail_reloaded([waiter])
            return
        now = time.monotonic()
        if stalled:
            # The kernel's loop was blocked (a busy cell): what the extension sent in the
            # meantime is still queued. Listen afresh instead of blaming the extension.
            self._last_heard = max(self._last_heard, now)
            self._ping_at = None
            return
        if self._ping_at is not None and self._last_heard >= self._ping_at:
            self._ping_at = None  # answered
        if self._ping_at is None:
            if now - self._last_heard >= self.ping_after:
                self._ping(comm)
        elif now - self._ping_at >= self.ack_timeout:
            self._comm_lost(comm)

    def _comm_lost(self, comm: Any, keep: Any = None) -> None:
        """The browser side of ``comm`` is gone: drop it, fail whatever waits on it."""
        with self._lock:
            if comm is not None and comm is self._comm:
                self._comm, self._hello = None, None
            waiters = [w for w in self._waiters.values() if w.comm is comm and w is not keep]
        self.reconnects += 1
        self._ping_at = None
        self._lost = True
        if comm is not None:
            try:
                comm.close()
            except Exception:  # already closed
                pass
        self._fail_reloaded(waiters)

    def _fail_reloaded(self, waiters: list[Any]) -> None:
        for w in waiters:
            err = WorkbenchReloadedError(
                "reloaded",
                f"the JupyterLab page was reloaded (or closed) while {w.what} was under way: "
                "the extension's side of the comm went with the page, and so did the request "
                "(a run stops with its page). The same handles work again once the page is "
                "back; call it again.",
            )
            settle(w.ack, error=err)
            settle(w.done, error=err)

    async def _await_new_page(self, timeout: float) -> None:
        """After a reload: wait until the kernel has heard from a page other than the lost one.

        A new comm is opened in the context of the kernel's latest request
        (``latest_shell_context``). While that is still the lost page's (a cell
        it ran is still running: the kernel takes no other request meanwhile),
        no page would answer the comm.
        """
        lost = self._page_session
        if lost is None or parent_session(latest_shell_context()) is None:
            return  # not an ipykernel, or nothing to compare: just try
        deadline = time.monotonic() + timeout
        while parent_session(latest_shell_context()) == lost:
            if time.monotonic() >= deadline:
                raise WorkbenchReloadedError(
                    "reloaded",
                    "the JupyterLab page was reloaded (or closed), and the kernel has heard "
                    f"from no other page within {timeout:g} s (it is still running a cell of "
                    "the old page, or the notebook is not open again): call it again from a "
                    "cell run on the page that is there now",
                )
            await asyncio.sleep(0.25)
