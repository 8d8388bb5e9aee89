"""Answers on their way from the extension.

Every call that talks to the extension starts at once (as a task on the
kernel's event loop) and returns a :class:`Pending`:

* in an ``async`` cell, ``await`` it: the kernel handles the extension's comm
  messages while the cell awaits, and the value comes back in the same cell;
* in a plain cell, keep it: the kernel handles the messages once the cell has
  finished, and ``.result()`` in a later cell returns the value (or raises the
  extension's error). Its display shows the value once it is there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import Any, Generic, TypeVar

from ._errors import NotReadyError

T = TypeVar("T")


async def wait_future(fut: concurrent.futures.Future[T], timeout: float | None = None) -> T:
    """Await a thread-safe future; a timeout or cancel here never cancels ``fut`` itself."""
    wrapped = asyncio.shield(asyncio.wrap_future(fut))
    if timeout is None:
        return await wrapped
    return await asyncio.wait_for(wrapped, timeout)


class Pending(Generic[T]):
    """An answer from the extension that may not have arrived yet."""

    def __init__(
        self,
        what: str,
        work: Coroutine[Any, Any, T],
        after: Pending[Any] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ):
        self.what = what
        self._future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._on_cancel = on_cancel
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            work.close()
            raise RuntimeError(
                "stxm_phasemap needs a running event loop: use it in a Jupyter kernel "
                "(ipykernel), or inside `asyncio.run(...)`"
            ) from None
        self._task = loop.create_task(self._run(work, after))

    async def _run(self, work: Coroutine[Any, Any, T], after: Pending[Any] | None) -> None:
        if after is not None:
            await after.wait_quietly()
        try:
            value = await work
        except asyncio.CancelledError:
            self._future.cancel()  # the loop stopped it (e.g. the kernel is shutting down)
            raise
        except BaseException as err:  # delivered to whoever reads the answer
            self._future.set_exception(err)
            if isinstance(err, (KeyboardInterrupt, SystemExit)):
                raise
        else:
            self._future.set_result(value)

    async def wait_quietly(self) -> None:
        """Wait until done, whatever the outcome."""
        try:
            await wait_future(self._future)
        except BaseException:  # the outcome belongs to its own reader
            pass

    def __await__(self) -> Generator[Any, None, T]:
        return self._wait().__await__()

    async def _wait(self) -> T:
        try:
            return await wait_future(self._future)
        except (asyncio.CancelledError, KeyboardInterrupt):
            self.cancel()
            raise

    def done(self) -> bool:
        return self._future.done()

    def result(self) -> T:
        """The value, once it arrived; raises the extension's error if it failed.

        Never blocks: before the answer is there it raises :class:`NotReadyError`.
        """
        if not self._future.done():
            raise NotReadyError(
                "pending",
                f"{self.what}: the extension has not answered yet. In a plain cell the "
                "answer is handled after the cell finishes: read .result() in a later cell, "
                "or `await` the call in an async cell.",
            )
        return self._future.result()

    def exception(self) -> BaseException | None:
        return self._future.exception() if self._future.done() else None

    def cancel(self) -> None:
        """Ask the extension to stop (a run stops; other requests simply finish)."""
        if not self._future.done() and self._on_cancel is not None:
            self._on_cancel()

    def add_done_callback(self, fn: Callable[[Pending[T]], None]) -> None:
        self._future.add_done_callback(lambda _f: fn(self))

    def _status(self) -> str:
        if not self._future.done():
            return "waiting for the extension (await it, or read .result() in a later cell)"
        err = self._future.exception()
        return f"failed: {err}" if err else "done (read .result())"

    def __repr__(self) -> str:
        return f"<Pending {self.what}: {self._status()}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        if self._future.done() and self._future.exception() is None:
            value = self._future.result()
            bundle = getattr(value, "_repr_mimebundle_", None)
            if bundle is not None:
                return bundle(include, exclude)
            return {"text/plain": repr(value)}
        return {"text/plain": repr(self)}


def gather(*pending: Awaitable[Any]) -> Awaitable[list[Any]]:
    """Await several answers at once (``await spm.gather(a, b)``)."""
    return asyncio.gather(*pending)
