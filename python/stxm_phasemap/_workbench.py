"""A workbench open in JupyterLab, as Python sees it: a handle by path whose calls run in order."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from ._params import build_params
from ._pending import Pending
from ._protocol import Hello, Reply, new_request_id
from ._references import References, references_from_reply, references_request
from ._result import Result, Stack, stack_from_reply


class LabLike(Protocol):
    """What a workbench needs of its ``Lab`` (_api.py), without importing it: ``Lab``
    creates workbenches, so ``_workbench`` importing ``_api`` would be a cycle."""

    hello: Hello | None

    async def request(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        arrays: dict[str, Any] | None = None,
        *,
        timeout: float | None = 120.0,
        on_progress: Any = None,
        request_id: str | None = None,
    ) -> Reply: ...

    async def ensure_open(self, timeout: float | None = None) -> Hello: ...

    def cancel(self, request_id: str) -> None: ...

    def local_path(self, server_path: str) -> str | None: ...


class _ProgressLine:
    """One line of progress under the cell, updated in place."""

    def __init__(self, label: str):
        self.label = label
        self.handle: Any = None
        self.t0 = time.monotonic()

    def _show(self, text: str) -> None:
        try:
            from IPython.display import display
        except ImportError:
            return
        if self.handle is None:
            self.handle = display({"text/plain": text}, raw=True, display_id=True)
        else:
            self.handle.update({"text/plain": text}, raw=True)

    def update(self, p: dict[str, Any]) -> None:
        text = f"{self.label}: {p.get('stage')} {100 * float(p.get('fraction', 0)):.0f} %"
        if p.get("epoch") is not None:
            text += f", epoch {p['epoch']}"
        if isinstance(p.get("loss"), (int, float)):
            text += f", loss {p['loss']:.4g}"
        self._show(text)

    def finish(self, text: str) -> None:
        if self.handle is not None:
            self._show(f"{self.label}: {text} in {time.monotonic() - self.t0:.1f} s")


class Workbench:
    """A workbench open in JupyterLab (an STXM stack file), by its server path.

    Returned at once by ``Lab.open``/``open_arrays``; ``await wb`` waits until
    it is loaded. Its calls run in order: ``set_references`` then ``run``.
    """

    def __init__(
        self,
        lab: LabLike,
        what: str,
        opening: Any,
        local_path: str | None = None,
    ):
        self.lab = lab
        self.path: str | None = None
        self.info: dict[str, Any] | None = None
        #: Milliseconds per step of opening (write, upload, open) when the extension reports them.
        self.timings: dict[str, float] = {}
        self._local_path = local_path

        async def opened() -> Workbench:
            result = await opening
            self.path = str(result.get("path"))
            self.timings = dict(result.get("timings") or {})
            info = result.get("info")
            self.info = info if isinstance(info, dict) else None
            return self

        self._opening: Pending[Workbench] = Pending(what, opened())
        self._tail: Pending[Any] = self._opening

    @classmethod
    def _existing(cls, lab: LabLike, path: str, info: Any) -> Workbench:
        async def known() -> dict[str, Any]:
            return {"path": path, "info": info}

        return cls(lab, f"workbench {path}", known())

    def __await__(self):
        return self._opening.__await__()

    @property
    def local_path(self) -> str | None:
        if self.path is not None:
            return self.lab.local_path(self.path)
        return self._local_path

    def _then(self, what: str, work_factory, on_cancel=None) -> Pending[Any]:
        async def work():
            await self._opening  # raises the opening's error
            return await work_factory()

        pending = Pending(what, work(), after=self._tail, on_cancel=on_cancel)
        self._tail = pending
        return pending

    def _label(self) -> str:
        return self.path or self._opening.what

    def get_stack(self) -> Pending[Stack]:
        """The workbench's stack as numpy arrays."""

        async def work() -> Stack:
            reply = await self.lab.request("get_stack", {"path": self.path}, timeout=600)
            return stack_from_reply(reply.result, reply.arrays)

        return self._then(f"stack of {self._label()}", work)

    def set_references(
        self,
        refs: Any,
        energies: Any = None,
        *,
        names: Sequence[str] | None = None,
        source: str | None = None,
    ) -> Pending[list[str]]:
        """Set the reference spectra (CSV path, dict, 2-D array + names, or References)."""
        params, arrays = references_request(refs, energies, names, source)

        async def work() -> list[str]:
            reply = await self.lab.request(
                "set_references", {**params, "path": self.path}, arrays, timeout=120
            )
            return [str(n) for n in reply.result.get("names", [])]

        return self._then(f"set references of {self._label()}", work)

    def get_references(self) -> Pending[References]:
        async def work() -> References:
            reply = await self.lab.request("get_references", {"path": self.path}, timeout=120)
            return references_from_reply(reply.result, reply.arrays)

        return self._then(f"references of {self._label()}", work)

    def run(
        self,
        *,
        progress: bool | Any = True,
        timeout: float | None = None,
        **params: Any,
    ) -> Pending[Result]:
        """Run the pipeline in the workbench (its Web Worker) and return the result.

        Parameters by name: ``threshold``, ``seed``, ``method`` ("gmvae" or
        "pcc"), ``epochs``, ``latent_dim``, ``components``, ``hidden``,
        ``batch_size``, ``learning_rate``, ``patience``, ``max_train_pixels``,
        ``backend``, ``ring_current``, ``align``, ``energy_shift``,
        ``binning``, ``i0``, ``mask`` — any parameter the extension knows — or
        ``params=`` in the extension's nested form. ``progress``: a line of
        progress under the cell (True), a callback taking the progress dict, or
        False. The previous result stays in the workbench if the run fails.
        """
        if self.lab.hello is not None:
            build_params(self.lab.hello.params, **params)  # unknown names fail here, at once
        request_id = new_request_id()

        async def work() -> Result:
            hello = await self.lab.ensure_open()
            nested = build_params(hello.params, **params)
            line = _ProgressLine(f"run {self.path}") if progress is True else None
            callback = progress if callable(progress) else (line.update if line else None)
            try:
                reply = await self.lab.request(
                    "run",
                    {"path": self.path, "params": nested},
                    timeout=timeout,
                    on_progress=callback,
                    request_id=request_id,
                )
            except BaseException:
                if line:
                    line.finish("failed")
                raise
            if line:
                line.finish("done")
            return Result(reply.result, reply.arrays)

        return self._then(
            f"run on {self._label()}", work, on_cancel=lambda: self.lab.cancel(request_id)
        )

    def get_result(self) -> Pending[Result]:
        """The workbench's current result (e.g. after a run started in the UI)."""

        async def work() -> Result:
            reply = await self.lab.request("get_result", {"path": self.path}, timeout=600)
            return Result(reply.result, reply.arrays)

        return self._then(f"result of {self._label()}", work)

    def __repr__(self) -> str:
        if self.path is None:
            return f"<Workbench ({self._opening!r})>"
        shape = (self.info or {}).get("shape")
        dims = " × ".join(str(s) for s in shape) if shape else "?"
        return f"<Workbench {self.path!r}: {dims}>"
