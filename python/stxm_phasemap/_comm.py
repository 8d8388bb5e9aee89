"""The comm connection to the STXM PhaseMap extension in JupyterLab.

One comm per connection. Each request is acknowledged by the extension as soon
as its first part arrives; a request that gets no acknowledgement (the page was
reloaded, so the comm on the browser side is gone) reopens the comm once and is
sent again. A request already acknowledged is watched while it waits: when
the extension has been silent for ``ping_after`` seconds the kernel pings it,
and a ping without an answer within ``ack_timeout`` means the page is gone
with its side of the comm; every request waiting on that comm then fails with
:class:`WorkbenchReloadedError` instead of waiting for ever, and the next
request opens a new comm. A kernel restart loses nothing in the workbenches
(their data lives in the browser): ``connect()`` again, or use the
module-level functions, which connect on first use.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._contract import ACK_TIMEOUT_S, CONNECT_TIMEOUT_S, PING_AFTER_S
from ._errors import (
    ExtensionUnavailableError,
    ProtocolError,
    StxmPhaseMapError,
    WorkbenchReloadedError,
)
from ._liveness import Liveness, latest_shell_context
from ._liveness import settle as _settle
from ._pending import wait_future
from ._protocol import (
    COMM_TARGET,
    PROTOCOL,
    Hello,
    Reply,
    ReplyAssembler,
    cancel_message,
    check_result,
    error_notice,
    make_request,
    validate_ack,
    validate_event,
    validate_hello,
)

#: Seconds to wait for the extension's hello after opening a comm (the contract's).
CONNECT_TIMEOUT = float(CONNECT_TIMEOUT_S)
#: Seconds to wait for a request's acknowledgement before reopening the comm.
ACK_TIMEOUT = float(ACK_TIMEOUT_S)
#: Seconds of silence from the extension, while answers are awaited, before it is pinged.
PING_AFTER = float(PING_AFTER_S)
#: How often a waiting request looks at progress events (seconds).
PROGRESS_POLL = 0.25
#: How often a waiting request checks that the extension is still there (seconds).
WATCH_POLL = 1.0
#: A wake-up this much later than asked means the kernel's loop was blocked (a busy cell).
STALL = 2.0

ProgressCallback = Callable[[dict[str, Any]], None]


@dataclass
class _Waiter:
    request_id: str
    assembler: ReplyAssembler
    #: What the request is, for messages: "'run' on particle.h5".
    what: str = "the request"
    #: The comm the request went out on (None: not sent yet).
    comm: Any = None
    ack: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    done: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    progress: dict[str, Any] | None = None
    progress_seq: int = 0


class Connection(Liveness):
    """The comm to the STXM PhaseMap extension of the JupyterLab running this kernel.

    Create it with :func:`stxm_phasemap.connect`. Requests wait for the
    extension's hello first, so a plain cell may use a connection right away.
    """

    def __init__(
        self,
        comm_factory: Callable[..., Any] | None = None,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        ack_timeout: float = ACK_TIMEOUT,
        ping_after: float = PING_AFTER,
    ):
        if comm_factory is None:
            from comm import create_comm

            comm_factory = create_comm
        self._comm_factory = comm_factory
        self.connect_timeout = connect_timeout
        self.ack_timeout = ack_timeout
        self.ping_after = ping_after
        self._lock = threading.RLock()
        self._comm: Any = None
        self._hello: concurrent.futures.Future[Hello] | None = None
        self._waiters: dict[str, _Waiter] = {}
        self.hello: Hello | None = None
        self.reconnects = 0
        # Liveness of the current comm: when the extension was last heard, when it was pinged.
        self._last_heard = time.monotonic()
        self._ping_at: float | None = None
        self._pings = 0
        # A comm was lost (page reloaded) since the last hello.
        self._lost = False
        # The session (kernel connection) of the page that said hello last.
        self._page_session: str | None = None

    # -- connection --------------------------------------------------------------------

    @property
    def version(self) -> str | None:
        """The extension's version, once it said hello."""
        return self.hello.version if self.hello else None

    @property
    def connected(self) -> bool:
        return (
            self._comm is not None
            and self._hello is not None
            and self._hello.done()
            and (self._hello.exception() is None)
        )

    def _open_comm(self) -> concurrent.futures.Future[Hello]:
        with self._lock:
            if self._comm is not None and self._hello is not None:
                return self._hello
            hello: concurrent.futures.Future[Hello] = concurrent.futures.Future()
            self._hello = hello
            ctx = latest_shell_context() if self._lost else None
            open_data = {"target_name": COMM_TARGET, "data": {"protocol": PROTOCOL}}
            if ctx is not None:
                comm = ctx.run(self._comm_factory, **open_data)
            else:
                comm = self._comm_factory(**open_data)
            self._comm = comm
            self._last_heard = time.monotonic()
            self._ping_at = None
        comm.on_msg(lambda msg: self._on_msg(comm, msg))
        comm.on_close(lambda msg: self._on_close(comm))
        return hello

    async def ensure_open(self, timeout: float | None = None) -> Hello:
        """Open the comm if needed and wait for the extension's hello."""
        timeout = self.connect_timeout if timeout is None else timeout
        if self._lost and self._comm is None:
            await self._await_new_page(timeout)
        hello = self._open_comm()
        try:
            value = await wait_future(hello, timeout)
        except asyncio.TimeoutError:
            self._drop_comm()
            if self._lost:
                raise WorkbenchReloadedError(
                    "reloaded",
                    f"the JupyterLab page was reloaded (or closed) and no page answered within "
                    f"{timeout:g} s: is this notebook open in JupyterLab again?",
                ) from None
            raise ExtensionUnavailableError(
                "timeout",
                f"no answer from the STXM PhaseMap extension within {timeout:g} s (is the "
                "stxm-phasemap extension installed and enabled, and is this notebook open "
                "in JupyterLab?)",
            ) from None
        except StxmPhaseMapError:
            self._drop_comm()
            raise
        self.hello = value
        self._lost = False
        return value

    def _drop_comm(self, close: bool = True) -> None:
        with self._lock:
            comm, self._comm, self._hello = self._comm, None, None
        if comm is not None and close:
            try:
                comm.close()
            except Exception:  # already closed by the other side
                pass

    def close(self) -> None:
        """Close the comm; pending requests fail. The next request opens a new one."""
        self._drop_comm()
        self._fail_all(ExtensionUnavailableError("closed", "the connection was closed"))

    def _fail_all(self, err: StxmPhaseMapError) -> None:
        with self._lock:
            waiters = list(self._waiters.values())
        for w in waiters:
            _settle(w.ack, error=err)
            _settle(w.done, error=err)

    def _on_close(self, comm: Any) -> None:
        with self._lock:
            if comm is not self._comm:
                return  # an old comm
            hello = self._hello
            self._comm, self._hello = None, None
        if hello is not None and not hello.done():
            _settle(
                hello,
                error=ExtensionUnavailableError(
                    "closed",
                    "JupyterLab closed the comm: the stxm-phasemap extension is not installed "
                    "or not enabled in this JupyterLab",
                ),
            )
        self._fail_all(ExtensionUnavailableError("closed", "the extension closed the connection"))

    def _send(self, data: dict[str, Any], buffers: list[Any] | None = None) -> None:
        comm = self._comm
        if comm is None:
            raise ExtensionUnavailableError("closed", "not connected")
        comm.send(data=data, buffers=buffers or None)

    def _on_msg(self, comm: Any, msg: dict[str, Any]) -> None:
        """Handle one comm message (called by the kernel, possibly on a subshell thread)."""
        content = msg.get("content", {}) if isinstance(msg, dict) else {}
        data = content.get("data")
        buffers = msg.get("buffers") or []
        with self._lock:
            current = comm is self._comm
            hello = self._hello if current else None
        if current:
            self._last_heard = time.monotonic()
        if hello is not None and not hello.done():
            try:
                value = validate_hello(data)
                header = msg.get("header") if isinstance(msg, dict) else None
                session = header.get("session") if isinstance(header, dict) else None
                self._page_session = session if isinstance(session, str) else None
                _settle(hello, value)
            except (ProtocolError, StxmPhaseMapError) as err:
                error = (
                    err
                    if isinstance(err, StxmPhaseMapError)
                    else ExtensionUnavailableError("protocol", str(err))
                )
                _settle(hello, error=error)
            return
        try:
            self._dispatch(data, buffers)
        except ProtocolError as err:
            rid = data.get("id") if isinstance(data, dict) else None
            rid = rid if isinstance(rid, str) else None
            self._reject(rid, str(err))

    def _reject(self, request_id: str | None, message: str) -> None:
        """A malformed message: fail its request, tell the extension, warn."""
        with self._lock:
            waiter = self._waiters.get(request_id) if request_id else None
        error = ExtensionUnavailableError(
            "protocol", f"invalid message from the extension: {message}"
        )
        if waiter is not None:
            _settle(waiter.ack, error=error)
            _settle(waiter.done, error=error)
        else:
            warnings.warn(f"stxm_phasemap: {error}", stacklevel=2)
        try:
            self._send(error_notice(request_id, message))
        except Exception:
            pass

    def _dispatch(self, data: Any, buffers: list[Any]) -> None:
        if not isinstance(data, dict):
            raise ProtocolError("message is not a JSON object")
        kind = data.get("type")
        if kind == "pong":
            return  # the answer to a ping: the extension is there (noted in _on_msg)
        if kind not in ("ack", "event", "reply"):
            raise ProtocolError(f"unexpected message type {kind!r}")
        rid = validate_ack(data) if kind != "reply" else data.get("id")
        with self._lock:
            waiter = self._waiters.get(rid) if isinstance(rid, str) else None
        if waiter is None:
            if kind == "reply" and rid is None and data.get("ok") is False:
                err = data.get("error") if isinstance(data.get("error"), dict) else {}
                warnings.warn(
                    f"stxm_phasemap: the extension refused a message: {err.get('message')}",
                    stacklevel=2,
                )
            return  # a late answer to a request that timed out or was sent again
        _settle(waiter.ack, True)
        if kind == "ack":
            return
        if kind == "event":
            _, progress = validate_event(data)
            waiter.progress = progress
            waiter.progress_seq += 1
            return
        try:
            waiter.assembler.add(data, buffers)
        except StxmPhaseMapError as err:  # the extension's error reply
            _settle(waiter.done, error=err)
            return
        if waiter.assembler.complete:
            _settle(waiter.done, waiter.assembler.reply())

    # -- requests ----------------------------------------------------------------------

    async def request(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        arrays: dict[str, np.ndarray] | None = None,
        *,
        timeout: float | None = 120.0,
        on_progress: ProgressCallback | None = None,
        request_id: str | None = None,
    ) -> Reply:
        """Send a request and wait for its whole reply (``timeout`` None: no limit)."""
        hello = await self.ensure_open()
        if method not in hello.methods:
            raise ExtensionUnavailableError(
                "protocol",
                f"the stxm-phasemap extension {hello.version} does not know {method!r}: "
                "update the extension (pip install -U stxm-phasemap) and reload JupyterLab",
            )
        request_id, parts = make_request(method, params, arrays, id=request_id)
        path = (params or {}).get("path")
        what = f"{method!r} on {path}" if isinstance(path, str) and path else repr(method)
        waiter = _Waiter(request_id, ReplyAssembler(request_id), what)
        with self._lock:
            self._waiters[request_id] = waiter
        try:
            for attempt in range(2):
                waiter.comm = self._comm
                for data, buffers in parts:
                    self._send(data, buffers)
                try:
                    await wait_future(waiter.ack, self.ack_timeout)
                    break
                except asyncio.TimeoutError:
                    if attempt == 1:
                        raise ExtensionUnavailableError(
                            "timeout",
                            f"the STXM PhaseMap extension did not acknowledge {method!r} within "
                            f"{self.ack_timeout:g} s",
                        ) from None
                # No acknowledgement: the browser side of the comm is gone (page reloaded).
                self._comm_lost(waiter.comm, keep=waiter)
                await self.ensure_open()
                waiter.assembler = ReplyAssembler(request_id)
            reply = await self._await_done(waiter, method, timeout, on_progress)
        finally:
            with self._lock:
                self._waiters.pop(request_id, None)
        try:
            check_result(method, reply.result, reply.arrays)
        except ProtocolError as err:
            try:
                self._send(error_notice(request_id, str(err)))
            except Exception:
                pass
            raise ExtensionUnavailableError(
                "protocol", f"invalid reply from the extension to {method!r}: {err}"
            ) from None
        return reply

    async def _await_done(
        self,
        waiter: _Waiter,
        method: str,
        timeout: float | None,
        on_progress: ProgressCallback | None,
    ) -> Reply:
        done = asyncio.wrap_future(waiter.done)
        deadline = None if timeout is None else time.monotonic() + timeout
        seen = 0
        try:
            while True:
                wait = PROGRESS_POLL if on_progress else WATCH_POLL
                if deadline is not None:
                    left = deadline - time.monotonic()
                    wait = left if wait is None else min(wait, left)
                    if left <= 0:
                        self._send_cancel(waiter.request_id)
                        raise ExtensionUnavailableError(
                            "timeout",
                            f"no answer from the STXM PhaseMap extension to {method!r} within "
                            f"{timeout:g} s",
                        )
                asked = time.monotonic()
                finished, _ = await asyncio.wait({done}, timeout=wait)
                if not finished:
                    self._watch(waiter, stalled=time.monotonic() - asked > wait + STALL)
                if on_progress and waiter.progress_seq != seen and waiter.progress is not None:
                    seen = waiter.progress_seq
                    try:
                        on_progress(waiter.progress)
                    except Exception as err:  # a display problem must not lose the result
                        warnings.warn(
                            f"stxm_phasemap: progress callback failed: {err}", stacklevel=2
                        )
                if finished:
                    return done.result()
        except (asyncio.CancelledError, KeyboardInterrupt):
            self._send_cancel(waiter.request_id)
            raise

    def _send_cancel(self, request_id: str) -> None:
        try:
            self._send(cancel_message(request_id))
        except Exception:
            pass
        # A cancel to a page that is gone must not go unnoticed: ask it to answer now.
        with self._lock:
            comm = self._comm if request_id in self._waiters else None
        if comm is not None and self._ping_at is None:
            self._ping(comm)

    def cancel(self, request_id: str) -> None:
        """Ask the extension to cancel a running request."""
        self._send_cancel(request_id)

    def __repr__(self) -> str:
        state = f"connected to extension {self.version}" if self.connected else "not connected"
        return f"<stxm_phasemap.{type(self).__name__} {state}>"
